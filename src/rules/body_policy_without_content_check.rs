use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{BodyPart, Policy, PolicyView, StepId};

declare_rule!(
    /// An ExtractVariables that reads the request's JSON, XML or form body where a request
    /// without a body may run it, and fails the request when it does.
    BodyPolicyWithoutContentCheck,
    "body-policy-without-content-check",
    Flow,
    Warning,
    preview = true,
    apigeelint = [ST003, ST004, ST005],
    policy_kinds = [ExtractVariables],
);

impl Rule for BodyPolicyWithoutContentCheck {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let PolicyView::ExtractVariables(view) = &policy.view else {
            return;
        };
        let Some(&(part, read_at)) = view.body_reads.first() else {
            return;
        };
        // Unresolved variables left empty, or a failure that does not end the request: a
        // request without a body passes.
        let lenient = view.ignore_unresolved.as_ref().is_some_and(|f| f.is_true());
        if lenient || policy.continue_on_error {
            return;
        }
        // Another source is a response or a variable the proxy filled: not the client's choice.
        let reads_request = view
            .source
            .as_ref()
            .is_none_or(|s| matches!(s.value.trim(), "message" | "request"));
        if !reads_request {
            return;
        }
        // A shared flow's Step has a placement in each proxy that calls it: one finding per Step.
        let mut open: Vec<(StepId, &str)> = cx
            .engine
            .placements(policy.id)
            .into_iter()
            .filter_map(|p| Some((p.step, cx.engine.bodiless_request_through(p)?)))
            .collect();
        open.sort_by_key(|(step, _)| *step);
        open.dedup_by_key(|(step, _)| *step);
        let what = match part {
            BodyPart::JsonPayload => "JSON payload",
            BodyPart::XmlPayload => "XML payload",
            BodyPart::FormParam => "form parameters",
        };
        for (step, verb) in open {
            let message = format!(
                "`{}` reads the request's {what}, but a {verb} request without a body may run it",
                policy.name
            );
            out.push(
                Diagnostic::new(&Self::META, cx.project.step(step).name_span, message)
                    .primary_label(format!(
                        "no condition on the way here turns away a {verb} without a body"
                    ))
                    .label(read_at, "fails when the body is missing")
                    .help(HELP),
            );
        }
    }
}

const HELP: &str = "give the Step (or its flow) a condition that only requests with a body \
    pass, such as request.header.Content-Type = \"application/json\", request.content != null or \
    a verb that carries one; if the fields are optional, set \
    <IgnoreUnresolvedVariables>true</IgnoreUnresolvedVariables> instead. Otherwise a client that \
    sends no body gets a server error from the extraction rather than an answer to its mistake";
