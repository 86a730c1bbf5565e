use super::left_false::left_false;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A ResponseCache that caches error responses: no `<ExcludeErrorResponse>true`.
    ResponseCacheCachesErrors,
    "response-cache-caches-errors",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO024],
    policy_kinds = [ResponseCache],
);

impl Rule for ResponseCacheCachesErrors {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.response_cache() else {
            return;
        };
        let flag = &view.exclude_error_response;
        let Some((span, label)) = left_false(cx, policy, flag, "ExcludeErrorResponse") else {
            return;
        };
        let message = format!(
            "ResponseCache `{}` caches error responses as well as successful ones",
            policy.name
        );
        out.push(
            Diagnostic::new(&Self::META, span, message)
                .primary_label(label)
                .help(
                    "set <ExcludeErrorResponse>true</ExcludeErrorResponse>: otherwise a backend's \
                     passing failure (a 500, a 503, a timeout) is stored and served to every \
                     client with the same cache key until the entry expires, long after the \
                     backend has recovered (Apigee antipattern \"Cache error responses\")",
                ),
        );
    }
}
