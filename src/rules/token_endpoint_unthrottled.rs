use super::token_policy::running_token_endpoint;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, StepId};

declare_rule!(
    /// A token endpoint that requests may reach with no SpikeArrest or Quota run before it.
    TokenEndpointUnthrottled,
    "token-endpoint-unthrottled",
    OAuth,
    Info,
    preview = true,
    policy_kinds = [OAuthV2],
);

impl Rule for TokenEndpointUnthrottled {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        if running_token_endpoint(cx, policy).is_none() {
            return;
        }
        // A shared flow's Step has a placement in each proxy that calls it: one finding per Step.
        let mut unthrottled: Vec<StepId> = cx
            .engine
            .placements(policy.id)
            .into_iter()
            .filter(|&p| cx.engine.proxy_endpoint_of(p).is_some())
            .filter(|&p| !cx.engine.always_preceded_by(p, Policy::limits_request_rate))
            .map(|p| p.step)
            .collect();
        unthrottled.sort();
        unthrottled.dedup();
        let message = format!(
            "`{}` issues tokens to requests that may reach it without a SpikeArrest or Quota",
            policy.name
        );
        for step in unthrottled {
            out.push(
                Diagnostic::new(&Self::META, cx.project.step(step).name_span, &message)
                    .primary_label("a request may get here with no SpikeArrest or Quota run first")
                    .help(HELP),
            );
        }
    }
}

const HELP: &str = "run a SpikeArrest (or a Quota keyed on the client) unconditionally before \
    the token step, in the PreFlow or in the token flow: otherwise a client can try client \
    secrets, passwords, codes and refresh tokens as fast as the endpoint answers";
