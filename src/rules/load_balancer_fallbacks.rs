use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A LoadBalancer whose every Server is marked `<IsFallback>true`: none is a primary.
    LoadBalancerFallbacks,
    "load-balancer-fallbacks",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD008],
);

impl Rule for LoadBalancerFallbacks {
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
        let all_fallbacks = !balancer.servers.is_empty()
            && balancer
                .servers
                .iter()
                .all(|s| s.is_fallback.as_ref().is_some_and(|f| f.is_true()));
        if !all_fallbacks {
            return;
        }
        let message = format!(
            "every Server of TargetEndpoint `{}`'s LoadBalancer is a fallback: none is a primary for it to fall back from",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, balancer.span, message)
                .primary_label("no primary server")
                .help("remove <IsFallback>true from the server (or servers) that should take the traffic normally; a fallback is meant to receive requests only while the primary servers are out of rotation"),
        );
    }
}
