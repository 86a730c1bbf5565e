use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use std::collections::HashMap;

declare_rule!(
    /// A policy configured exactly as another of its bundle, under another name.
    DuplicatePolicy,
    "duplicate-policy",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [BN014],
);

impl Rule for DuplicatePolicy {
    fn check_bundle(&self, _cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        // Each configuration's first policy, in file order: one pass, no comparison of pairs.
        let mut first: HashMap<u64, &Policy> = HashMap::new();
        for policy in &bundle.policies {
            let Some(original) = first.get(&policy.configuration) else {
                first.insert(policy.configuration, policy);
                continue;
            };
            // Two files of one name are one policy to Steps; Apigee refuses the bundle, and
            // that is another finding.
            if original.name == policy.name {
                continue;
            }
            let message = format!(
                "policy `{}` is configured exactly as `{}`",
                policy.name, original.name
            );
            let help = format!(
                "attach `{}` where `{}` runs and delete this copy: a Step may attach one policy \
                 in any number of flows, and copies drift apart when only one is edited; a \
                 condition reading a variable named after the copy must then name the original",
                original.name, policy.name
            );
            out.push(
                Diagnostic::new(&Self::META, policy.name_span, message)
                    .primary_label("a copy")
                    .label(original.name_span, "configured alike")
                    .help(help),
            );
        }
    }
}
