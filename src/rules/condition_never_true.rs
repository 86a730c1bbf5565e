use super::{declare_rule, BundleRef, Context, FlowSite, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::engine::{NeverRuns, RouteNeverTaken};
use crate::model::{Condition, Flow, FlowKind, ProxyEndpoint, Step};

declare_rule!(
    /// A condition of a Flow, Step, RouteRule or FaultRule that no value of its variables
    /// satisfies: a literal false, a variable equal to two different values.
    ConditionNeverTrue,
    "condition-never-true",
    Condition,
    Warning,
    preview = true,
    apigeelint = [CC006],
);

// Where the engine already says a flow, step or route never runs because its condition never
// holds there, unreachable-flow, unreachable-step or unreachable-route-rule reports it: this
// rule stays silent so the condition is reported once.
impl Rule for ConditionNeverTrue {
    fn check_flow(
        &self,
        cx: &Context,
        _: BundleRef,
        flow: &Flow,
        _: &FlowSite,
        out: &mut Vec<Diagnostic>,
    ) {
        let reported = flow.kind == FlowKind::Conditional
            && matches!(
                cx.engine.flow_never_runs(flow.id),
                Some(NeverRuns::FlowConditionNeverHolds { .. })
            );
        if !reported {
            check(cx, flow.condition.as_ref(), flow_kind(flow.kind), out);
        }
    }

    fn check_step(
        &self,
        cx: &Context,
        _: BundleRef,
        step: &Step,
        _: &StepSite,
        out: &mut Vec<Diagnostic>,
    ) {
        let reported = matches!(
            cx.engine.step_never_runs(step.id),
            Some(NeverRuns::StepConditionNeverHolds)
        );
        if !reported {
            check(cx, step.condition.as_ref(), "Step", out);
        }
    }

    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        for rule in &endpoint.route_rules {
            let reported = matches!(
                cx.engine.route_never_taken(rule.id),
                Some(RouteNeverTaken::ConditionNeverHolds)
            );
            if !reported {
                check(cx, rule.condition.as_ref(), "RouteRule", out);
            }
        }
    }
}

fn flow_kind(kind: FlowKind) -> &'static str {
    match kind {
        FlowKind::FaultRule => "FaultRule",
        FlowKind::DefaultFaultRule => "DefaultFaultRule",
        _ => "Flow",
    }
}

fn check(cx: &Context, condition: Option<&Condition>, owner: &str, out: &mut Vec<Diagnostic>) {
    let Some(condition) = condition.filter(|c| cx.engine.condition_never_holds(c)) else {
        return;
    };
    out.push(
        Diagnostic::new(
            &ConditionNeverTrue::META,
            condition.span,
            format!("this condition can never be true, so its {owner} never applies"),
        )
        .primary_label("false for every value of the variables it reads")
        .help(format!(
            "a literal false, or terms that exclude each other (a variable equal to two \
             values, `and` where `or` was meant): correct the condition, or remove the {owner} \
             if it is switched off on purpose"
        )),
    );
}
