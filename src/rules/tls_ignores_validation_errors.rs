use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint whose TLS accepts a backend certificate that fails validation.
    TlsIgnoresValidationErrors,
    "tls-ignores-validation-errors",
    Target,
    Warning,
    apigeelint = [TD004, TD011],
);

impl Rule for TlsIgnoresValidationErrors {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(tls) = endpoint.tls_in_use() else {
            return;
        };
        let Some(ignore) = &tls.ignore_validation_errors else { return };
        let enforced = tls.enforce.as_ref().is_some_and(|f| f.is_true());
        if ignore.value != Some(true) || enforced {
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
