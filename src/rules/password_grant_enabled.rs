use super::token_policy::{attached, running_token_policy};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Accepted, Bundle, Policy, PolicyView};

declare_rule!(
    /// A token policy that accepts the resource owner password credentials grant.
    PasswordGrantEnabled,
    "password-grant-enabled",
    OAuth,
    Error,
    policy_kinds = [OAuthV2],
);

impl Rule for PasswordGrantEnabled {
    fn check_policy(
        &self,
        cx: &Context,
        bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = running_token_policy(cx, policy) else {
            return;
        };
        // The password grant is never a default (catalog::facts::DEFAULT_GRANTS).
        let Some(Accepted::Listed(grant)) = view.accepts_grant("password") else {
            return;
        };
        if proxy_chooses_password_grant(&bundle) {
            return;
        }
        let diagnostic = Diagnostic::new(
            &Self::META,
            grant.span,
            format!(
                "`{}` accepts the password grant: clients collect users' passwords",
                policy.name
            ),
        )
        .primary_label("the resource owner password credentials grant")
        .label(policy.name_span, "issues the tokens");
        out.push(attached(diagnostic, cx, policy).help(
            "remove password from <SupportedGrantTypes> and sign users in with the authorization code \
             grant with PKCE, so that only the authorization server sees their passwords \
             (RFC 9700 §2.4: the password grant MUST NOT be used); a machine client acting for no \
             user takes client_credentials",
        ));
    }
}

/// Whether an AssignMessage of the bundle writes `grant_type=password` into a request itself: the
/// proxy then uses the grant as a vehicle for another one (a token exchange, say), with a password
/// of its own making, and clients never send a user's password.
fn proxy_chooses_password_grant(bundle: &Bundle) -> bool {
    bundle.policies.iter().any(|policy| {
        let PolicyView::AssignMessage(view) = &policy.view else {
            return false;
        };
        view.changes
            .iter()
            .flat_map(|c| c.form_params.iter().chain(&c.query_params))
            .any(|param| {
                let is = |v: &Option<crate::model::Valued>, text: &str| {
                    v.as_ref().is_some_and(|v| v.value.trim() == text)
                };
                is(&param.name, "grant_type") && is(&param.value, "password")
            })
    })
}
