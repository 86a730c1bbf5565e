use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint whose TLS accepts a backend certificate that fails validation.
    TlsIgnoresValidationErrors,
    "tls-ignores-validation-errors",
    Target,
    Warning,
    apigeelint = [TD011],
);

impl Rule for TlsIgnoresValidationErrors {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(http) = &endpoint.http else { return };
        // A load balancer's servers take their TLS from the environment's TargetServers.
        let Some(tls) = http.ssl_info.as_ref().filter(|_| http.load_balancer.is_none()) else {
            return;
        };
        let is = |flag: &Option<crate::model::Flag>| flag.as_ref().and_then(|f| f.value);
        let plain_http = http.url.as_ref().is_some_and(|u| u.value.starts_with("http://"));
        let in_use = is(&tls.enabled).unwrap_or(!plain_http);
        let Some(ignore) = &tls.ignore_validation_errors else { return };
        if !in_use || ignore.value != Some(true) || is(&tls.enforce) == Some(true) {
            return;
        }
        let message = format!(
            "TargetEndpoint `{}` accepts any backend certificate: <IgnoreValidationErrors> is true",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, ignore.raw.span, message)
                .primary_label("certificate errors ignored")
                .help("set <IgnoreValidationErrors> to false (or remove it) and give a <TrustStore> that holds the backend's CA, or set <Enforce>true</Enforce>: otherwise anyone on the path to the backend can pose as it with a self-signed certificate"),
        );
    }
}
