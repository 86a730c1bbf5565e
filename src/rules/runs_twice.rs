//! Policies that should run at most once a request: the Steps of a policy that one request may
//! reach after it ran an earlier one.

use super::Context;
use crate::engine::Placement;
use crate::model::{Policy, StepId};

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
