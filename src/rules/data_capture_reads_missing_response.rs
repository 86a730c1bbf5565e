use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Collect, FlowKind, Policy, PolicyView, StepId};
use crate::source::Span;

declare_rule!(
    /// A DataCapture that reads the response where there is none yet, or a path or query from a response.
    DataCaptureReadsMissingResponse,
    "data-capture-reads-missing-response",
    Flow,
    Warning,
    preview = true,
    apigeelint = [PO037],
    policy_kinds = [DataCapture],
);

/// Which message a Collect reads at a Step, if the Step says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reads {
    Request,
    Response,
}

impl Rule for DataCaptureReadsMissingResponse {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let PolicyView::DataCapture(view) = &policy.view else {
            return;
        };
        for collect in &view.collects {
            // The first Step that shows each problem: one finding a problem, not a Step.
            let mut before_response: Option<StepId> = None;
            let mut response_path: Option<StepId> = None;
            for &step in cx.project.attachments_of(policy.id) {
                let Some((in_response, reads)) = reads_at(cx, step, collect) else {
                    continue;
                };
                if reads == Reads::Response && !in_response {
                    before_response.get_or_insert(step);
                }
                if reads == Reads::Response && in_response {
                    response_path.get_or_insert(step);
                }
            }
            if let (Some(step), Some(source)) = (before_response, &collect.source) {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        source.span,
                        format!("DataCapture `{}` reads the response in a request flow", policy.name),
                    )
                    .primary_label("there is no response yet")
                    .label(cx.project.step(step).name_span, "attached to a request flow here")
                    .help(
                        "attach the policy to a response flow, or read the request \
                         (`<Source>request</Source>`): before the target answers, the response \
                         holds nothing to collect",
                    ),
                );
            }
            let Some(step) = response_path else { continue };
            for (part, span) in collect.parts.iter().filter(|(p, _)| p.request_only()) {
                out.push(response_has_no(policy, cx, step, part.tag_name(), *span));
            }
        }
    }
}

fn response_has_no(
    policy: &Policy,
    cx: &Context,
    step: StepId,
    part: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        &DataCaptureReadsMissingResponse::META,
        span,
        format!(
            "DataCapture `{}` reads a <{part}> from the response, which has none",
            policy.name
        ),
    )
    .primary_label("a response has no path or query: this never matches")
    .label(cx.project.step(step).name_span, "reads the response here")
    .help(
        "read the request (`<Source>request</Source>`): a response's first line carries a status, \
         not a path or a query, so the capture always falls back to its default",
    )
}

/// At `step`: is it in a response part, and which message does `collect` read there? `None`
/// where the flow says nothing of it (fault rules, shared flows) or the source is a variable.
fn reads_at(cx: &Context, step: StepId, collect: &Collect) -> Option<(bool, Reads)> {
    let place = cx.project.step_place(step);
    let kind = cx.project.flow(place.flow).kind;
    let in_response = match kind {
        FlowKind::PreFlow | FlowKind::Conditional | FlowKind::PostFlow => place.response,
        FlowKind::PostClientFlow => true,
        FlowKind::FaultRule | FlowKind::DefaultFaultRule | FlowKind::SharedFlow => return None,
    };
    let flow_message = if in_response { Reads::Response } else { Reads::Request };
    let reads = match collect.source.as_ref().map(|s| s.value.trim()) {
        None | Some("message") => flow_message,
        Some("request") => Reads::Request,
        Some("response") => Reads::Response,
        Some(_) => return None,
    };
    Some((in_response, reads))
}
