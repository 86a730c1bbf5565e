use super::unverified_target_route::{answers_for_caller, preflight_maybe_answered, who};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::Guard;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, Resolved, TargetEndpoint};

declare_rule!(
    /// A LocalTargetConnection to a proxy of the project that clients can call directly without a credential verification.
    ChainedProxyUnverified,
    "chained-proxy-unverified",
    OAuth,
    Warning,
    preview = true,
);

/// A check that the caller is the local façade: its address (AccessControl), §7 OA307 ✔.
fn checks_caller_address(policy: &Policy) -> bool {
    policy.facts().guard == Some(Guard::ChecksClientAddress)
}

impl Rule for ChainedProxyUnverified {
    fn check_target_endpoint(&self, cx: &Context, _: BundleRef, target: &TargetEndpoint, out: &mut Vec<Diagnostic>) {
        let (Some(local), Some(Resolved::Found(chained))) = (&target.local, cx.project.chained_endpoint(target.id)) else {
            return;
        };
        let Some(endpoint) = cx.project.proxy_endpoint(*chained) else {
            return;
        };
        let bundle = cx.project.bundle(cx.project.endpoint_bundle(*chained));
        // Runs through the façade carry its verification in their history; a direct call does not.
        let open = endpoint.route_rules.iter().find_map(|rule| {
            let open = cx.engine.routed_without(rule.id, |p| answers_for_caller(p) || checks_caller_address(p));
            open.into_iter()
                .find(|a| a.certain && !preflight_maybe_answered(cx, bundle, a))
                .map(|a| (rule, a))
        });
        let Some((rule, arrival)) = open else {
            return;
        };
        out.push(
            Diagnostic::new(
                &Self::META,
                local.span,
                format!(
                    "the chained proxy endpoint `{}` verifies no credential: {} sent to it directly reaches its backend",
                    endpoint.name,
                    who(arrival)
                ),
            )
            .primary_label("chains to a proxy that clients can also call")
            .label(rule.span, "routes the direct request here, unverified")
            .help("verify the credential in the chained proxy too, or restrict it to local callers (an AccessControl step)"),
        );
    }
}
