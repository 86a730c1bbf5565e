use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint whose `<SSLInfo>` is not used: its URL is `http://` and nothing switches TLS on.
    TlsConfigOnHttpUrl,
    "tls-config-on-http-url",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD004, TD012],
);

impl Rule for TlsConfigOnHttpUrl {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(http) = &endpoint.http else { return };
        let (Some(tls), Some(url), None) = (&http.ssl_info, &http.url, &http.load_balancer) else {
            return;
        };
        // `<Enabled>false` turns the block off on purpose; `<Enabled>true` makes Apigee use TLS.
        if !http.calls_plain_http() || tls.enabled.is_some() {
            return;
        }
        let message = format!(
            "TargetEndpoint `{}` calls an http:// URL: its <SSLInfo> is not used and the call is not encrypted",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, tls.span, message)
                .primary_label("TLS settings not applied")
                .label(url.span, "plain HTTP")
                .help("call the backend over https://, where these settings apply; if the backend is meant to be reached over plain HTTP, remove the block, which suggests a protection the call does not have"),
        );
    }
}
