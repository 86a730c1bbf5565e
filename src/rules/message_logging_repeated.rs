use super::runs_twice::{placements_of_kind, steps_run_after, SecondRun};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::Policy;

declare_rule!(
    /// A MessageLogging that may run after another one (or itself) for the same request, outside the PostClientFlow.
    MessageLoggingRepeated,
    "message-logging-repeated",
    Flow,
    Warning,
    preview = true,
    policy_kinds = [MessageLogging],
);

impl Rule for MessageLoggingRepeated {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        // Loggers that all run in the PostClientFlow are what Apigee recommends; one there
        // after one earlier on the request's path still logs the request twice.
        let earlier: Vec<Placement> = placements_of_kind(cx, PolicyKind::MessageLogging)
            .into_iter()
            .filter(|&at| !cx.engine.after_response_sent(at))
            .collect();
        for pair in steps_run_after(cx, policy, &earlier) {
            out.push(SECOND_RUN.finding(cx, &Self::META, PolicyKind::MessageLogging, policy, pair));
        }
    }
}

const SECOND_RUN: SecondRun = SecondRun {
    later: "a second MessageLogging for the request",
    earlier: "may log first for the same request",
    help: "log once per request, from one MessageLogging in the ProxyEndpoint's PostClientFlow, \
        which runs after the response was sent, error responses included: each MessageLogging \
        that runs opens its own connection to the log server (a TLS handshake for syslog over \
        TLS), and several on the request path cost that many times over (Apigee's antipattern \
        \"Invoke the MessageLogging policy multiple times in an API proxy\")",
};
