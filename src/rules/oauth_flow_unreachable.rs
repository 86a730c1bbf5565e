use super::unreachable_flow::explain;
use super::{declare_rule, BundleRef, Context, FlowSite, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{exchanges_refresh_tokens, handles_tokens, mints_tokens};
use crate::model::{Flow, FlowKind, Policy, Step};

declare_rule!(
    /// A conditional Flow that mints, refreshes or revokes tokens, which no request can enter.
    OAuthFlowUnreachable,
    "oauth-flow-unreachable",
    OAuth,
    Warning
);

impl Rule for OAuthFlowUnreachable {
    fn check_flow(
        &self,
        cx: &Context,
        _: BundleRef,
        flow: &Flow,
        _: &FlowSite,
        out: &mut Vec<Diagnostic>,
    ) {
        if flow.kind != FlowKind::Conditional {
            return;
        }
        let policies = token_policies(cx, flow);
        let Some((_, first)) = policies.first() else {
            return;
        };
        let Some(why) = cx.engine.flow_never_runs(flow.id) else {
            return;
        };
        let name = flow.name.as_deref().unwrap_or("(unnamed)");
        let what = verb(first);
        let mut diagnostic = Diagnostic::new(
            &Self::META,
            flow.span,
            format!(
                "token flow `{name}` can never run, so `{}` never {what} tokens: {}",
                first.name,
                why.describe()
            ),
        )
        .primary_label("never runs");
        for (step, policy) in &policies {
            let label = format!("`{}` {} tokens: never runs", policy.name, verb(policy));
            diagnostic = diagnostic.label(step.name_span, label);
        }
        out.push(explain(diagnostic, flow, why));
    }
}

/// What a token policy does to tokens, as a verb.
fn verb(policy: &Policy) -> &'static str {
    if exchanges_refresh_tokens(policy) {
        "refreshes"
    } else if mints_tokens(policy) {
        "issues"
    } else {
        "revokes"
    }
}

/// The flow's Steps whose enabled policy mints, refreshes or revokes tokens, with the policy.
pub(super) fn token_policies<'p>(cx: &Context<'p>, flow: &'p Flow) -> Vec<(&'p Step, &'p Policy)> {
    let project = cx.project;
    flow.request
        .iter()
        .chain(&flow.response)
        .filter_map(|step| {
            let policy = project.policy(project.step_policy(step.id)?.first()?);
            (policy.enabled && handles_tokens(policy)).then_some((step, policy))
        })
        .collect()
}
