use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::mints_tokens;
use crate::model::{Policy, Project};

declare_rule!(
    /// Two OAuthV2 policies that mint tokens or codes run for one request.
    MultipleTokenOperationsOnPath,
    "multiple-token-operations-on-path",
    OAuth,
    Error,
    policy_kinds = [OAuthV2],
);

impl Rule for MultipleTokenOperationsOnPath {
    fn check_policy(
        &self,
        cx: &Context,
        _: super::BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        if !mints_tokens(policy) {
            return;
        }
        let project = cx.project;
        for &step in project.attachments_of(policy.id) {
            if !cx.engine.step_may_run(step) {
                continue;
            }
            let mut earlier: Vec<&Policy> = cx
                .engine
                .guards_ran_before(step)
                .map(|p| project.policy(p))
                .filter(|p| mints_tokens(p))
                .collect();
            earlier.dedup_by_key(|p| p.id);
            let Some(first) = earlier.first() else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                project.step(step).name_span,
                format!(
                    "`{}` mints tokens for a request that `{}` has already minted tokens for",
                    policy.name, first.name
                ),
            )
            .primary_label("runs second on the same request");
            for other in &earlier {
                diagnostic = label_steps(diagnostic, project, other);
            }
            out.push(diagnostic.help(
                "Apigee runs every Step whose condition holds: the second token operation overwrites the \
                 response of the first or fails after tokens were stored; put each operation in its own \
                 Flow, or give the Steps mutually exclusive conditions on request.formparam.grant_type",
            ));
        }
    }
}

/// Labels where an earlier minting policy is attached.
fn label_steps(mut diagnostic: Diagnostic, project: &Project, policy: &Policy) -> Diagnostic {
    for &step in project.attachments_of(policy.id) {
        diagnostic = diagnostic.label(
            project.step(step).name_span,
            format!("`{}` mints first", policy.name),
        );
    }
    diagnostic
}
