use super::oauth_flow_unreachable::token_policies;
use super::{declare_rule, BundleRef, Context, FlowSite, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::NeverRuns;
use crate::model::{Flow, FlowKind};

declare_rule!(
    /// A conditional Flow that no request can enter.
    UnreachableFlow,
    "unreachable-flow",
    Flow,
    Warning,
    apigeelint = [CC001, CC006, CC008, FL001],
);

impl Rule for UnreachableFlow {
    fn check_flow(
        &self,
        cx: &Context,
        _: BundleRef,
        flow: &Flow,
        _: &FlowSite,
        out: &mut Vec<Diagnostic>,
    ) {
        // A flow that mints or revokes tokens is oauth-flow-unreachable's, which says what is lost.
        if flow.kind != FlowKind::Conditional || !token_policies(cx, flow).is_empty() {
            return;
        }
        let Some(why) = cx.engine.flow_never_runs(flow.id) else {
            return;
        };
        let name = flow.name.as_deref().unwrap_or("(unnamed)");
        let diagnostic = Diagnostic::new(
            &Self::META,
            flow.span,
            format!("flow `{name}` can never run: {}", why.describe()),
        );
        out.push(explain(diagnostic, flow, why).primary_label("never runs"));
    }
}

/// Labels what makes the flow unreachable, and the help to fix it.
pub(super) fn explain(diagnostic: Diagnostic, flow: &Flow, why: NeverRuns) -> Diagnostic {
    let name = flow.name.as_deref().unwrap_or("(unnamed)");
    match why {
        NeverRuns::Shadowed { by: Some(by), .. } => {
            let by_name = by.name.as_deref().unwrap_or("(unnamed)");
            let label = match &by.condition {
                Some(c) => diagnostic.label(c.span, "every request this flow matches also matches this"),
                None => diagnostic.label(by.span, "no condition: this flow takes every request"),
            };
            label.help(format!(
                "Apigee runs only the first Flow whose condition holds: move `{name}` before `{by_name}`, \
                 or narrow the condition of `{by_name}`"
            ))
        }
        NeverRuns::Shadowed { by: None, .. } => diagnostic.help(
            "Apigee runs only the first Flow whose condition holds, and the flows before this one \
             together match every request it would: move it up, or narrow theirs",
        ),
        NeverRuns::FlowConditionNeverHolds { .. } => match &flow.condition {
            Some(c) => diagnostic
                .label(c.span, "no request reaching this point satisfies this")
                .help("correct the condition, or remove the flow"),
            None => diagnostic,
        },
        _ => diagnostic.help("every request is answered with a fault before the conditional flows; check the PreFlow"),
    }
}
