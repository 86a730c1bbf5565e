use super::backend_route::routes_without;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::BODY_VERBS;
use crate::diagnostic::Diagnostic;
use crate::engine::Arrival;
use crate::model::{Policy, ProxyEndpoint};

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
        for (rule, backend) in routes_without(cx, endpoint, Policy::protects_against_threats) {
            // Requests that got there past a condition or outcome the engine cannot decide
            // may not get there at all, and their classes may be joined with others': "may",
            // without naming verbs.
            let arrivals = cx.engine.routed(rule.id);
            let certain: Vec<&Arrival> = arrivals.iter().filter(|a| a.certain).collect();
            let (who, label) = match body_verbs(&certain) {
                Some(Some(verbs)) => (
                    format!("{verbs} requests reach"),
                    format!("routes {verbs} requests, and their bodies, here"),
                ),
                Some(None) => (
                    "requests with a body reach".to_owned(),
                    "routes requests with a body here".to_owned(),
                ),
                None if body_verbs(&arrivals.iter().collect::<Vec<_>>()).is_some() => (
                    "requests with a body may reach".to_owned(),
                    "may route requests with a body here".to_owned(),
                ),
                None => continue,
            };
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

/// The body-carrying verbs some of the requests may have, joined for messages
/// (`POST, PUT or PATCH`): `None` when no such request is routed, `Some(None)` when a request
/// may have a verb the engine did not pin (any verb but GET, say), which names none of them
/// for sure.
fn body_verbs(arrivals: &[&Arrival]) -> Option<Option<String>> {
    if arrivals.iter().any(|a| a.verbs.is_none()) {
        return Some(None);
    }
    let found: Vec<&str> = BODY_VERBS
        .into_iter()
        .filter(|verb| {
            let pinned = arrivals.iter().flat_map(|a| a.verbs.iter().flatten());
            pinned.into_iter().any(|v| v.eq_ignore_ascii_case(verb))
        })
        .collect();
    let (last, rest) = found.split_last()?;
    Some(Some(match rest {
        [] => (*last).to_owned(),
        _ => format!("{} or {last}", rest.join(", ")),
    }))
}
