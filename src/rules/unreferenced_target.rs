use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint that no RouteRule of its bundle routes to.
    UnreferencedTarget,
    "unreferenced-target",
    Flow,
    Warning,
    preview = true,
    apigeelint = [BN012],
);

impl Rule for UnreferencedTarget {
    fn check_target_endpoint(
        &self,
        cx: &Context,
        bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        // A ProxyEndpoint file that failed to load may route to it; a bundle without any
        // ProxyEndpoint is incomplete (or linted in part), and says nothing of its routes.
        if bundle.proxy_endpoints.is_empty()
            || bundle.failed_files.iter().any(|f| f.starts_with("proxies/"))
        {
            return;
        }
        let mut routes = bundle.proxy_endpoints.iter().flat_map(|e| &e.route_rules);
        if routes.any(|rule| {
            cx.project
                .route_target(rule.id)
                .is_some_and(|t| t.may_be(endpoint.id))
        }) {
            return;
        }
        let message = format!(
            "no RouteRule routes to TargetEndpoint `{}`: its flows and backend are never used",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, endpoint.span, message)
                .primary_label("unreferenced")
                .help("add a RouteRule whose <TargetEndpoint> names it, or remove the file: Apigee only calls a TargetEndpoint that a RouteRule of the proxy chooses"),
        );
    }
}
