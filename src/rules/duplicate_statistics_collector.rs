use super::runs_twice::steps_run_after;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::{DeclaredKind, Policy};

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
        for (later, earlier) in steps_run_after(cx, policy, &collectors) {
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
