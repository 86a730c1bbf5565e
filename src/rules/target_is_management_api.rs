use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::MANAGEMENT_API_HOSTS;
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint whose `<URL>` is on Apigee's management API.
    TargetIsManagementApi,
    "target-is-management-api",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD001],
);

impl Rule for TargetIsManagementApi {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(http) = &endpoint.http else { return };
        let (Some(host), Some(url)) = (http.url_host(), &http.url) else {
            return;
        };
        if !MANAGEMENT_API_HOSTS
            .iter()
            .any(|m| host.eq_ignore_ascii_case(m))
        {
            return;
        }
        let message = format!(
            "TargetEndpoint `{}` calls Apigee's management API ({host}) for every request routed to it",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, url.span, message)
                .primary_label("management API")
                .help("the management API is for administering Apigee, with quotas sized for that, and calling it needs an administrator's credentials in the proxy; read what the proxy needs at run time from the runtime instead (VerifyAPIKey, AccessEntity, KeyValueMapOperations, the flow variables of apps and products)"),
        );
    }
}
