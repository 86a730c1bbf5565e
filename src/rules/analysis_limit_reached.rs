use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::{Limit, ParsedCondition};
use crate::model::{ProxyEndpoint, SharedFlow};
use crate::source::Span;
use std::collections::BTreeSet;

declare_rule!(
    /// An endpoint or a condition whose analysis reached a limit of oauthlint.
    AnalysisLimitReached,
    "analysis-limit-reached",
    Flow,
    Info
);

impl Rule for AnalysisLimitReached {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let limits = cx.engine.limits_reached(endpoint.id);
        let what = format!("ProxyEndpoint `{}`", endpoint.name);
        out.extend(approximated(endpoint.span, &what, limits));
    }

    fn check_shared_flow(
        &self,
        cx: &Context,
        _: BundleRef,
        shared: &SharedFlow,
        out: &mut Vec<Diagnostic>,
    ) {
        let limits = cx.engine.limits_reached(shared.id);
        let what = format!("shared flow `{}`", shared.name);
        out.extend(approximated(shared.span, &what, limits));
    }

    fn check_condition(&self, _: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Err(error) = &parsed.parsed else {
            return;
        };
        if !error.over_limit {
            return;
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

/// The finding for `what`, when its analysis reached `limits`.
fn approximated(span: Span, what: &str, limits: &BTreeSet<Limit>) -> Option<Diagnostic> {
    if limits.is_empty() {
        return None;
    }
    let reached: Vec<String> = limits.iter().map(|l| l.describe()).collect();
    let mut help = vec![
        "findings that say something never runs stay correct, but some that could be \
         proved here are not",
    ];
    help.extend(limits.iter().map(|&l| tip(l)));
    Some(
        Diagnostic::new(
            &AnalysisLimitReached::META,
            span,
            format!(
                "the analysis of {what} reached the engine's limits: {}, so less is \
                 proved here",
                reached.join("; ")
            ),
        )
        .primary_label("analysed approximately")
        .help(help.join("; ")),
    )
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
        Limit::CalloutDepth => "shorter chains of shared flows calling one another are followed to the end",
        Limit::RecursiveCallout => {
            "a shared flow that calls itself, directly or through others, is followed once; \
             without such a loop the analysis is exact"
        }
    }
}
