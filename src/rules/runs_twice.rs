//! Policies that should run at most once a request: the Steps of a policy that one request may
//! reach after it ran an earlier one, and the finding that shows such a pair.

use super::{Context, RuleMeta};
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::{DeclaredKind, Policy, StepId};

/// The Steps of `policy` that some request may run after one of `earlier` (placements, the
/// policy's own among them when it should not run twice), each with the earlier Step: one pair a
/// later Step, sorted, whichever proxies call a shared flow's Step.
pub(super) fn steps_run_after(
    cx: &Context,
    policy: &Policy,
    earlier: &[Placement],
) -> Vec<(StepId, StepId)> {
    let mut found: Vec<(StepId, StepId)> = cx
        .engine
        .placements(policy.id)
        .into_iter()
        .filter_map(|later| {
            let first = earlier
                .iter()
                .find(|&&first| cx.engine.may_run_both(first, later))?;
            Some((later.step, first.step))
        })
        .collect();
    found.sort();
    found.dedup_by_key(|(later, _)| *later);
    found
}

/// The placements of every policy of `kind` in the project.
pub(super) fn placements_of_kind(cx: &Context, kind: PolicyKind) -> Vec<Placement> {
    cx.project
        .bundles
        .iter()
        .flat_map(|b| &b.policies)
        .filter(|p| p.kind == DeclaredKind::Known(kind))
        .flat_map(|p| cx.engine.placements(p.id))
        .collect()
}

/// The labels and help of a second run's finding.
pub(super) struct SecondRun {
    pub later: &'static str,
    pub earlier: &'static str,
    pub help: &'static str,
}

impl SecondRun {
    /// The finding at `later`, a Step of `policy` (a `kind`) that may run after `earlier`.
    pub(super) fn finding(
        &self,
        cx: &Context,
        meta: &RuleMeta,
        kind: PolicyKind,
        policy: &Policy,
        (later, earlier): (StepId, StepId),
    ) -> Diagnostic {
        let first = cx.project.step(earlier);
        let message = if first.name == policy.name {
            format!("`{}` may run twice for the same request", policy.name)
        } else {
            format!(
                "`{}` may run after {} `{}` for the same request",
                policy.name,
                kind.name(),
                first.name
            )
        };
        let diagnostic = Diagnostic::new(meta, cx.project.step(later).name_span, message)
            .primary_label(self.later)
            .help(self.help);
        // A shared flow's Step called twice runs after itself: no second place to show.
        if earlier == later {
            diagnostic
        } else {
            diagnostic.label(first.name_span, self.earlier)
        }
    }
}
