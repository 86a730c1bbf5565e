use super::lifetime::{longer_than, Issued};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// An access token or authorization code that lives longer than the project allows.
    TokenLifetimeTooLong,
    "token-lifetime-too-long",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
    options = Limits,
);

#[derive(Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    pub max_access_token_ms: u64,
    pub max_authorization_code_ms: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_access_token_ms: 3_600_000,
            max_authorization_code_ms: 600_000,
        }
    }
}

impl Rule for TokenLifetimeTooLong {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let limits = Self::options(cx);
        out.extend(longer_than(&Self::META, policy, |token| match token {
            Issued::AccessToken => Some((limits.max_access_token_ms, "max-access-token-ms")),
            Issued::AuthorizationCode => Some((
                limits.max_authorization_code_ms,
                "max-authorization-code-ms",
            )),
            Issued::RefreshToken => None,
        }));
    }
}
