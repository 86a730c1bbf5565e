use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A load-balanced TargetEndpoint whose `<SSLInfo>` Apigee does not apply: the TargetServers' own TLS settings do.
    LoadBalancerTlsInEndpoint,
    "load-balancer-tls-in-endpoint",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD006],
);

impl Rule for LoadBalancerTlsInEndpoint {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(http) = &endpoint.http else { return };
        let (Some(tls), Some(_)) = (&http.ssl_info, &http.load_balancer) else {
            return;
        };
        let message = format!(
            "TargetEndpoint `{}` sets <SSLInfo> beside a <LoadBalancer>: the TargetServers' own TLS settings apply, not these",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, tls.span, message)
                .primary_label("not applied to the load-balanced servers")
                .help("configure TLS in each TargetServer of the environment (TLS on, truststore, protocols) and remove this block: the call goes over TLS, and checks the backend's certificate, only as the TargetServers say, whatever this block asks"),
        );
    }
}
