use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A VerifyAccessToken that takes the access token from a query parameter.
    AccessTokenInQuery,
    "access-token-in-query",
    OAuth,
    Warning,
    preview = true,
    policy_kinds = [OAuthV2],
);

/// The variables of the request's query parameters.
const QUERY: &str = "request.queryparam.";

impl Rule for AccessTokenInQuery {
    fn check_policy(&self, _: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let verifies = policy
            .operation()
            .is_some_and(|o| o.action() == TokenAction::VerifiesAccessToken);
        let Some(source) = policy.oauth_v2().and_then(|v| v.access_token.as_ref()) else {
            return;
        };
        let name = source.value.trim();
        let param = name
            .get(..QUERY.len())
            .filter(|p| p.eq_ignore_ascii_case(QUERY))
            .map(|_| &name[QUERY.len()..]);
        let (true, Some(param)) = (verifies, param) else {
            return;
        };
        out.push(
            Diagnostic::new(
                &Self::META,
                source.span,
                format!("`{}` accepts the access token from the query parameter `{param}`", policy.name),
            )
            .primary_label("a token in the URL is kept in browser history, proxy and server logs, and Referer headers")
            .help("remove <AccessToken> so that the token comes from the Authorization: Bearer header, the default"),
        );
    }
}
