use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{DeclaredKind, Policy};

declare_rule!(
    /// A policy of a kind Apigee deprecated, on a platform that still has it.
    DeprecatedPolicy,
    "deprecated-policy",
    Structure,
    Warning,
    preview = true,
    apigeelint = [DC001, DC002],
);

impl Rule for DeprecatedPolicy {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let DeclaredKind::Known(kind) = policy.kind else {
            return;
        };
        let entry = kind.kind();
        let Some(instead) = entry.deprecated else {
            return;
        };
        // Where the platform lacks the kind altogether, `element-not-on-profile` says so: one
        // finding, the stronger one.
        if !entry.platforms.includes(structure::profile(cx)) {
            return;
        }
        let message = format!("`{}` is a policy kind Apigee deprecated", kind.name());
        let help = format!(
            "replace it with {instead}: Apigee deprecated the kind, and Apigee X and hybrid do not \
             have it, so a move there needs the replacement anyway"
        );
        out.push(
            Diagnostic::new(&Self::META, policy.name_span, message)
                .primary_label("deprecated")
                .help(help),
        );
    }
}
