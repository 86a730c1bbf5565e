use super::{declare_rule, BundleRef, Context, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::model::Step;
use crate::suggest::closest;

declare_rule!(
    /// A Step that names a policy the bundle does not define.
    UnknownPolicyReference,
    "unknown-policy-reference",
    Bundle,
    Error,
    apigeelint = [BN010, ST001],
);

impl Rule for UnknownPolicyReference {
    fn check_step(
        &self,
        cx: &Context,
        bundle: BundleRef,
        step: &Step,
        _: &StepSite,
        out: &mut Vec<Diagnostic>,
    ) {
        // A policy file that failed to load may define the name: its own finding says so.
        if bundle
            .failed_files
            .iter()
            .any(|f| f.starts_with("policies/"))
        {
            return;
        }
        if step.name.is_empty() {
            out.push(
                Diagnostic::new(&Self::META, step.name_span, "step names no policy")
                    .help("add `<Name>` with the name of the policy to run"),
            );
            return;
        }
        if !cx.project.policies_named(bundle.id, &step.name).is_empty() {
            return;
        }
        let message = format!(
            "step runs policy `{}`, which this bundle does not define",
            step.name
        );
        let names = bundle.policies.iter().map(|p| p.name.as_str());
        let help = match closest(&step.name, names) {
            Some(name) => format!("a policy named `{name}` exists; did you mean it?"),
            None => format!(
                "add a policy with name=\"{}\" under policies/, or correct the step's <Name>",
                step.name
            ),
        };
        out.push(Diagnostic::new(&Self::META, step.name_span, message).help(help));
    }
}
