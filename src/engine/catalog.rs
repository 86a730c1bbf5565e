//! Questions about policies that every rule must answer alike, answered from the catalog's facts
//! ([`crate::catalog::facts`]) and the policies' typed views. Sources: apigee-oauth-reference.md
//! §1–§2 (marks as there: ✔ confirmed, ◐ secondary, ○ not confirmed).

use crate::catalog::facts::{TokenAction, REFRESH_TOKEN_GRANTS};
use crate::catalog::OAuthOperation;
use crate::model::{DeclaredKind, Policy, PolicyView, ValueSource, Valued};

/// Policies that run code (JavaScript, Java, Python), which may set any flow variable.
pub fn runs_code(policy: &Policy) -> bool {
    policy.facts().runs_code
}

/// Whether a policy mints refresh tokens, and why we think so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Issuance<'p> {
    No,
    /// The grant types that make it an issuer, and whether they were defaulted.
    Grants {
        grants: Vec<&'p Valued>,
        defaulted: bool,
    },
    /// It imports refresh tokens minted elsewhere (`ExternalRefreshToken`).
    Import(&'p Valued),
    /// Behaviour we cannot establish (no `<Operation>`, an unknown one, an empty grant list).
    Unknown,
}

/// What the OAuthV2 operation a policy runs does with tokens, if it runs one it names.
fn action(policy: &Policy) -> Option<TokenAction> {
    policy.operation().map(OAuthOperation::action)
}

/// Does this policy mint refresh tokens when it runs?
pub fn refresh_token_issuance(policy: &Policy) -> Issuance<'_> {
    let Some(view) = policy.oauth_v2() else {
        return Issuance::No;
    };
    let Some(operation) = &view.operation else {
        return Issuance::Unknown;
    };
    let minting = action(policy) == Some(TokenAction::IssuesTokens);
    if let Some(import) = &view.external_refresh_token {
        if minting || exchanges_refresh_tokens(policy) {
            return Issuance::Import(import);
        }
    }
    if !minting {
        return match operation.value {
            Some(_) => Issuance::No,
            None => Issuance::Unknown,
        };
    }
    match &view.supported_grant_types {
        None => Issuance::Grants {
            grants: Vec::new(),
            defaulted: true,
        },
        Some(list) if list.grants.is_empty() => Issuance::Unknown,
        Some(list) => {
            let grants: Vec<&Valued> = list
                .grants
                .iter()
                .filter(|g| REFRESH_TOKEN_GRANTS.contains(&g.value.as_str()))
                .collect();
            if grants.is_empty() {
                Issuance::No
            } else {
                Issuance::Grants {
                    grants,
                    defaulted: false,
                }
            }
        }
    }
}

/// Does this policy mint a code or tokens (a grant, or a refresh)? An OAuthV2 without
/// `<Operation>` may, or may not: not counted.
pub fn mints_tokens(policy: &Policy) -> bool {
    action(policy).is_some_and(TokenAction::mints)
}

/// Does this policy issue access tokens (a grant, or a refresh)?
pub fn issues_tokens(policy: &Policy) -> bool {
    action(policy).is_some_and(|a| a.mints() && a != TokenAction::IssuesCode)
}

/// Does this policy revoke or delete tokens: InvalidateToken, RevokeOAuthV2, DeleteOAuthV2Info?
pub fn revokes_tokens(policy: &Policy) -> bool {
    policy.facts().revokes_tokens || action(policy) == Some(TokenAction::RevokesTokens)
}

/// Does this policy run a token endpoint's operation: mint, refresh or revoke?
pub fn handles_tokens(policy: &Policy) -> bool {
    mints_tokens(policy) || revokes_tokens(policy)
}

/// RefreshAccessToken and its JWT twin exchange a refresh token for new tokens.
pub fn exchanges_refresh_tokens(policy: &Policy) -> bool {
    action(policy) == Some(TokenAction::ExchangesRefreshToken)
}

/// Can this policy exchange a refresh token? RefreshAccessToken can; so may an OAuthV2 without
/// `<Operation>`: SAP's copy of the reference calls that a deploy error (`OperationRequired` ✔),
/// while Apigee's OAuthV2 page is believed to let the request's grant choose the operation (○).
/// Sources disagree, so it may.
pub fn may_exchange_refresh_tokens(policy: &Policy) -> bool {
    exchanges_refresh_tokens(policy)
        || policy
            .oauth_v2()
            .is_some_and(|view| view.operation.is_none())
}

/// Does running this policy end a refresh token's use: exchange it (RefreshAccessToken, which
/// rotates it) or revoke it (InvalidateToken of a refresh token, or of an access token with
/// cascade, ✔ approving/revoking tokens page; RevokeOAuthV2 ◐)?
pub fn consumes_refresh_token(policy: &Policy) -> bool {
    if !policy.enabled {
        return false;
    }
    if exchanges_refresh_tokens(policy) || policy.facts().revokes_refresh_tokens {
        return true;
    }
    let is = |v: &Option<Valued>, text: &str| {
        v.as_ref()
            .is_some_and(|v| v.value.eq_ignore_ascii_case(text))
    };
    action(policy) == Some(TokenAction::RevokesTokens)
        && policy.oauth_v2().is_some_and(|view| {
            view.tokens
                .iter()
                .any(|t| is(&t.token_type, "refreshtoken") || is(&t.cascade, "true"))
        })
}

/// The `<RefreshToken>` a GetOAuthV2Info looks up, if it looks one up.
pub fn reads_refresh_token(policy: &Policy) -> Option<&ValueSource> {
    match &policy.view {
        PolicyView::GetOAuthV2Info(view) => view.refresh_token.as_ref(),
        _ => None,
    }
}

/// Prefixes of the flow variables a policy's outcome is visible through: what it sets on
/// success and the `{prefix}.{name}.failed` family on failure.
pub fn outcome_variable_prefixes(policy: &Policy) -> Vec<String> {
    let failure = failure_prefix(&policy.kind);
    let mut prefixes: Vec<String> = policy
        .facts()
        .outcome
        .iter()
        .map(|f| f.to_string())
        .collect();
    if !prefixes.iter().any(|f| f.eq_ignore_ascii_case(&failure)) {
        prefixes.push(failure);
    }
    prefixes
        .iter()
        .map(|f| format!("{f}.{}.", policy.name))
        .collect()
}

/// The prefix of `{prefix}.{policy}.failed` for a policy kind: the kind's own, else its name in
/// lower case (✔ fault handling).
pub fn failure_prefix(kind: &DeclaredKind) -> String {
    match kind.facts().failure_prefix {
        Some(prefix) => prefix.to_owned(),
        None => kind.name().to_ascii_lowercase(),
    }
}

/// The `<AccessToken>` a GetOAuthV2Info looks up, as an introspection endpoint does (RFC 7662):
/// it answers with the token's application, developer, scope and attributes.
pub fn looks_up_access_token(policy: &Policy) -> Option<&ValueSource> {
    match &policy.view {
        PolicyView::GetOAuthV2Info(view) => view.access_token.as_ref(),
        _ => None,
    }
}

/// Policies whose paths rules ask about: those that check the caller, and the token endpoints'
/// that must authenticate it ("does a client check run before the revocation, the lookup?").
pub fn asked_about(policy: &Policy) -> bool {
    guards_requests(policy) || revokes_tokens(policy) || looks_up_access_token(policy).is_some()
}

/// Policies whose having run matters to "must every request run one before …?" questions: the
/// ones that check the caller. The engine records only these in a state's history, which keeps
/// histories short and states few (recording Quota and SpikeArrest too split the states of
/// large proxies past the engine's limits).
pub fn guards_requests(policy: &Policy) -> bool {
    policy.facts().guard.is_some()
}

/// Verbs whose requests carry no body as a rule: RFC 9110 gives content in a GET, HEAD or DELETE
/// request no defined meaning (§9.3.1, §9.3.2, §9.3.5), and clients send none.
pub const BODILESS_VERBS: [&str; 3] = ["GET", "HEAD", "DELETE"];

/// What a message without a body reads as, by the variable's name after `request.` or
/// `message.` (lowercase): its content and form string unset (Apigee's variables reference ✔),
/// no header that announces a body, and no form parameter.
pub fn unset_without_body(field: &str) -> bool {
    matches!(
        field,
        "content"
            | "formstring"
            | "header.content-type"
            | "header.content-length"
            | "header.transfer-encoding"
    ) || field.starts_with("formparam.")
}
