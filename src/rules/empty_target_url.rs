use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint whose HTTPTargetConnection has an empty `<URL>`.
    EmptyTargetUrl,
    "empty-target-url",
    Target,
    Error,
    preview = true,
    apigeelint = [TD017],
);

impl Rule for EmptyTargetUrl {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(url) = endpoint.http.as_ref().and_then(|h| h.url.as_ref()) else {
            return;
        };
        if !url.value.is_empty() {
            return;
        }
        let message = format!(
            "TargetEndpoint `{}` has an empty <URL>: it gives no backend to call",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, url.span, message)
                .primary_label("empty")
                .help("write the backend's address (https://host/path), or replace <URL> with a <LoadBalancer> over TargetServers; a template that fills it in at build time should be linted as the build writes it"),
        );
    }
}
