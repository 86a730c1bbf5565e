use super::unverified_target_route::backend;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::BODY_VERBS;
use crate::diagnostic::Diagnostic;
use crate::engine::Arrival;
use crate::model::{Policy, ProxyEndpoint, Resolved, RouteRule};

declare_rule!(
    /// A RouteRule that sends request bodies to a backend with no JSON, XML or
    /// regular-expression threat protection on the way.
    TargetRouteWithoutThreatProtection,
    "target-route-without-threat-protection",
    Target,
    Info,
    preview = true,
);

impl Rule for TargetRouteWithoutThreatProtection {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        // A build may add the protection the model does not have.
        if endpoint.structure.template_adds_elements {
            return;
        }
        for rule in endpoint.route_rules.iter().filter(|r| calls_backend(cx, r)) {
            let Some(backend) = backend(rule) else {
                continue;
            };
            // Requests that got there past a condition or outcome the engine cannot decide
            // may not get there at all, and their classes may be joined with others': "may",
            // without naming verbs.
            let arrivals = cx.engine.routed(rule.id);
            let certain: Vec<&Arrival> = arrivals.iter().filter(|a| a.certain).collect();
            let (who, label) = match body_verbs(&certain) {
                Some(verbs) => (
                    format!("{verbs} requests reach"),
                    format!("routes {verbs} requests, and their bodies, here"),
                ),
                None if body_verbs(&arrivals.iter().collect::<Vec<_>>()).is_some() => (
                    "requests with a body may reach".to_owned(),
                    "may route requests with a body here".to_owned(),
                ),
                None => continue,
            };
            let protected = cx.engine.may_run_before_backend(
                endpoint.id,
                rule.id,
                Policy::protects_against_threats,
            );
            if protected {
                continue;
            }
            let message = format!(
                "{who} {backend} with no JSON, XML or regular-expression threat protection \
                 on the way"
            );
            out.push(
                Diagnostic::new(&Self::META, rule.span, message)
                    .primary_label(label)
                    .help(HELP),
            );
        }
    }
}

const HELP: &str = "run a JSONThreatProtection or XMLThreatProtection (for the body types the \
    backend accepts), or a RegularExpressionProtection, in the ProxyEndpoint PreFlow or the \
    target's PreFlow: it refuses oversized or deeply nested payloads and injection patterns \
    before the backend parses them";

/// Does the RouteRule call a backend: a URL, or a TargetEndpoint of the bundle that is no chain
/// to another proxy (whose own RouteRules are judged, or which is outside the linted paths)?
fn calls_backend(cx: &Context, rule: &RouteRule) -> bool {
    match (&rule.target_endpoint, cx.project.route_target(rule.id)) {
        (None, _) => rule.url.is_some(),
        (Some(_), Some(Resolved::Found(target))) => cx.project.chained_endpoint(*target).is_none(),
        (Some(_), _) => false,
    }
}

/// The body-carrying verbs some of the requests may have, joined for messages
/// (`POST, PUT or PATCH`); `None` when no such request is routed.
fn body_verbs(arrivals: &[&Arrival]) -> Option<String> {
    let found: Vec<&str> = BODY_VERBS
        .into_iter()
        .filter(|verb| {
            arrivals.iter().any(|a| {
                a.verbs
                    .as_ref()
                    .is_none_or(|vs| vs.iter().any(|v| v.eq_ignore_ascii_case(verb)))
            })
        })
        .collect();
    let (last, rest) = found.split_last()?;
    Some(match rest {
        [] => (*last).to_owned(),
        _ => format!("{} or {last}", rest.join(", ")),
    })
}
