//! Whether a request without a body can get to a step: the question of policies that read the
//! request's payload or form.

use super::catalog::{unset_without_body, BODILESS_VERBS};
use super::condition::{eval, Env, Lookup, Truth, Value};
use super::listing::Stage;
use super::query::Placement;
use super::Engine;

/// A request of the given verb that carries no body; everything else about it is unknown.
struct BodilessRequest {
    verb: &'static str,
}

impl Env for BodilessRequest {
    fn lookup(&self, name: &str) -> Lookup {
        let lower = name.to_ascii_lowercase();
        let Some(field) = lower
            .strip_prefix("request.")
            .or_else(|| lower.strip_prefix("message."))
        else {
            return Lookup::Unknown;
        };
        if field == "verb" {
            Lookup::Known(Value::Str(self.verb.to_owned()))
        } else if unset_without_body(field) {
            Lookup::Known(Value::Null)
        } else {
            Lookup::Unknown
        }
    }
}

impl Engine<'_> {
    /// A verb of a request without a body (`GET`, …) that may get through every condition that
    /// guards the placement (its flow's and its Step's, and those of the FlowCallouts that lead
    /// to it), when the placement runs on the request, before the backend call: `None` when
    /// the conditions turn every such request away, or when the placement runs elsewhere
    /// (where `message` is not the request). A condition that does not parse, or whose answer
    /// depends on what the engine cannot know, may let the request through.
    pub fn bodiless_request_through(&self, placement: Placement) -> Option<&'static str> {
        let placed = &self.listing(placement).steps[placement.index as usize];
        let on_request = matches!(
            placed.stage,
            Stage::ProxyRequestPreFlow
                | Stage::ProxyRequestFlow
                | Stage::ProxyRequestPostFlow
                | Stage::TargetRequestPreFlow
                | Stage::TargetRequestFlow
                | Stage::TargetRequestPostFlow
        );
        if !on_request {
            return None;
        }
        BODILESS_VERBS.into_iter().find(|&verb| {
            let request = BodilessRequest { verb };
            placed.guards.iter().all(|&guard| {
                let condition = self.project.condition(guard);
                self.parsed(condition)
                    .is_none_or(|expr| eval(expr, &request) != Truth::False)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::model::Project;
    use crate::parse::load::load_memory;

    /// The verb of a request without a body that gets to the ExtractVariables from a PreFlow
    /// request Step with the given condition (and one from the response, which is not asked).
    fn through(condition: &str) -> Option<&'static str> {
        let proxy = format!(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>EV</Name><Condition>{condition}</Condition></Step></Request>
            <Response><Step><Name>EV</Name></Step></Response></PreFlow>
            <RouteRule name="r"/></ProxyEndpoint>"#
        );
        let project: Project = load_memory(vec![
            ("p/apiproxy/proxies/default.xml".into(), Ok(proxy.into_bytes())),
            (
                "p/apiproxy/policies/EV.xml".into(),
                Ok(b"<ExtractVariables name=\"EV\"><JSONPayload><Variable name=\"a\"><JSONPath>$.a</JSONPath></Variable></JSONPayload></ExtractVariables>".to_vec()),
            ),
        ]);
        let engine = Engine::new(&project);
        let policy = project.policies_named(project.bundles[0].id, "EV")[0];
        let placements = engine.placements(policy);
        assert_eq!(placements.len(), 2, "{condition}");
        assert_eq!(engine.bodiless_request_through(placements[1]), None);
        engine.bodiless_request_through(placements[0])
    }

    #[test]
    fn a_request_without_a_body_gets_through_what_does_not_ask_for_one() {
        assert_eq!(
            through(r#"proxy.pathsuffix MatchesPath "/orders""#),
            Some("GET")
        );
        assert_eq!(through(r#"request.verb != "GET""#), Some("HEAD"));
        assert_eq!(
            through(r#"request.verb = "POST" or request.verb = "DELETE""#),
            Some("DELETE")
        );
        assert_eq!(through("tenant.flag = true"), Some("GET"));
    }

    #[test]
    fn conditions_on_the_verb_the_content_type_or_the_content_turn_it_away() {
        assert_eq!(through(r#"request.verb = "POST""#), None);
        assert_eq!(
            through(r#"request.header.Content-Type = "application/json""#),
            None
        );
        assert_eq!(
            through(r#"message.header.content-type Matches "*json*""#),
            None
        );
        assert_eq!(through("request.content != null"), None);
        assert_eq!(
            through(r#"request.formparam.grant_type = "password""#),
            None
        );
        assert_eq!(
            through(r#"request.verb = "PUT" and proxy.pathsuffix MatchesPath "/a""#),
            None
        );
    }
}
