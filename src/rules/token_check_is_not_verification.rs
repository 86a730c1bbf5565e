use super::unverified_target_route::{answers_for_caller, backend, preflight_maybe_answered, who};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyId, PolicyView};

declare_rule!(
    /// A ValidateToken or a GetOAuthV2Info of an access token that is the only check before a backend.
    TokenCheckIsNotVerification,
    "token-check-is-not-verification",
    OAuth,
    Error,
    preview = true,
);

/// What the policy does instead of verifying, when it is mistaken for a verification.
fn mistaken_check(policy: &Policy) -> Option<&'static str> {
    if policy.operation().is_some_and(|o| o.action() == TokenAction::ReapprovesTokens) {
        return Some("ValidateToken approves the tokens again (a revoked token becomes good), it verifies nothing");
    }
    match &policy.view {
        PolicyView::GetOAuthV2Info(view) if view.access_token.is_some() => Some(
            "GetOAuthV2Info reads the token's profile; it does not check the API product, the scope or the resource as VerifyAccessToken does",
        ),
        _ => None,
    }
}

impl Rule for TokenCheckIsNotVerification {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        let mut flagged: Vec<PolicyId> = Vec::new();
        for endpoint in &bundle.proxy_endpoints {
            for rule in &endpoint.route_rules {
                let Some(backend) = backend(rule) else {
                    continue;
                };
                let open = cx.engine.routed_without(rule.id, answers_for_caller);
                for arrival in open.into_iter().filter(|a| a.certain && !preflight_maybe_answered(cx, &bundle, a)) {
                    for &id in &arrival.ran {
                        let policy = cx.project.policy(id);
                        let Some(why) = mistaken_check(policy) else {
                            continue;
                        };
                        if flagged.contains(&id) {
                            continue;
                        }
                        flagged.push(id);
                        out.push(
                            Diagnostic::new(
                                &Self::META,
                                policy.name_span,
                                format!(
                                    "`{}` is the only check before {backend}: {} gets there without a verification",
                                    policy.name,
                                    who(arrival)
                                ),
                            )
                            .primary_label(why)
                            .label(rule.span, "routes the request here")
                            .help("verify the token with an OAuthV2 policy whose <Operation> is VerifyAccessToken (or VerifyJWTAccessToken)"),
                        );
                    }
                }
            }
        }
    }
}
