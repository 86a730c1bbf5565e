use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// An endpoint or a condition whose analysis reached a limit of oauthlint.
    AnalysisLimitReached,
    "analysis-limit-reached",
    Flow,
    Info
);

impl Rule for AnalysisLimitReached {
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let visits = cx.engine.visits();
        for bundle in &cx.project.bundles {
            let endpoints = bundle
                .proxy_endpoints
                .iter()
                .filter(|e| visits.was_approximated(*e))
                .map(|e| (e.span, format!("ProxyEndpoint `{}`", e.name)));
            let shared = bundle
                .shared_flows
                .iter()
                .filter(|s| visits.was_approximated(*s))
                .map(|s| (s.span, format!("shared flow `{}`", s.name)));
            for (span, what) in endpoints.chain(shared) {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        span,
                        format!("the analysis of {what} reached the engine's limits: request classes were merged, so less is proved here"),
                    )
                    .primary_label("analysed approximately")
                    .help(
                        "findings that say something never runs stay correct, but some that could be proved here are not; \
                         fewer independent conditions on guarding policies (verification, API keys) keep the analysis exact",
                    ),
                );
            }
        }
        for parsed in cx.engine.conditions() {
            let Err(error) = &parsed.parsed else {
                continue;
            };
            if !error.over_limit {
                continue;
            }
            let condition = parsed.condition;
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span_of(error.span.clone()),
                    format!("{}: not analysed", error.message),
                )
                .primary_label("not analysed")
                .help(
                    "this is a limit of oauthlint, not a mistake in the condition: the engine takes \
                     the condition as unknown (it may hold or not), so findings that depend on it \
                     prove less; a shorter or flatter condition, or one split over several Steps \
                     or Flows, is analysed",
                ),
            );
        }
    }
}
