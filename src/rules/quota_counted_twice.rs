use super::runs_twice::steps_run_after;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A Quota attached at Steps that one request may both run, so that it counts the request twice.
    QuotaCountedTwice,
    "quota-counted-twice",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO023],
    policy_kinds = [Quota],
);

impl Rule for QuotaCountedTwice {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let own = cx.engine.placements(policy.id);
        for (later, earlier) in steps_run_after(cx, policy, &own) {
            let message = format!(
                "Quota `{}` may run twice for the same request, which then counts twice",
                policy.name
            );
            let mut diagnostic =
                Diagnostic::new(&Self::META, cx.project.step(later).name_span, message)
                    .primary_label("counts the request again")
                    .help(HELP);
            // A shared flow's Step called twice runs after itself: no second place to show.
            if earlier != later {
                diagnostic = diagnostic.label(
                    cx.project.step(earlier).name_span,
                    "counted the request first",
                );
            }
            out.push(diagnostic);
        }
    }
}

const HELP: &str = "attach each Quota once on a request's path, or give its Steps conditions \
    that no request satisfies together: every run of a Quota counts the request against its \
    limit, so a request that runs it twice uses two of the caller's allowance (Apigee's \
    antipattern \"Reuse a Quota policy\")";
