use super::token_policy::{attached, running_operation};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::{TokenAction, DEFAULT_GRANTS};
use crate::diagnostic::Diagnostic;
use crate::model::{Accepted, Policy};

declare_rule!(
    /// An OAuthV2 that issues access tokens by the implicit grant, or a token policy that accepts it.
    ImplicitGrantEnabled,
    "implicit-grant-enabled",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
);

impl Rule for ImplicitGrantEnabled {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some((view, operation)) = running_operation(cx, policy) else {
            return;
        };
        let Some(named) = &view.operation else {
            return;
        };
        let (span, label, help) = match operation.action() {
            TokenAction::IssuesImplicitToken => (
                named.raw.span,
                "returns access tokens in the authorization response".to_owned(),
                "issue an authorization code instead (<Operation>GenerateAuthorizationCode</Operation>) \
                 and exchange it at the token endpoint with PKCE: the implicit grant puts the access \
                 token in the redirect URI, where browser history, logs and Referer headers leak it, \
                 and nothing binds it to the client (RFC 9700 §2.1.2)",
            ),
            TokenAction::IssuesTokens => {
                let (span, label) = match view.accepts_grant("implicit") {
                    None => return,
                    Some(Accepted::Listed(grant)) => (grant.span, "the implicit grant".to_owned()),
                    Some(Accepted::Default) => (
                        named.raw.span,
                        format!(
                            "without <SupportedGrantTypes> Apigee accepts {}",
                            DEFAULT_GRANTS.join(" and ")
                        ),
                    ),
                };
                (
                    span,
                    label,
                    "list in <SupportedGrantTypes> only the grants the clients use, without implicit: \
                     a browser or mobile app takes authorization_code with PKCE (RFC 9700 §2.1.2)",
                )
            }
            _ => return,
        };
        let diagnostic = Diagnostic::new(
            &Self::META,
            span,
            format!("`{}` accepts the implicit grant", policy.name),
        )
        .primary_label(label);
        out.push(attached(diagnostic, cx, policy).help(help));
    }
}
