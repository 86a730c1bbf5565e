use super::lifetime::{duration, human, lifetimes, Lifetime, Issued};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A refresh token that does not outlive the access token it renews.
    RefreshTokenNotLongerThanAccessToken,
    "refresh-token-not-longer-than-access-token",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
);

impl Rule for RefreshTokenNotLongerThanAccessToken {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let all = lifetimes(policy);
        let of = |wanted: Issued| all.iter().find(|l| l.token == Some(wanted));
        let (Some(access), Some(refresh)) = (of(Issued::AccessToken), of(Issued::RefreshToken))
        else {
            return;
        };
        let shared = match (access.reference(), refresh.reference()) {
            (Some(a), Some(r)) if a.value == r.value => Some(&a.value),
            _ => None,
        };
        let (message, label) = match (shared, access.millis(), refresh.millis()) {
            // One variable gives both one lifetime, whatever it holds.
            (Some(name), _, _) => (
                format!(
                    "`{}` reads both lifetimes from `{name}`: whenever it resolves, its refresh \
                     tokens live no longer than its access tokens",
                    policy.name
                ),
                format!("the access token's lifetime, `{name}` too"),
            ),
            (None, Some((_, _, at)), Some((_, _, rt))) if rt <= at => (
                format!(
                    "`{}` gives refresh tokens {} and access tokens {}{}: a refresh token that \
                     does not outlive its access token renews nothing",
                    policy.name,
                    duration(rt),
                    duration(at),
                    unless_resolved(access, refresh),
                ),
                format!("access tokens: {}", human(at)),
            ),
            _ => return,
        };
        out.push(
            Diagnostic::new(&Self::META, refresh.source.span, message)
                .primary_label(refresh.millis().map_or_else(
                    || format!("`{}`", refresh.reference().map_or("", |r| &r.value)),
                    |(_, _, rt)| human(rt),
                ))
                .label(access.source.span, label)
                .help(
                    "make the refresh token's lifetime a multiple of the access token's, as \
                     Apigee advises (30 minutes and 1 day to start); a short refresh token \
                     often has its lifetime in seconds instead of milliseconds",
                ),
        );
    }
}

/// When the values compared hold: when no `ref=` resolves.
fn unless_resolved(access: &Lifetime, refresh: &Lifetime) -> String {
    match (access.reference(), refresh.reference()) {
        (None, None) => String::new(),
        (Some(a), Some(r)) => format!(" when `{}` and `{}` do not resolve", a.value, r.value),
        (Some(one), None) | (None, Some(one)) => format!(" when `{}` does not resolve", one.value),
    }
}
