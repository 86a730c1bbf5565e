use super::lifetime::{duration, lifetimes, looks_like_seconds, seconds_bound};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A lifetime below the least one the platform enforces.
    TokenLifetimeBelowPlatformMinimum,
    "token-lifetime-below-platform-minimum",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
);

impl Rule for TokenLifetimeBelowPlatformMinimum {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let profile = cx.profile.unwrap_or(Profile::X);
        for lifetime in lifetimes(policy) {
            let Some((token, _, ms)) = lifetime.millis() else {
                continue;
            };
            let Some(min) = token.platform_minimum(profile) else {
                continue;
            };
            // A second count is token-lifetime-in-seconds' finding, with the fix that fits it.
            if ms >= min || looks_like_seconds(ms, seconds_bound(lifetime.tag)) {
                continue;
            }
            let then = format!("less than the {} Apigee X enforces", duration(min));
            out.push(
                lifetime
                    .finding(&Self::META, policy, (token, ms), &then)
                    .help(format!(
                        "set <{}> to at least {min} ms ({}); if the bundles deploy to Apigee \
                         Edge, which has no such floor, set `profile = \"edge\"` in \
                         oauthlint.toml",
                        lifetime.tag,
                        duration(min),
                    )),
            );
        }
    }
}
