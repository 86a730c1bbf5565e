//! The token lifetimes an OAuthV2 policy sets, as the lifetime rules read them: which token each
//! element bounds under the policy's operation, its value in milliseconds, and how to say it.
//! Sources: apigee-oauth-reference.md §1.2 and §1.3 (✔ unless marked).

use super::RuleMeta;
use crate::catalog::facts::TokenAction;
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{refresh_token_issuance, Issuance};
use crate::model::{Policy, ValueSource, Valued};

/// What a lifetime element bounds: the token or code it issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issued {
    AccessToken,
    AuthorizationCode,
    RefreshToken,
}

impl Issued {
    pub fn noun(self) -> &'static str {
        match self {
            Issued::AccessToken => "access token",
            Issued::AuthorizationCode => "authorization code",
            Issued::RefreshToken => "refresh token",
        }
    }

    /// The least lifetime Apigee X enforces (limits page, [AX-LIM] ✔); none is documented for
    /// authorization codes, nor on Edge.
    pub fn platform_minimum(self, profile: Profile) -> Option<u64> {
        match (profile, self) {
            (Profile::X, Issued::AccessToken) => Some(180 * SECOND),
            (Profile::X, Issued::RefreshToken) => Some(DAY),
            _ => None,
        }
    }
}

/// One `<ExpiresIn>` or `<RefreshTokenExpiresIn>` of a policy.
pub struct Lifetime<'p> {
    /// The element's name, for messages.
    pub tag: &'static str,
    pub source: &'p ValueSource,
    /// The token it bounds; `None` when the policy names no operation Apigee knows, so that what
    /// it bounds, if anything, is not established.
    pub token: Option<Issued>,
}

/// An element's text, as Apigee reads a lifetime: milliseconds, or `-1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    Millis(u64),
    /// `-1`: infinite on Edge ([SAP-OAUTH] ✔), the platform's maximum on X (○).
    Unbounded,
    /// Not an integer at all.
    NotANumber,
    /// Zero or a negative integer other than -1 (refused, `InvalidValueForExpiresIn` ✔).
    OutOfRange,
}

impl Literal {
    pub fn of(text: &str) -> Literal {
        match text.parse::<i64>() {
            Ok(-1) => Literal::Unbounded,
            Ok(n) if n > 0 => Literal::Millis(n as u64),
            Ok(_) => Literal::OutOfRange,
            Err(_) => Literal::NotANumber,
        }
    }
}

impl<'p> Lifetime<'p> {
    /// The element's text and what it reads as.
    pub fn literal(&self) -> Option<(&'p Valued, Literal)> {
        let text = self.source.literal.as_ref()?;
        Some((text, Literal::of(&text.value)))
    }

    /// The milliseconds the text sets, with the token they bound.
    pub fn millis(&self) -> Option<(Issued, &'p Valued, u64)> {
        match (self.token?, self.literal()?) {
            (token, (text, Literal::Millis(ms))) => Some((token, text, ms)),
            _ => None,
        }
    }

    /// The variable `ref=` names, which wins over the text when it resolves (◐ [DC-TPL]).
    pub fn reference(&self) -> Option<&'p Valued> {
        self.source.reference.as_ref()
    }

    /// `" when `x` does not resolve"` if a `ref=` comes before the text, else nothing: what the
    /// text sets holds only then.
    pub fn unless_resolved(&self) -> String {
        match self.reference() {
            Some(r) => format!(" when `{}` does not resolve", r.value),
            None => String::new(),
        }
    }
}

impl Lifetime<'_> {
    /// A finding on the element about the `ms` it gives `token`s: "`P` gives its access tokens
    /// 30 days, {then}", with the value in people's units as its label.
    pub fn finding(
        &self,
        meta: &'static RuleMeta,
        policy: &Policy,
        (token, ms): (Issued, u64),
        then: &str,
    ) -> Diagnostic {
        let gives = format!(
            "`{}` gives its {}s {}{}",
            policy.name,
            token.noun(),
            duration(ms),
            self.unless_resolved()
        );
        Diagnostic::new(meta, self.source.span, format!("{gives}, {then}")).primary_label(human(ms))
    }
}

/// The findings of `meta`'s rule on the lifetimes of a policy over their maximum, which `max`
/// gives for each token it bounds with the name of the option that sets it.
pub fn longer_than(
    meta: &'static RuleMeta,
    policy: &Policy,
    max: impl Fn(Issued) -> Option<(u64, &'static str)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lifetime in lifetimes(policy) {
        let Some((token, _, ms)) = lifetime.millis() else {
            continue;
        };
        let Some((max, option)) = max(token).filter(|&(max, _)| ms > max) else {
            continue;
        };
        let then = format!("longer than the {} allowed", duration(max));
        out.push(
            lifetime
                .finding(meta, policy, (token, ms), &then)
                .help(format!(
                    "set <{}> to {max} ms ({}) or less; to allow longer {}s, raise `{option}` of \
                     {} in oauthlint.toml",
                    lifetime.tag,
                    duration(max),
                    token.noun(),
                    meta.name,
                )),
        );
    }
    out
}

/// The lifetime elements of an OAuthV2 policy that apply to its operation (§1.2: `ExpiresIn` to
/// the operations that issue codes or access tokens, `RefreshTokenExpiresIn` to those that issue
/// refresh tokens), or every one it has when it names no operation Apigee knows.
pub fn lifetimes(policy: &Policy) -> Vec<Lifetime<'_>> {
    let Some(view) = policy.oauth_v2() else {
        return Vec::new();
    };
    let action = policy.operation().map(|o| o.action());
    let access = match action {
        None => Some(None),
        Some(TokenAction::IssuesCode) => Some(Some(Issued::AuthorizationCode)),
        Some(
            TokenAction::IssuesTokens
            | TokenAction::IssuesImplicitToken
            | TokenAction::ExchangesRefreshToken,
        ) => Some(Some(Issued::AccessToken)),
        Some(_) => None,
    };
    let refresh = match action {
        None => Some(None),
        Some(_) if issues_refresh_tokens(policy) => Some(Some(Issued::RefreshToken)),
        Some(_) => None,
    };
    [
        ("ExpiresIn", &view.expires_in, access),
        (
            "RefreshTokenExpiresIn",
            &view.refresh_token_expires_in,
            refresh,
        ),
    ]
    .into_iter()
    .filter_map(|(tag, source, token)| {
        Some(Lifetime {
            tag,
            source: source.as_ref()?,
            token: token?,
        })
    })
    .collect()
}

/// Whether the policy's operation mints refresh tokens: GenerateAccessToken for a grant that
/// carries one (or without `<SupportedGrantTypes>`, which allows authorization_code), an import
/// of external ones, and RefreshAccessToken unless `<ReuseRefreshToken>` keeps the old one
/// (§1.3).
pub fn issues_refresh_tokens(policy: &Policy) -> bool {
    let reuses = policy
        .oauth_v2()
        .and_then(|v| v.reuse_refresh_token.as_ref())
        .is_some_and(|r| matches!(r.value.as_str(), "true" | "1"));
    let refreshes =
        policy.operation().map(|o| o.action()) == Some(TokenAction::ExchangesRefreshToken);
    (refreshes && !reuses)
        || matches!(
            refresh_token_issuance(policy),
            Issuance::Grants { .. } | Issuance::Import(_)
        )
}

pub const SECOND: u64 = 1000;
pub const MINUTE: u64 = 60 * SECOND;
pub const HOUR: u64 = 60 * MINUTE;
pub const DAY: u64 = 24 * HOUR;

/// Milliseconds for people: `2,592,000,000 ms = 30 days`, `3,600 ms = 3.6 seconds`.
pub fn human(ms: u64) -> String {
    if ms < SECOND {
        return format!("{ms} ms");
    }
    format!("{} ms = {}", grouped(ms), duration(ms))
}

/// A duration in the largest unit it reaches, to a tenth at most: `30 days`, `3.6 seconds`.
pub fn duration(ms: u64) -> String {
    let units = [
        (DAY, "day"),
        (HOUR, "hour"),
        (MINUTE, "minute"),
        (SECOND, "second"),
    ];
    let (size, unit) = units
        .into_iter()
        .find(|&(size, _)| ms >= size)
        .unwrap_or((1, "millisecond"));
    let tenths = (ms * 10 + size / 2) / size;
    let amount = if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    let plural = if tenths == 10 { "" } else { "s" };
    format!("{amount} {unit}{plural}")
}

/// `2592000000` as `2,592,000,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number that reads as a usual lifetime when taken as seconds, but not when taken as
/// milliseconds: the classic unit mistake (§1.2: responses report seconds, the policy takes
/// milliseconds). As seconds it is a minute count that divides an hour, an hour count that
/// divides a day, or whole days; as milliseconds it is not a whole number of minutes (which
/// keeps `120000`, two minutes, and `1800000` out), and it is below `below` (what a lifetime of
/// that token can sensibly be: the platform's floor).
pub fn looks_like_seconds(value: u64, below: u64) -> bool {
    let usual = (value.is_multiple_of(60) && 3600u64.is_multiple_of(value))
        || (value.is_multiple_of(3600) && 86_400u64.is_multiple_of(value))
        || value.is_multiple_of(86_400);
    usual && !value.is_multiple_of(MINUTE) && value < below
}

/// The bound under which a value of `element` is taken for seconds: X's floor for the token it
/// bounds, that of access tokens for `ExpiresIn` of authorization codes too.
pub fn seconds_bound(element: &str) -> u64 {
    if element == "RefreshTokenExpiresIn" {
        DAY
    } else {
        3 * MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_largest_unit() {
        assert_eq!(human(2_592_000_000), "2,592,000,000 ms = 30 days");
        assert_eq!(human(3600), "3,600 ms = 3.6 seconds");
        assert_eq!(human(1_800_000), "1,800,000 ms = 30 minutes");
        assert_eq!(human(86_400_000), "86,400,000 ms = 1 day");
        assert_eq!(human(604_800), "604,800 ms = 10.1 minutes");
        assert_eq!(human(600), "600 ms");
    }

    #[test]
    fn literals_are_milliseconds_or_minus_one() {
        assert_eq!(Literal::of("1800000"), Literal::Millis(1_800_000));
        assert_eq!(Literal::of("-1"), Literal::Unbounded);
        assert_eq!(Literal::of("0"), Literal::OutOfRange);
        assert_eq!(Literal::of("30m"), Literal::NotANumber);
        assert_eq!(Literal::of("token_expiry"), Literal::NotANumber);
    }

    #[test]
    fn second_counts_are_told_from_milliseconds() {
        let at = seconds_bound("ExpiresIn");
        let rt = seconds_bound("RefreshTokenExpiresIn");
        for seconds in [60, 300, 900, 1800, 3600, 7200, 43_200, 86_400] {
            assert!(looks_like_seconds(seconds, at), "{seconds}");
        }
        for seconds in [604_800, 2_592_000, 7_776_000, 31_536_000] {
            assert!(looks_like_seconds(seconds, rt), "{seconds}");
        }
        // Whole minutes as milliseconds, odd second counts, and values above the floor.
        for ms in [60_000, 120_000, 180_000, 30_000, 90_000, 1_800_000, 604_800] {
            assert!(!looks_like_seconds(ms, at), "{ms}");
        }
        assert!(!looks_like_seconds(3_600_000, rt));
    }

    #[test]
    fn only_x_has_floors() {
        assert_eq!(
            Issued::AccessToken.platform_minimum(Profile::X),
            Some(180_000)
        );
        assert_eq!(Issued::RefreshToken.platform_minimum(Profile::X), Some(DAY));
        assert_eq!(Issued::AccessToken.platform_minimum(Profile::Edge), None);
        assert_eq!(Issued::AuthorizationCode.platform_minimum(Profile::X), None);
    }
}
