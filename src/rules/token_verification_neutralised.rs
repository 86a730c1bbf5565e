use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{failure_prefix, runs_code};
use crate::model::Policy;

declare_rule!(
    /// A credential verification whose failure does not stop the request.
    TokenVerificationNeutralised,
    "token-verification-neutralised",
    OAuth,
    Error,
    preview = true,
    policy_kinds = [OAuthV2, VerifyAPIKey],
);

impl Rule for TokenVerificationNeutralised {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        // An OAuthV2 without <Operation> may verify nothing: no claim holds for every pick.
        let known = policy.oauth_v2().is_none() || policy.operation().is_some();
        if !policy.verifies_credential() || !known {
            return;
        }
        let failed = format!("{}.{}.failed", failure_prefix(&policy.kind), policy.name);
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
            return;
        }
        if !policy.continue_on_error {
            return;
        }
        // Where it runs, nothing after it reads its outcome, no condition after it is unreadable,
        // and no code or unseen shared flow that might read it runs after it.
        let unchecked: Vec<_> = cx
            .engine
            .placements(policy.id)
            .into_iter()
            .filter(|&at| {
                let outcome = cx.engine.outcome_use(at);
                outcome.reads.is_empty()
                    && !outcome.unread_conditions
                    && !cx
                        .engine
                        .may_run_after(at, |p| runs_code(p) || p.flow_callout().is_some())
            })
            .collect();
        let Some(first) = unchecked.first() else {
            return;
        };
        out.push(
            Diagnostic::new(
                &Self::META,
                policy.name_span,
                format!(
                    "`{}` has continueOnError=\"true\" and nothing after it reads `{failed}`: a request with a bad credential goes on",
                    policy.name
                ),
            )
            .primary_label("its failure does not stop the request")
            .label(cx.project.step(first.step).name_span, "runs here; no later condition checks the outcome")
            .help(format!(
                "remove continueOnError=\"true\", or follow the Step with a RaiseFault whose condition is `{failed} = true`"
            )),
        );
    }
}
