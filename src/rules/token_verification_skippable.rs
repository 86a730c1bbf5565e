use super::unverified_target_route::{answers_for_caller, backend, preflight_maybe_answered, who};
use super::{declare_rule, BundleRef, Context, Phase, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::model::{FlowSlot, Resolved, Step};
use crate::rules::driver::FlowOwner;

declare_rule!(
    /// A credential verification under a condition the client decides, which a request skips on its way to a backend.
    TokenVerificationSkippable,
    "token-verification-skippable",
    OAuth,
    Error,
    preview = true,
);

impl Rule for TokenVerificationSkippable {
    fn check_step(&self, cx: &Context, bundle: BundleRef, step: &Step, site: &StepSite, out: &mut Vec<Diagnostic>) {
        // Every request to a backend passes the ProxyEndpoint's PreFlow and PostFlow, so one that
        // gets there unverified skipped this Step.
        let FlowOwner::ProxyEndpoint(endpoint) = site.owner else {
            return;
        };
        let slot = cx.project.flow_place(site.flow.id).slot;
        if site.phase != Phase::Request || !matches!(slot, FlowSlot::PreFlow | FlowSlot::PostFlow) {
            return;
        }
        let Some(condition) = &step.condition else {
            return;
        };
        let Some(Resolved::Found(policy)) = cx.project.step_policy(step.id) else {
            return;
        };
        let policy = cx.project.policy(*policy);
        // An OAuthV2 without <Operation> may verify nothing: no claim holds for every pick.
        let known = policy.oauth_v2().is_none() || policy.operation().is_some();
        if !policy.verifies_credential() || !known || !cx.engine.step_may_run(step.id) {
            return;
        }
        let inputs = cx.engine.client_inputs_read(condition);
        if inputs.is_empty() {
            return;
        }
        for rule in &endpoint.route_rules {
            let open = cx.engine.routed_without(rule.id, answers_for_caller);
            let (Some(arrival), Some(backend)) = (open.into_iter().find(|a| a.certain && !preflight_maybe_answered(cx, &bundle, a)), backend(rule)) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span,
                    format!(
                        "`{}` runs only when this condition holds: {} skips it and reaches {backend}",
                        policy.name,
                        who(arrival)
                    ),
                )
                .primary_label(format!("the client decides it through `{}`", inputs.join("`, `")))
                .label(rule.span, format!("routes {} here unverified", arrival.class))
                .help("verify every request; answer the requests that need no credential (a CORS preflight, a health check) in their own flow with a null RouteRule"),
            );
            return;
        }
    }
}
