//! Facts about policy kinds, kept in one place so that every rule agrees on them.
//! Sources: apigee-oauth-reference.md §1–§2 (marks as there: ✔ confirmed, ◐ secondary).

use crate::model::{OAuthV2View, Policy, ValueSource, Valued};

/// The grant types that mint refresh tokens (✔ antipattern page, RFC 6749 §4.2.2, §4.4.3).
pub const REFRESH_TOKEN_GRANTS: [&str; 2] = ["authorization_code", "password"];

/// Grant types allowed when `SupportedGrantTypes` is absent (✔ SAP OAuthV2 reference).
pub const DEFAULT_GRANTS: [&str; 2] = ["authorization_code", "implicit"];

/// HTTP methods (RFC 9110 §9.3, PATCH from RFC 5789): the values `request.verb` can take.
pub const HTTP_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Grant types that can be written as one word: RFC 6749's, and `implicit` as Apigee spells it
/// in `<SupportedGrantTypes>`. Extension grants are URIs, which a condition cannot leave unquoted.
pub const WORD_GRANT_TYPES: [&str; 5] = [
    "authorization_code",
    "password",
    "client_credentials",
    "refresh_token",
    "implicit",
];

/// Response types of the authorization endpoint (RFC 6749 §3.1.1).
pub const RESPONSE_TYPES: [&str; 2] = ["code", "token"];

/// Token type hints of the revocation and introspection endpoints (RFC 7009 §2.1).
pub const TOKEN_TYPE_HINTS: [&str; 2] = ["access_token", "refresh_token"];

/// Flow variables without a dot that Apigee sets itself: the message objects, `messageid`, and
/// what a successful VerifyAccessToken sets (apigee-oauth-reference.md §1.4 ✔).
pub const UNDOTTED_BUILTIN_VARIABLES: [&str; 14] = [
    "request",
    "response",
    "message",
    "error",
    "messageid",
    "organization_name",
    "client_id",
    "grant_type",
    "token_type",
    "access_token",
    "issued_at",
    "expires_in",
    "status",
    "scope",
];

/// Policies that run code (JavaScript, Java, Python), which may set any flow variable.
pub fn runs_code(policy: &Policy) -> bool {
    matches!(
        policy.kind.as_str(),
        "Javascript" | "JavaCallout" | "Script"
    )
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

pub fn operation(policy: &Policy) -> Option<&str> {
    policy.oauth_v2().and_then(OAuthV2View::operation)
}

/// Does this policy mint refresh tokens when it runs?
pub fn refresh_token_issuance(policy: &Policy) -> Issuance<'_> {
    let Some(view) = policy.oauth_v2() else {
        return Issuance::No;
    };
    let Some(op) = view.operation() else {
        return Issuance::Unknown;
    };
    let minting = matches!(op, "GenerateAccessToken" | "GenerateJWTAccessToken");
    if let Some(import) = &view.external_refresh_token {
        if minting || exchanges_refresh_tokens(policy) {
            return Issuance::Import(import);
        }
    }
    if !minting {
        return if is_known_operation(op) {
            Issuance::No
        } else {
            Issuance::Unknown
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

/// RefreshAccessToken and its JWT twin exchange a refresh token for new tokens.
pub fn exchanges_refresh_tokens(policy: &Policy) -> bool {
    matches!(
        operation(policy),
        Some("RefreshAccessToken" | "RefreshJWTAccessToken")
    )
}

/// Can this policy exchange a refresh token? RefreshAccessToken can; so may an OAuthV2 without
/// `<Operation>`: SAP's copy of the reference calls that a deploy error (`OperationRequired` ✔),
/// while Apigee's OAuthV2 page is believed to let the request's grant choose the operation (○).
/// Sources disagree, so it may.
pub fn may_exchange_refresh_tokens(policy: &Policy) -> bool {
    exchanges_refresh_tokens(policy)
        || policy
            .oauth_v2()
            .is_some_and(|view| view.operation().is_none())
}

/// Does running this policy end a refresh token's use: exchange it (RefreshAccessToken, which
/// rotates it) or revoke it (InvalidateToken of a refresh token, or of an access token with
/// cascade, ✔ approving/revoking tokens page; RevokeOAuthV2 ◐)?
pub fn consumes_refresh_token(policy: &Policy) -> bool {
    if !policy.enabled {
        return false;
    }
    if exchanges_refresh_tokens(policy) || policy.kind == "RevokeOAuthV2" {
        return true;
    }
    let is = |v: &Option<Valued>, text: &str| {
        v.as_ref()
            .is_some_and(|v| v.value.eq_ignore_ascii_case(text))
    };
    operation(policy) == Some("InvalidateToken")
        && policy.oauth_v2().is_some_and(|view| {
            view.tokens
                .iter()
                .any(|t| is(&t.token_type, "refreshtoken") || is(&t.cascade, "true"))
        })
}

/// The `<RefreshToken>` a GetOAuthV2Info looks up, if it looks one up.
pub fn reads_refresh_token(policy: &Policy) -> Option<&ValueSource> {
    match &policy.view {
        crate::model::PolicyView::GetOAuthV2Info(view) => view.refresh_token.as_ref(),
        _ => None,
    }
}

/// Prefixes of the flow variables a policy's outcome is visible through: what it sets on
/// success and the `{prefix}.{name}.failed` family on failure (✔ SAP OAuth v2.0, GetOAuthV2Info).
pub fn outcome_variable_prefixes(policy: &Policy) -> Vec<String> {
    let name = &policy.name;
    match policy.kind.as_str() {
        "GetOAuthV2Info" => vec![
            format!("oauthv2refreshtoken.{name}."),
            format!("oauthv2accesstoken.{name}."),
            format!("oauthv2authcode.{name}."),
            format!("oauthv2client.{name}."),
            format!("oauthV2.{name}."),
        ],
        "OAuthV2" => vec![
            format!("oauthv2accesstoken.{name}."),
            format!("oauthv2authcode.{name}."),
            format!("oauthV2.{name}."),
        ],
        _ => Vec::new(),
    }
}

fn is_known_operation(op: &str) -> bool {
    matches!(
        op,
        "GenerateAuthorizationCode"
            | "GenerateAccessToken"
            | "GenerateAccessTokenImplicitGrant"
            | "RefreshAccessToken"
            | "VerifyAccessToken"
            | "InvalidateToken"
            | "ValidateToken"
            | "GenerateJWTAccessToken"
            | "GenerateJWTAccessTokenImplicitGrant"
            | "VerifyJWTAccessToken"
            | "RefreshJWTAccessToken"
    )
}

/// How the interpreter treats a policy kind it does not execute in detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Sets no variable a condition could read, and does not fail in ways that matter here.
    Inert,
    /// Sets variables under its own prefixes (`{prefix}{name}.`), and may fail.
    Prefixed(&'static [&'static str]),
    /// May set any variable (scripts, callouts): unset variables become unknown after it.
    Opaque,
}

/// Kinds with effects the engine does not model in detail. Variables are named as in the
/// Apigee variables reference; kinds not listed are opaque.
pub fn behaviour(kind: &str) -> Behaviour {
    match kind {
        "MessageLogging"
        | "StatisticsCollector"
        | "AccessControl"
        | "CORS"
        | "XMLThreatProtection"
        | "JSONThreatProtection"
        | "RegularExpressionProtection"
        | "OASValidation"
        | "SOAPMessageValidation" => Behaviour::Inert,
        "SpikeArrest" => Behaviour::Prefixed(&["ratelimit."]),
        "Quota" | "ResetQuota" => Behaviour::Prefixed(&["ratelimit."]),
        "VerifyAPIKey" => Behaviour::Prefixed(&[
            "verifyapikey.",
            "client_id",
            "developer.",
            "apiproduct.",
            "app.",
        ]),
        "ResponseCache" | "LookupCache" | "PopulateCache" | "InvalidateCache" => {
            Behaviour::Prefixed(&[
                "responsecache.",
                "lookupcache.",
                "populatecache.",
                "invalidatecache.",
            ])
        }
        "GenerateJWT" | "VerifyJWT" | "DecodeJWT" | "GenerateJWS" | "VerifyJWS" | "DecodeJWS" => {
            Behaviour::Prefixed(&["jwt.", "jws."])
        }
        // Scripts, callouts, ExtractVariables, KeyValueMapOperations, BasicAuthentication, …
        _ => Behaviour::Opaque,
    }
}

/// Flow variables VerifyAccessToken sets on success (✔ SAP OAuth v2.0 reference).
pub const VERIFIED_TOKEN_VARIABLES: [&str; 10] = [
    "client_id",
    "access_token",
    "scope",
    "grant_type",
    "token_type",
    "issued_at",
    "expires_in",
    "accesstoken.",
    "developer.",
    "apiproduct.",
];

/// The prefix of `{prefix}.{policy}.failed` for a policy kind (✔ fault handling; OAuth: `oauthV2`,
/// and VerifyAPIKey too: the fault-handling page tests `oauthV2.Verify-API-Key-1.failed`, §5.7).
pub fn failure_prefix(kind: &str) -> String {
    match kind {
        "OAuthV2" | "GetOAuthV2Info" | "SetOAuthV2Info" | "DeleteOAuthV2Info" | "RevokeOAuthV2"
        | "VerifyAPIKey" => "oauthV2".to_owned(),
        other => other.to_ascii_lowercase(),
    }
}

/// Policies whose having run matters to "must every request run one before …?" questions: the
/// ones that authenticate or authorise a request. The engine records only these in a state's
/// history, which keeps histories short and states few.
pub fn guards_requests(policy: &Policy) -> bool {
    matches!(
        policy.kind.as_str(),
        "OAuthV2"
            | "GetOAuthV2Info"
            | "VerifyAPIKey"
            | "VerifyJWT"
            | "VerifyJWS"
            | "BasicAuthentication"
            | "AccessControl"
    )
}
