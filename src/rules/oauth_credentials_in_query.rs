use super::token_policy::{attached, from_query, running_operation};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, Valued};

declare_rule!(
    /// An OAuthV2 that reads a password, a code or a token from the query string.
    OAuthCredentialsInQuery,
    "oauth-credentials-in-query",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
);

impl Rule for OAuthCredentialsInQuery {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some((view, _)) = running_operation(cx, policy) else {
            return;
        };
        let tokens = view.tokens.iter().filter_map(|t| t.variable.as_ref());
        let credentials: Vec<(&str, &Valued)> = [
            ("the user's name", &view.user_name),
            ("the user's password", &view.password),
            ("the authorization code", &view.code),
            ("the refresh token", &view.refresh_token),
        ]
        .into_iter()
        .filter_map(|(what, v)| v.as_ref().map(|v| (what, v)))
        .chain(tokens.map(|v| ("the token", v)))
        .filter(|(_, v)| from_query(v))
        .collect();
        for (what, variable) in credentials {
            let parameter = variable.value.trim();
            let form = format!("request.formparam.{}", &parameter["request.queryparam.".len()..]);
            let diagnostic = Diagnostic::new(
                &Self::META,
                variable.span,
                format!("`{}` reads {what} from the query string", policy.name),
            )
            .primary_label("the URL carries it into access logs, browser history and Referer headers");
            out.push(attached(diagnostic, cx, policy).help(format!(
                "read it from the body of a POST (`{form}`), or from the Authorization header: \
                 credentials and tokens in URLs leak (RFC 9700 §4.3.2, RFC 6750 §2.3)"
            )));
        }
    }
}
