use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// An OAuthV2 value that Apigee refuses at deploy for what it means, beyond the schema's types.
    OAuthInvalidValue,
    "oauth-invalid-value",
    OAuth,
    Error,
    policy_kinds = [OAuthV2],
);

impl Rule for OAuthInvalidValue {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let (Some(view), Some(operation)) = (policy.oauth_v2(), policy.operation()) else {
            return;
        };
        if !matches!(
            operation.action(),
            TokenAction::RevokesTokens | TokenAction::ReapprovesTokens
        ) || cx.project.attachments_of(policy.id).is_empty()
        {
            return;
        }
        let help = "name the variable that holds the token in each <Token>, such as \
                    <Tokens><Token type=\"refreshtoken\" cascade=\"true\">request.formparam.token</Token></Tokens>";
        let operation_span = view.operation.as_ref().map_or(policy.name_span, |o| o.raw.span);
        for token in view.tokens.iter().filter(|t| t.variable.is_none()) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    token.span,
                    format!("a <Token> of `{}` names no variable", policy.name),
                )
                .primary_label("Apigee refuses the deployment: TokenValueRequired")
                .label(operation_span, "the operation that reads it")
                .help(help),
            );
        }
    }
}
