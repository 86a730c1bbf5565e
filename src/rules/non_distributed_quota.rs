use super::left_false::left_false;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A Quota whose count is not distributed: no `<Distributed>true`.
    NonDistributedQuota,
    "non-distributed-quota",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO022],
    policy_kinds = [Quota],
);

impl Rule for NonDistributedQuota {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.quota() else {
            return;
        };
        let Some((span, label)) = left_false(cx, policy, &view.distributed, "Distributed") else {
            return;
        };
        let message = format!(
            "Quota `{}` counts on each message processor apart: its limit is not the proxy's",
            policy.name
        );
        out.push(
            Diagnostic::new(&Self::META, span, message)
                .primary_label(label)
                .help(
                    "set <Distributed>true</Distributed> (with <Synchronous>true</Synchronous> \
                     where the limit must be exact): otherwise each of Apigee's message \
                     processors keeps its own counter, so clients get up to the limit times the \
                     number of processors, which changes as Apigee scales (Apigee antipattern \
                     \"Use non-distributed quota\")",
                ),
        );
    }
}
