use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{EndpointId, EndpointRef, NamedValue, Policy, Project, StepId};

declare_rule!(
    /// A policy that reads the request's or the response's body in a flow of an endpoint that streams that message.
    PayloadAccessWithStreaming,
    "payload-access-with-streaming",
    Flow,
    Warning,
    preview = true,
);

impl Rule for PayloadAccessWithStreaming {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let Some((source, read_at)) = policy.body_read() else {
            return;
        };
        // A shared flow's Step has a placement in each flow that calls it: one finding a Step.
        let mut runs: Vec<(StepId, &str, &NamedValue)> = cx
            .engine
            .placements(policy.id)
            .into_iter()
            .filter_map(|p| {
                let (endpoint, message) = cx.engine.flow_message(p)?;
                // A `<Source>` naming another message (a callout's response, a copy) reads
                // no streamed body.
                let reads = source.map_or(message, |s| match s.value.trim() {
                    "message" => message,
                    other => other,
                });
                let switch = streaming_switch(cx.project, endpoint, message)?;
                (reads == message).then_some((p.step, message, switch))
            })
            .collect();
        runs.sort_by_key(|&(step, ..)| step);
        runs.dedup_by_key(|&mut (step, ..)| step);
        for (step, message, switch) in runs {
            let text = format!(
                "{} `{}` reads the {message} body, which its endpoint streams",
                policy.kind_name(),
                policy.name
            );
            out.push(
                Diagnostic::new(&Self::META, cx.project.step(step).name_span, text)
                    .primary_label(format!("buffers the streamed {message}"))
                    .label(switch.span, format!("{message} streaming is switched on here"))
                    .label(read_at, "reads the body")
                    .help(HELP),
            );
        }
    }
}

/// The `<Property name="{message}.streaming.enabled">true</Property>` of the endpoint's
/// connection.
fn streaming_switch<'p>(
    project: &'p Project,
    endpoint: EndpointId,
    message: &str,
) -> Option<&'p NamedValue> {
    let properties = match project.endpoint(endpoint) {
        EndpointRef::Proxy(e) => e.connection.as_ref()?.properties.as_ref(),
        EndpointRef::Target(e) => e.http.as_ref()?.properties.as_ref(),
        EndpointRef::SharedFlow(_) => None,
    }?;
    properties
        .get(&format!("{message}.streaming.enabled"))
        .filter(|p| {
            p.value
                .as_ref()
                .is_some_and(|v| v.value.trim().eq_ignore_ascii_case("true"))
        })
}

const HELP: &str = "keep body-reading policies out of the flows of a streamed message, or give \
    them a condition that keeps the large payloads streaming is for away from them; reading a \
    streamed body makes Apigee buffer it in memory after all, which costs the latency streaming \
    saved and, with large payloads, heap on the message processors (Apigee's antipattern \
    \"Access the request/response payload when streaming is enabled\")";
