use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::visits::Limit;

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
            let endpoints = bundle.proxy_endpoints.iter().map(|e| {
                (
                    e.span,
                    format!("ProxyEndpoint `{}`", e.name),
                    visits.limits_reached(e),
                )
            });
            let shared = bundle.shared_flows.iter().map(|s| {
                (
                    s.span,
                    format!("shared flow `{}`", s.name),
                    visits.limits_reached(s),
                )
            });
            for (span, what, limits) in endpoints.chain(shared) {
                if limits.is_empty() {
                    continue;
                }
                let reached: Vec<String> = limits.iter().map(|l| l.describe()).collect();
                let mut help = vec![
                    "findings that say something never runs stay correct, but some that could be \
                     proved here are not",
                ];
                help.extend(limits.iter().map(|&l| tip(l)));
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        span,
                        format!(
                            "the analysis of {what} reached the engine's limits: {}, so less is \
                             proved here",
                            reached.join("; ")
                        ),
                    )
                    .primary_label("analysed approximately")
                    .help(help.join("; ")),
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

/// What keeps the analysis of an endpoint within `limit`.
fn tip(limit: Limit) -> &'static str {
    match limit {
        Limit::States => {
            "fewer independent conditions on guarding policies (verification, API keys) keep the \
             analysis exact"
        }
        Limit::ClassesPerCondition => {
            "a condition that reads fewer inputs at once, or one split over several Steps or \
             Flows, is analysed exactly"
        }
        Limit::CalloutDepth => {
            "a shared flow that calls itself, directly or through others, is only followed so deep"
        }
    }
}
