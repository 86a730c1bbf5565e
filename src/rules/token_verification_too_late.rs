use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A credential verification that runs only after the backend was called, the request failed or the response was sent.
    TokenVerificationTooLate,
    "token-verification-too-late",
    OAuth,
    Error,
    preview = true,
    policy_kinds = [OAuthV2, VerifyAPIKey, VerifyJWT],
);

impl Rule for TokenVerificationTooLate {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        // An OAuthV2 without <Operation> may verify nothing: no claim holds for every pick.
        let known = policy.oauth_v2().is_none() || policy.operation().is_some();
        if !policy.verifies_credential() || !known {
            return;
        }
        let placements = cx.engine.placements(policy.id);
        let late: Vec<_> = placements
            .iter()
            .filter_map(|&at| cx.engine.after_backend(at).map(|stage| (at, stage)))
            .collect();
        // Some request runs it, and every place it runs from is too late.
        let Some(&(first, stage)) = late.first() else {
            return;
        };
        if late.len() < placements.len() {
            return;
        }
        out.push(
            Diagnostic::new(
                &Self::META,
                policy.name_span,
                format!("`{}` verifies the caller only in {stage}", policy.name),
            )
            .primary_label("runs too late to protect anything")
            .label(cx.project.step(first.step).name_span, format!("runs here, in {stage}"))
            .help("move the Step to the ProxyEndpoint PreFlow request, before anything else runs"),
        );
    }
}
