use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::{DeclaredKind, Policy, StepId};

declare_rule!(
    /// A StatisticsCollector that may run after another one (or itself) for the same request.
    DuplicateStatisticsCollector,
    "duplicate-statistics-collector",
    Flow,
    Warning,
    preview = true,
    apigeelint = [BN009],
    policy_kinds = [StatisticsCollector],
);

impl Rule for DuplicateStatisticsCollector {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let collectors: Vec<Placement> = cx
            .project
            .bundles
            .iter()
            .flat_map(|b| &b.policies)
            .filter(|p| p.kind == DeclaredKind::Known(PolicyKind::StatisticsCollector))
            .flat_map(|p| cx.engine.placements(p.id))
            .collect();
        // A shared flow's Step has a placement in each proxy that calls it: one finding per Step.
        let mut found: Vec<(StepId, StepId)> = cx
            .engine
            .placements(policy.id)
            .into_iter()
            .filter_map(|later| {
                let earlier = collectors
                    .iter()
                    .find(|&&earlier| cx.engine.may_run_both(earlier, later))?;
                Some((later.step, earlier.step))
            })
            .collect();
        found.sort();
        found.dedup_by_key(|(later, _)| *later);
        for (later, earlier) in found {
            let first = cx.project.step(earlier);
            let message = if first.name == policy.name {
                format!("`{}` may run twice for the same request", policy.name)
            } else {
                format!(
                    "`{}` may run after StatisticsCollector `{}` for the same request",
                    policy.name, first.name
                )
            };
            let mut diagnostic =
                Diagnostic::new(&Self::META, cx.project.step(later).name_span, message)
                    .primary_label("a second StatisticsCollector for the request")
                    .help(HELP);
            // A shared flow's Step called twice runs after itself: no second place to show.
            if earlier != later {
                diagnostic = diagnostic.label(first.name_span, "may run first for the same request");
            }
            out.push(diagnostic);
        }
    }
}

const HELP: &str = "collect every statistic of a request in one StatisticsCollector, or give \
    the Steps conditions that no request satisfies together: apigeelint (BN009) holds that only \
    one runs, and what the analytics record keeps of two is not documented";
