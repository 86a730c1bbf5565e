use super::token_policy::{attached, running_token_policy};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::DEFAULT_GRANTS;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A token policy without `<SupportedGrantTypes>`, which then accepts Apigee's default grants.
    SupportedGrantTypesMissing,
    "supported-grant-types-missing",
    OAuth,
    Warning,
    preview = true,
    policy_kinds = [OAuthV2],
);

impl Rule for SupportedGrantTypesMissing {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = running_token_policy(cx, policy) else {
            return;
        };
        if view.supported_grant_types.is_some() {
            return;
        }
        let diagnostic = Diagnostic::new(
            &Self::META,
            policy.name_span,
            format!(
                "`{}` has no <SupportedGrantTypes>, so Apigee accepts the {} grants",
                policy.name,
                DEFAULT_GRANTS.join(" and ")
            ),
        )
        .primary_label("issues tokens for whichever grant the request names among the defaults");
        out.push(attached(diagnostic, cx, policy).help(
            "list the grants the clients use, such as <SupportedGrantTypes><GrantType>client_credentials</GrantType></SupportedGrantTypes> \
             for machine clients or authorization_code for apps that sign users in: the defaults accept \
             the implicit grant and make the policy an issuer of refresh tokens",
        ));
    }
}
