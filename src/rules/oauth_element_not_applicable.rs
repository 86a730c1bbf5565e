use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::OperationElement;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// An OAuthV2 element that its operation does not read, which Apigee refuses at deploy.
    OAuthElementNotApplicable,
    "oauth-element-not-applicable",
    OAuth,
    Error,
    policy_kinds = [OAuthV2],
);

impl Rule for OAuthElementNotApplicable {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        // Without <Operation> any operation may be meant, and each reads some of them.
        let (Some(view), Some(operation)) = (policy.oauth_v2(), policy.operation()) else {
            return;
        };
        // Only a deployed Step is known to be validated.
        if cx.project.attachments_of(policy.id).is_empty() {
            return;
        }
        for element in OperationElement::ALL {
            if element.read_by(operation.action()) {
                continue;
            }
            let Some(span) = view.given(element) else {
                continue;
            };
            let name = element.name();
            let diagnostic = Diagnostic::new(
                &Self::META,
                span,
                format!(
                    "`{}` gives <{name}>, which the {} operation does not take",
                    policy.name,
                    operation.name()
                ),
            )
            .primary_label(format!("Apigee refuses the deployment: {}", element.deploy_error()))
            .label(
                view.operation.as_ref().map_or(policy.name_span, |o| o.raw.span),
                "the operation",
            );
            out.push(diagnostic.help(help(element)));
        }
    }
}

/// Where the setting belongs instead.
fn help(element: OperationElement) -> String {
    let home = match element {
        OperationElement::ExpiresIn => {
            "the policy that issues the tokens or codes (GenerateAccessToken, GenerateAuthorizationCode, RefreshAccessToken and their JWT and implicit twins)"
        }
        OperationElement::RefreshTokenExpiresIn => {
            "the policy that issues the refresh tokens (GenerateAccessToken or RefreshAccessToken, or their JWT twins)"
        }
        OperationElement::SupportedGrantTypes => {
            "the token endpoint's GenerateAccessToken (or GenerateJWTAccessToken)"
        }
    };
    format!("remove <{}> here; it belongs on {home}", element.name())
}
