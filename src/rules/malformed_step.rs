use super::{declare_rule, BundleRef, Context, FlowOwner, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::model::{Step, StepProblemKind};

declare_rule!(
    /// A Step that holds more than one `<Name>` or `<Condition>`, another element, or stray text.
    MalformedStep,
    "malformed-step",
    Structure,
    Warning,
    apigeelint = [EP002, ST002],
);

impl Rule for MalformedStep {
    fn check_step(
        &self,
        _: &Context,
        _: BundleRef,
        step: &Step,
        site: &StepSite,
        out: &mut Vec<Diagnostic>,
    ) {
        let structure = match site.owner {
            FlowOwner::ProxyEndpoint(e) => &e.structure,
            FlowOwner::TargetEndpoint(e) => &e.structure,
            FlowOwner::SharedFlow(s) => &s.structure,
        };
        // A build template's text is not a Step's; unexpanded-template says the file is unchecked.
        if structure.template.is_some() {
            return;
        }
        for problem in &step.problems {
            let (message, help) = match &problem.kind {
                // unknown-policy-reference reports a Step that names no policy.
                StepProblemKind::NoName | StepProblemKind::EmptyName => continue,
                StepProblemKind::ExtraName => (
                    format!("step `{}` has a second `<Name>`", step.name),
                    "a Step runs one policy: give the second its own Step".to_owned(),
                ),
                StepProblemKind::ExtraCondition => (
                    format!("step `{}` has a second `<Condition>`", step.name),
                    "a Step takes one condition: join them with `and` in one `<Condition>`".to_owned(),
                ),
                StepProblemKind::UnknownChild(name) => (
                    format!("`<{name}>` is not an element of a Step"),
                    "a Step holds `<Name>` and `<Condition>` only: remove it, or move it where it belongs".to_owned(),
                ),
                StepProblemKind::Text => (
                    format!("stray text in step `{}`", step.name),
                    "a Step holds `<Name>` and `<Condition>` only: remove the text".to_owned(),
                ),
            };
            out.push(Diagnostic::new(&Self::META, problem.span, message).help(help));
        }
    }
}
