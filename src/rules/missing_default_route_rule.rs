use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::ProxyEndpoint;

declare_rule!(
    /// A ProxyEndpoint whose RouteRules may all fail for a request: it has no RouteRule without a
    /// condition, and its conditions do not cover every request.
    MissingDefaultRouteRule,
    "missing-default-route-rule",
    Flow,
    Warning,
    preview = true,
    apigeelint = [PD002],
);

impl Rule for MissingDefaultRouteRule {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        // Without any RouteRule, what Apigee does is not established: nothing to say.
        let Some(last) = endpoint.route_rules.last() else {
            return;
        };
        if !cx.engine.some_request_unrouted(endpoint.id) {
            return;
        }
        let message = format!(
            "some requests may match no RouteRule of ProxyEndpoint `{}`",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, last.span, message)
                .primary_label("a request no condition takes falls past this last RouteRule")
                .help(
                    "add a RouteRule without a condition last, to the default target or a null \
                     route whose flow answers what the proxy does not serve (a 404 from a \
                     RaiseFault): Apigee answers a request no RouteRule takes with an error of its \
                     own (`messaging.runtime.RouteFailed`, \"Unable to route the message to a \
                     Target Endpoint\")",
                ),
        );
    }
}
