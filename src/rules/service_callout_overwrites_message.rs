use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::vocabulary::PROXY_MESSAGES;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, Valued};

declare_rule!(
    /// A ServiceCallout whose request or response variable is one of the proxy's own messages.
    ServiceCalloutOverwritesMessage,
    "service-callout-overwrites-message",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO019, PO020],
    policy_kinds = [ServiceCallout],
);

impl Rule for ServiceCalloutOverwritesMessage {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.service_callout() else {
            return;
        };
        if !cx.engine.policy_may_run(policy.id) {
            return;
        }
        if let Some(variable) = proxy_message(&view.request_variable) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    variable.span,
                    format!(
                        "ServiceCallout `{}` builds its request in the proxy's own `{}`",
                        policy.name,
                        variable.value.trim()
                    ),
                )
                .primary_label("the proxy's message, not a new one")
                .help(
                    "name a new variable in <Request variable=\"…\"> (`calloutRequest`): what the \
                     callout sets, adds, removes or clears (`clearPayload`) is done to the message \
                     the proxy goes on with, and the callout sends the client's headers and \
                     credentials to another service",
                ),
            );
        }
        if let Some(variable) = proxy_message(&view.response_variable) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    variable.span,
                    format!(
                        "ServiceCallout `{}` stores the service's response in the proxy's own `{}`",
                        policy.name,
                        variable.value.trim()
                    ),
                )
                .primary_label("replaced by the callout's response")
                .help(
                    "name a new variable in <Response> (`calloutResponse`) and copy what is needed \
                     from it with ExtractVariables or AssignMessage: the callout replaces the \
                     proxy's message whole, headers and status included, and whatever the proxy \
                     does next works on the other service's answer",
                ),
            );
        }
    }
}

fn proxy_message(variable: &Option<Valued>) -> Option<&Valued> {
    variable
        .as_ref()
        .filter(|v| PROXY_MESSAGES.contains(&v.value.trim()))
}
