use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::{Policy, PolicyView, StepId};
use crate::source::Span;

declare_rule!(
    /// A CORS policy attached in a TargetEndpoint, or run after another CORS policy for the same
    /// request when one of the two has no condition.
    MisplacedCorsPolicy,
    "misplaced-cors-policy",
    Flow,
    Warning,
    preview = true,
    apigeelint = [EP001],
    policy_kinds = [CORS],
);

impl Rule for MisplacedCorsPolicy {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let mut reported: Vec<StepId> = Vec::new();
        let earlier_cors = cors_placements(cx);
        for placement in cx.engine.placements(policy.id) {
            let step = cx.project.step(placement.step);
            if reported.contains(&step.id) {
                continue;
            }
            if let Some(target) = target_of(cx, placement.step) {
                reported.push(step.id);
                out.push(in_target(policy, step.name_span, target));
                continue;
            }
            let earlier = earlier_cors.iter().find(|&&other| {
                target_of(cx, other.step).is_none()
                    && cx.engine.may_run_before(other, placement)
                    && (step.condition.is_none() || cx.project.step(other.step).condition.is_none())
            });
            if let Some(&earlier) = earlier {
                reported.push(step.id);
                out.push(after_another(cx, policy, step.name_span, earlier));
            }
        }
    }
}

/// Every place a CORS policy of the project may run from.
fn cors_placements(cx: &Context) -> Vec<Placement> {
    cx.project
        .policy_ids()
        .filter(|&id| matches!(cx.project.policy(id).view, PolicyView::CORS(_)))
        .flat_map(|id| cx.engine.placements(id))
        .collect()
}

/// The name of the TargetEndpoint whose flows hold the step, if one does.
fn target_of<'p>(cx: &Context<'p>, step: StepId) -> Option<&'p str> {
    let flow = cx.project.step_place(step).flow;
    let endpoint = cx.project.flow_place(flow).endpoint;
    cx.project.target_endpoint(endpoint).map(|t| t.name.as_str())
}

fn in_target(policy: &Policy, at: Span, target: &str) -> Diagnostic {
    Diagnostic::new(
        &MisplacedCorsPolicy::META,
        at,
        format!("CORS policy `{}` runs in TargetEndpoint `{target}`", policy.name),
    )
    .primary_label("attached in a TargetEndpoint")
    .help(
        "attach it in the ProxyEndpoint's request PreFlow instead: a TargetEndpoint's flows run only \
         for the requests routed to it, after the ProxyEndpoint's, so a preflight (OPTIONS) request \
         that a credential check refuses, or a request that a RaiseFault or a route without a \
         target answers, never reaches the CORS policy and gets no CORS headers",
    )
}

fn after_another(
    cx: &Context,
    policy: &Policy,
    at: Span,
    earlier: Placement,
) -> Diagnostic {
    let first = cx.project.step(earlier.step);
    Diagnostic::new(
        &MisplacedCorsPolicy::META,
        at,
        format!(
            "CORS policy `{}` may run after CORS policy `{}` for the same request",
            policy.name, first.name
        ),
    )
    .primary_label("a second CORS policy on the request's path")
    .label(first.name_span, "the first")
    .help(
        "keep one CORS policy, in the ProxyEndpoint's request PreFlow, or give each a Step \
         condition so that one at most runs for a request: when two run, only the last one's \
         headers are effective (apigeelint EP001), and which origins are allowed is no longer \
         read in one place",
    )
}
