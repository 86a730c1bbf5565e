use super::token_policy::{attached, runs};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::TOKEN_ATTRIBUTES_FIXED_AT_ISSUE;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyView};

declare_rule!(
    /// A SetOAuthV2Info that sets an attribute of the token that only issuing it sets.
    SetOAuthV2InfoProtectedAttribute,
    "setoauthv2info-protected-attribute",
    OAuth,
    Warning,
    policy_kinds = [SetOAuthV2Info],
);

impl Rule for SetOAuthV2InfoProtectedAttribute {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let PolicyView::SetOAuthV2Info(view) = &policy.view else {
            return;
        };
        if !runs(cx, policy) {
            return;
        }
        for attribute in &view.attributes {
            let Some(name) = &attribute.name else {
                continue;
            };
            let name_text = name.value.trim();
            if !TOKEN_ATTRIBUTES_FIXED_AT_ISSUE.contains(&name_text) {
                continue;
            }
            let diagnostic = Diagnostic::new(
                &Self::META,
                name.span,
                format!(
                    "`{}` sets the token's `{name_text}`, which SetOAuthV2Info cannot change",
                    policy.name
                ),
            )
            .primary_label("fixed when the token is issued");
            out.push(attached(diagnostic, cx, policy).help(help(name_text)));
        }
    }
}

/// The fix for the attribute: scope and lifetime come from the policy that issues the token, the
/// status from revocation; anything else kept beside the token takes a name of its own.
fn help(attribute: &str) -> String {
    let fix = match attribute {
        "scope" => "issue a new token with the scope it needs (the <Scope> of the GenerateAccessToken or RefreshAccessToken)".to_owned(),
        "expires_in" => "set the lifetime where the token is issued (<ExpiresIn> of the GenerateAccessToken)".to_owned(),
        "status" => "revoke the token with an OAuthV2 InvalidateToken (or approve it again with ValidateToken)".to_owned(),
        _ => format!("keep the value under a custom attribute name of its own, such as `app.{attribute}`"),
    };
    format!(
        "{fix}: SetOAuthV2Info adds or updates custom attributes only, and the token keeps its `{attribute}`"
    )
}
