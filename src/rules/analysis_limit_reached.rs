use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{ProxyEndpoint, SharedFlow};
use crate::source::Span;

declare_rule!(
    /// An endpoint whose symbolic analysis reached the engine's limits.
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
        if cx.engine.visits().was_approximated(endpoint) {
            let what = format!("ProxyEndpoint `{}`", endpoint.name);
            out.push(approximated(endpoint.span, &what));
        }
    }

    fn check_shared_flow(
        &self,
        cx: &Context,
        _: BundleRef,
        shared: &SharedFlow,
        out: &mut Vec<Diagnostic>,
    ) {
        if cx.engine.visits().was_approximated(shared) {
            let what = format!("shared flow `{}`", shared.name);
            out.push(approximated(shared.span, &what));
        }
    }
}

/// The finding for `what`, whose analysis merged request classes.
fn approximated(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        &AnalysisLimitReached::META,
        span,
        format!("the analysis of {what} reached the engine's limits: request classes were merged, so less is proved here"),
    )
    .primary_label("analysed approximately")
    .help(
        "findings that say something never runs stay correct, but some that could be proved here are not; \
         fewer independent conditions on guarding policies (verification, API keys) keep the analysis exact",
    )
}
