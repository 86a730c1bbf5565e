use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;
use std::collections::HashMap;

declare_rule!(
    /// A LoadBalancer that names the same TargetServer in two `<Server>` elements.
    DuplicateLoadBalancerServer,
    "duplicate-load-balancer-server",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD010],
);

impl Rule for DuplicateLoadBalancerServer {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(balancer) = endpoint.load_balancer() else {
            return;
        };
        let mut first_named = HashMap::new();
        for name in balancer.servers.iter().filter_map(|s| s.name.as_ref()) {
            if name.value.is_empty() {
                continue;
            }
            let Some(first) = first_named.get(name.value.as_str()) else {
                first_named.insert(name.value.as_str(), name.span);
                continue;
            };
            let message = format!(
                "TargetEndpoint `{}`'s LoadBalancer names TargetServer `{}` more than once",
                endpoint.name, name.value
            );
            out.push(
                Diagnostic::new(&Self::META, name.span, message)
                    .primary_label("again")
                    .label(*first, "first named here")
                    .help("name each TargetServer once: remove the repeated <Server>, or correct it to the server it was copied for; to send a server more of the traffic, use the Weighted algorithm and its <Weight>"),
            );
        }
    }
}
