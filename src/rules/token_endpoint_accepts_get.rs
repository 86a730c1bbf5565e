use super::token_policy::{attached, from_query, running_token_endpoint};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A token endpoint that takes the grant type from the query string: token requests then
    /// carry their parameters in the URL, as a GET does.
    TokenEndpointAcceptsGet,
    "token-endpoint-accepts-get",
    OAuth,
    Warning,
    preview = true,
    policy_kinds = [OAuthV2],
);

impl Rule for TokenEndpointAcceptsGet {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = running_token_endpoint(cx, policy) else {
            return;
        };
        let Some(grant_type) = view.grant_type.as_ref().filter(|g| from_query(g)) else {
            return;
        };
        let diagnostic = Diagnostic::new(
            &Self::META,
            grant_type.span,
            format!(
                "`{}` reads the grant type from the query string, so its token requests carry their parameters in the URL",
                policy.name
            ),
        )
        .primary_label("the token request's parameters are read from the URL");
        out.push(attached(diagnostic, cx, policy).help(
            "read the grant type from the body (`<GrantType>request.formparam.grant_type</GrantType>`) and \
             let the token flow's condition admit only POST (`request.verb = \"POST\"`): RFC 6749 §3.2 \
             requires POST for token requests, whose credentials and codes must not be in URLs (RFC 9700 §4.3.2)",
        ));
    }
}
