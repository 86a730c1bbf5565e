use super::runs_twice::{placements_of_kind, steps_run_after, SecondRun};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

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
        let collectors = placements_of_kind(cx, PolicyKind::StatisticsCollector);
        for pair in steps_run_after(cx, policy, &collectors) {
            out.push(SECOND_RUN.finding(cx, &Self::META, PolicyKind::StatisticsCollector, policy, pair));
        }
    }
}

const SECOND_RUN: SecondRun = SecondRun {
    later: "a second StatisticsCollector for the request",
    earlier: "may run first for the same request",
    help: "collect every statistic of a request in one StatisticsCollector, or give the Steps \
        conditions that no request satisfies together: apigeelint (BN009) holds that only one \
        runs, and what the analytics record keeps of two is not documented",
};
