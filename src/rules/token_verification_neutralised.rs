use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A credential verification that is disabled where requests reach it.
    TokenVerificationNeutralised,
    "token-verification-neutralised",
    OAuth,
    Error,
    preview = true,
    policy_kinds = [OAuthV2, VerifyAPIKey, VerifyJWT],
);

impl Rule for TokenVerificationNeutralised {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        // An OAuthV2 without <Operation> may verify nothing: no claim holds for every pick.
        let known = policy.oauth_v2().is_none() || policy.operation().is_some();
        if !policy.verifies_credential() || !known {
            return;
        }
        if !policy.enabled {
            let attached = cx.project.attachments_of(policy.id);
            if let Some(&step) = attached.iter().find(|&&s| cx.engine.step_reached(s)) {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        policy.name_span,
                        format!("`{}` is disabled: requests pass its Step unverified", policy.name),
                    )
                    .primary_label("enabled=\"false\": Apigee skips the policy wherever it is attached")
                    .label(cx.project.step(step).name_span, "requests reach this Step")
                    .help("remove enabled=\"false\", or remove the Step if the verification is done elsewhere"),
                );
            }
        }
    }
}
