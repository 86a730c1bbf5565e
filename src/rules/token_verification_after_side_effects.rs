use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::{BundleKind, Policy};

declare_rule!(
    /// A credential verification that some request reaches only after a policy with a side
    /// effect (a ServiceCallout, a cache or key value map write, a syslog message) ran.
    TokenVerificationAfterSideEffects,
    "token-verification-after-side-effects",
    OAuth,
    Warning,
    preview = true,
    policy_kinds = [OAuthV2, VerifyAPIKey, VerifyJWT],
);

impl Rule for TokenVerificationAfterSideEffects {
    fn check_policy(&self, cx: &Context, bundle: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        // An OAuthV2 without <Operation> may verify nothing: no claim holds for every pick.
        let known = policy.oauth_v2().is_none() || policy.operation().is_some();
        if !policy.verifies_credential() || !known || !checks_the_caller(cx, policy) {
            return;
        }
        // One placement after the backend is token-verification-too-late's to report.
        let placements: Vec<Placement> = cx
            .engine
            .placements(policy.id)
            .into_iter()
            .filter(|&p| cx.engine.after_backend(p).is_none())
            .collect();
        // The side effects that may run before: the bundle's own, and its shared flows'.
        let shared_flows = cx.project.bundles.iter().filter(|b| b.kind == BundleKind::SharedFlow);
        let side_effects: Vec<(&Policy, Placement)> = std::iter::once(bundle.model)
            .chain(shared_flows.filter(|b| !std::ptr::eq(*b, bundle.model)))
            .flat_map(|b| &b.policies)
            .filter(|p| p.side_effect().is_some())
            // Fetching or caching what the verification checks against (a JWKS, say) must
            // come first.
            .filter(|p| !feeds(p, policy, cx) && !forwards_authorization(p))
            .flat_map(|p| cx.engine.placements(p.id).into_iter().map(move |at| (p, at)))
            // Behind another verification, only verified callers cause it.
            .filter(|&(_, at)| !cx.engine.always_preceded_by(at, Policy::verifies_credential))
            .collect();
        let mut reported = Vec::new();
        for at in placements {
            let Some(&(earlier, effect_at)) = side_effects
                .iter()
                .find(|(_, before)| cx.engine.may_run_before_on_one_route(*before, at))
            else {
                continue;
            };
            // A shared flow's Step has a placement in each proxy that calls it: one finding.
            if reported.contains(&at.step) {
                continue;
            }
            reported.push(at.step);
            let effect = earlier.side_effect().map_or("", |e| e.describe());
            out.push(
                Diagnostic::new(
                    &Self::META,
                    cx.project.step(at.step).name_span,
                    format!(
                        "`{}` may run after `{}`, which {effect}: a request with no valid \
                         credential gets that far",
                        policy.name, earlier.name
                    ),
                )
                .primary_label("verifies the caller here")
                .label(
                    cx.project.step(effect_at.step).name_span,
                    format!("{effect} before any credential was checked"),
                )
                .help(HELP),
            );
        }
    }
}

const HELP: &str = "move the verification before the side effect, first in the ProxyEndpoint \
    PreFlow request: otherwise anyone can make the proxy call services, fill caches and key \
    value maps or send logs, without a credential";

/// Does the verification check a credential the request carries? One that checks a key read
/// from a cache (the client an authorization callback's `state` stands for) or a token another
/// service returned checks that, not the caller: the side effects before it are not a caller's
/// it should have stopped.
fn checks_the_caller(cx: &Context, verification: &Policy) -> bool {
    verification
        .credential_variable()
        .is_none_or(|v| cx.engine.client_sets(&v))
}

/// Does the verification read what the side effect hands on, directly or through one
/// AssignMessage or ExtractVariables of either bundle that reads it and sets what the
/// verification reads (`calloutResponse.content` copied into `jwks`)?
fn feeds(effect: &Policy, verification: &Policy, cx: &Context) -> bool {
    let Some(handed) = effect.handed_on() else {
        return false;
    };
    let derived = |name: &str| {
        name.strip_prefix(handed.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    let reads: Vec<&str> = verification
        .mentioned_names()
        .into_iter()
        .filter(|n| is_variable_name(n))
        .collect();
    if reads.iter().any(|n| derived(n)) {
        return true;
    }
    let bundles = [effect.id, verification.id].map(|p| cx.project.policy_place(p).bundle);
    let mut between = bundles.iter().flat_map(|&b| &cx.project.bundle(b).policies);
    between.any(|p| {
        p.mentioned_names().into_iter().any(derived)
            && p.names_set().iter().any(|n| reads.contains(n))
    })
}

/// Does the side effect pass on the caller's `Authorization` header? A ServiceCallout that
/// does asks another service to authenticate the caller (apigee-remote-service's and
/// microgateway's bootstrap calls): it is a verification, done remotely.
fn forwards_authorization(effect: &Policy) -> bool {
    let names = effect.mentioned_names();
    names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("request.header.authorization"))
}

/// A name that may be a flow variable's: no blanks, not a literal a policy's text also holds.
fn is_variable_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.contains(char::is_whitespace)
        && !matches!(name, "true" | "false")
}
