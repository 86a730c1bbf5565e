use super::{declare_rule, BundleRef, Context, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::outcome_variable_prefixes;
use crate::engine::condition::OperandKind;
use crate::model::{FlowKind, Policy, PolicyView, RaiseFaultView, Resolved, Step, Valued};

declare_rule!(
    /// A RaiseFault where Apigee's antipattern page says not to use one: in a FaultRule, where it hides the fault being handled, or to send a success (2xx) response.
    RaiseFaultMisuse,
    "raise-fault-misuse",
    Flow,
    Warning,
    preview = true,
);

impl Rule for RaiseFaultMisuse {
    fn check_step(
        &self,
        cx: &Context,
        _: BundleRef,
        step: &Step,
        site: &StepSite,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(Resolved::Found(id)) = cx.project.step_policy(step.id) else {
            return;
        };
        let policy = cx.project.policy(*id);
        let PolicyView::RaiseFault(view) = &policy.view else {
            return;
        };
        if !cx.engine.step_may_run(step.id) {
            return;
        }
        let in_fault_rule = matches!(
            site.flow.kind,
            FlowKind::FaultRule | FlowKind::DefaultFaultRule
        );
        if in_fault_rule {
            if !signals_handler_error(cx, step, &site.flow.request) {
                out.push(masks_fault(step, site));
            }
        } else if let Some(status) = success_status(view) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    step.name_span,
                    format!(
                        "RaiseFault `{}` answers with {}, a success, through the error path",
                        step.name,
                        status.value.trim()
                    ),
                )
                .primary_label("raises a fault to send a success response")
                .label(status.span, "a success status")
                .help(
                    "answer with an AssignMessage in a conditional Flow whose RouteRule has no \
                     target (as Apigee's \"Adding CORS support\" does for OPTIONS): a RaiseFault \
                     records the reply as a fault, under its own name, in analytics, API \
                     Monitoring and the access logs (Apigee antipattern \"Use the RaiseFault \
                     policy under inappropriate conditions\")",
                ),
            );
        }
    }
}

fn masks_fault(step: &Step, site: &StepSite) -> Diagnostic {
    let handler = match (&site.flow.kind, &site.flow.name) {
        (FlowKind::DefaultFaultRule, _) => "the DefaultFaultRule".to_owned(),
        (_, Some(name)) => format!("FaultRule `{name}`"),
        (_, None) => "a FaultRule".to_owned(),
    };
    Diagnostic::new(
        &RaiseFaultMisuse::META,
        step.name_span,
        format!(
            "RaiseFault `{}` in {handler} replaces the fault being handled with its own",
            step.name
        ),
    )
    .primary_label("overwrites fault.name, fault.code and fault.policy")
    .help(
        "customize the error response with an AssignMessage (or JavaScript) instead: a RaiseFault \
         here puts its own name in fault.name and in the fault policy and code of analytics, API \
         Monitoring and the access logs, so the policy that failed no longer shows; a RaiseFault \
         belongs in a FaultRule only to signal an error of the handler itself (Apigee antipattern \
         \"Use the RaiseFault policy under inappropriate conditions\")",
    )
}

/// The literal 2xx status its response is given, if any.
fn success_status(view: &RaiseFaultView) -> Option<&Valued> {
    let status = view.status_code()?;
    let code: u16 = status.value.trim().parse().ok()?;
    (200..300).contains(&code).then_some(status)
}

/// Does the step's condition read what a step before it in the same handler sets or how that
/// step went? Then the RaiseFault signals an error of the handler itself, the one use Apigee's
/// page allows in a FaultRule. A step that runs code may set any variable.
fn signals_handler_error(cx: &Context, step: &Step, steps: &[Step]) -> bool {
    let Some(expr) = step.condition.as_ref().and_then(|c| cx.engine.parsed(c)) else {
        return false;
    };
    let read: Vec<String> = expr
        .variables()
        .into_iter()
        .filter_map(|o| match &o.kind {
            OperandKind::Variable { name, .. } => Some(name.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let earlier = steps.iter().take_while(|s| s.id != step.id);
    let policies = earlier.filter_map(|s| match cx.project.step_policy(s.id) {
        Some(Resolved::Found(id)) => Some(cx.project.policy(*id)),
        _ => None,
    });
    policies
        .into_iter()
        .any(|p| p.facts().runs_code || read.iter().any(|v| sets_or_reports(p, v)))
}

/// Does a run of `policy` set `variable` (lower case), an object it belongs to
/// (`calloutResponse` for `calloutResponse.status.code`), or report its outcome in it?
fn sets_or_reports(policy: &Policy, variable: &str) -> bool {
    let outcome = outcome_variable_prefixes(policy);
    if outcome
        .iter()
        .any(|p| variable.starts_with(&p.to_ascii_lowercase()))
    {
        return true;
    }
    // The variable and each object it is a part of, `a.b.c`, `a.b`, `a`.
    let wholes = variable
        .match_indices('.')
        .map(|(at, _)| &variable[..at])
        .chain([variable]);
    let set: Vec<String> = policy
        .mentioned_names()
        .into_iter()
        .filter(|n| policy.may_set(n))
        .map(str::to_ascii_lowercase)
        .collect();
    wholes.into_iter().any(|w| set.iter().any(|n| n == w))
}
