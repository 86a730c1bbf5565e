use super::lifetime::{longer_than, Issued, DAY};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// A refresh token that lives longer than the project allows.
    RefreshTokenLifetimeTooLong,
    "refresh-token-lifetime-too-long",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
    options = Limit,
);

#[derive(Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limit {
    pub max_refresh_token_ms: u64,
}

impl Default for Limit {
    fn default() -> Limit {
        Limit {
            max_refresh_token_ms: 30 * DAY,
        }
    }
}

impl Rule for RefreshTokenLifetimeTooLong {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let max = Self::options(cx).max_refresh_token_ms;
        out.extend(longer_than(&Self::META, policy, |token| {
            (token == Issued::RefreshToken).then_some((max, "max-refresh-token-ms"))
        }));
    }
}
