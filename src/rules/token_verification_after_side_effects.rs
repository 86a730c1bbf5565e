use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::Placement;
use crate::model::Policy;

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
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
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
        let mut reported = Vec::new();
        for at in placements {
            // A shared flow's Step has a placement in each proxy that calls it: one finding.
            if reported.contains(&at.step) {
                continue;
            }
            let Some((earlier, effect_at)) = cx
                .engine
                .placed_before(at)
                .map(|(p, before)| (cx.project.policy(p), before))
                .find(|&(p, before)| unverified_side_effect(cx, p, before, at))
            else {
                continue;
            };
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

/// Is `effect`, placed at `before`, a side effect some request without a checked credential
/// causes on its way to `at`? Not when another verification always runs first, nor when it
/// serves verifying: fetching or caching what a verification later on the way checks against
/// (a JWKS, this verification's or another's), or passing the caller's credential on to be
/// checked remotely.
fn unverified_side_effect(cx: &Context, effect: &Policy, before: Placement, at: Placement) -> bool {
    effect.side_effect().is_some()
        && !forwards_authorization(effect)
        && cx.engine.may_run_before_on_one_route(before, at)
        && !cx.engine.always_preceded_by(before, Policy::verifies_credential)
        && !cx.engine.placed_after(before).any(|(v, _)| {
            let v = cx.project.policy(v);
            v.verifies_credential() && feeds(effect, v, cx)
        })
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
