use super::{declare_rule, BundleRef, Context, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::engine::NeverRuns;
use crate::model::Step;

declare_rule!(
    /// A Step that no request can run, in a flow that runs.
    UnreachableStep,
    "unreachable-step",
    Flow,
    Warning,
    apigeelint = [CC001, CC006, ST008],
);

impl Rule for UnreachableStep {
    fn check_step(
        &self,
        cx: &Context,
        _: BundleRef,
        step: &Step,
        _: &StepSite,
        out: &mut Vec<Diagnostic>,
    ) {
        // A flow that never runs is unreachable-flow's finding, not each of its steps'.
        let diagnostic = match cx.engine.step_never_runs(step.id) {
            Some(NeverRuns::AfterFault { blocker }) => Diagnostic::new(
                &Self::META,
                step.name_span,
                format!("step `{}` can never run: it follows `{}`, which always raises a fault", step.name, blocker.name),
            )
            .label(blocker.name_span, "always raises a fault: the flow ends here")
            .help("a RaiseFault ends the flow and enters the error path; move the step before it, or give the RaiseFault a condition"),
            Some(NeverRuns::StepConditionNeverHolds) => {
                let d = Diagnostic::new(
                    &Self::META,
                    step.name_span,
                    format!("step `{}` can never run: its condition never holds where the step is", step.name),
                );
                match &step.condition {
                    Some(c) => d.label(c.span, "false for every request that reaches this step"),
                    None => d,
                }
                .help("the flow's condition (or an earlier step) rules out every request this condition accepts; correct it or remove the step")
            }
            _ => return,
        };
        out.push(diagnostic.primary_label("never runs"));
    }
}
