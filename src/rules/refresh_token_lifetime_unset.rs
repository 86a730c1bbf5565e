use super::lifetime::issues_refresh_tokens;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A policy that issues refresh tokens without saying how long they live.
    RefreshTokenLifetimeUnset,
    "refresh-token-lifetime-unset",
    OAuth,
    Warning,
    edge = Error,
    policy_kinds = [OAuthV2],
);

impl Rule for RefreshTokenLifetimeUnset {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.oauth_v2() else {
            return;
        };
        let Some(operation) = &view.operation else {
            return;
        };
        if view.refresh_token_expires_in.is_some() || !issues_refresh_tokens(policy) {
            return;
        }
        // Edge: an absent lifetime never expires ([E-AP-NOEXP] ✔); elsewhere the system
        // default applies ([SAP-OAUTH] ✔), which no source states for X (○).
        let lives = match cx.profile {
            Some(Profile::Edge) => "on Apigee Edge they never expire",
            _ => "they live as long as the platform's default, which the bundle does not show",
        };
        out.push(
            Diagnostic::new(
                &Self::META,
                policy.name_span,
                format!(
                    "`{}` issues refresh tokens without <RefreshTokenExpiresIn>: {lives}",
                    policy.name
                ),
            )
            .primary_label("issues refresh tokens")
            .label(operation.raw.span, "this operation mints refresh tokens")
            .help(
                "add <RefreshTokenExpiresIn> in milliseconds: Apigee suggests starting at \
                 86400000 (1 day)",
            ),
        );
    }
}
