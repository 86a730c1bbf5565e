//! The RouteRules that send requests on to a backend with no policy of a kind on the way: the
//! shape of the path-by-path risk-assessment rules (issue 10).

use super::unverified_target_route::backend;
use super::Context;
use crate::model::{Policy, ProxyEndpoint, Resolved, RouteRule};

/// The RouteRules of a ProxyEndpoint that call a backend before which no policy `which` holds for
/// may run, each with its backend named for messages. None when a build may add the policy the
/// model does not have.
pub(super) fn routes_without<'e>(
    cx: &Context,
    endpoint: &'e ProxyEndpoint,
    which: impl Fn(&Policy) -> bool + Copy,
) -> Vec<(&'e RouteRule, String)> {
    if endpoint.structure.template_adds_elements {
        return Vec::new();
    }
    endpoint
        .route_rules
        .iter()
        .filter(|rule| calls_backend(cx, rule))
        .filter(|rule| {
            !cx.engine
                .may_run_before_backend(endpoint.id, rule.id, which)
        })
        .filter_map(|rule| Some((rule, backend(rule)?)))
        .collect()
}

/// Does the RouteRule call a backend: a URL, or a TargetEndpoint of the bundle that is no chain
/// to another proxy (whose own RouteRules are judged, or which is outside the linted paths)? A
/// null route (a CORS preflight answered at the proxy, say) calls none.
fn calls_backend(cx: &Context, rule: &RouteRule) -> bool {
    match (&rule.target_endpoint, cx.project.route_target(rule.id)) {
        (None, _) => rule.url.is_some(),
        (Some(_), Some(Resolved::Found(target))) => cx.project.chained_endpoint(*target).is_none(),
        (Some(_), _) => false,
    }
}
