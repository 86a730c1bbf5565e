//! What each policy kind does that the engine and the rules reason about, kept once and by kind:
//! the variables a run sets, how its failure shows, whether it checks the caller, whether it
//! runs code; and what each OAuthV2 operation does with tokens. A kind the catalog gains is one
//! more arm of [`PolicyKind::facts`], whose match is exhaustive so that none is forgotten.
//!
//! Marks as in apigee-oauth-reference.md (§ numbers are its sections): ✔ read in the source,
//! ◐ a secondary source, ○ not read in a source: the engine's assumption, kept from its first
//! version until a source is read.

use super::{OAuthOperation, PolicyKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindFacts {
    /// What a run sets, as far as the engine does not simulate it from the policy's view.
    pub sets: Sets,
    /// The families of the variables `{family}.{policy name}.…` that show how a run went.
    pub outcome: &'static [&'static str],
    /// The prefix of `{prefix}.{policy name}.failed`; `None`: the kind's name in lower case.
    pub failure_prefix: Option<&'static str>,
    /// What it checks of the caller: the engine records that such a policy ran, for the
    /// questions "must every request run one before …?".
    pub guard: Option<Guard>,
    /// It runs code (JavaScript, Java, Python), which may set any flow variable.
    pub runs_code: bool,
    /// Running it revokes or deletes tokens (§2 ✔ [AX-DELINFO], [AX-REVOKE]).
    pub revokes_tokens: bool,
    /// Running it revokes refresh tokens.
    pub revokes_refresh_tokens: bool,
    /// Every run fails, with this `fault.name`.
    pub raises: Option<&'static str>,
}

/// The variables a run of a kind sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sets {
    /// None that a condition could read; nor does it fail in a way that matters to the engine.
    Nothing,
    /// Its outcome's variables and those starting with these prefixes (a whole name when it
    /// has no dot); it may fail.
    Prefixed(&'static [&'static str]),
    /// Any variable: which ones, only the policy says, or nothing does; it may fail.
    Anything,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// It verifies a credential and fails the request when it is not good.
    Verifies(Credential),
    /// It decodes the credentials of an `Authorization: Basic` header for later steps to check.
    DecodesBasicCredentials,
    /// It admits or refuses the client by its IP address.
    ChecksClientAddress,
    /// It checks a credential in a way the reference does not describe (OAuth 1.0a tokens, an
    /// HMAC's verification value, a SAML assertion): it may verify the caller, and no finding
    /// of a missing verification rests on its not doing so.
    MayVerify,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// An OAuth access token, or the client credentials, code or refresh token a token request
    /// carries: the operation says which.
    OAuth,
    ApiKey,
    Jwt,
    Jws,
}

/// What the engine assumes of a kind it knows nothing of: it may set anything and fail.
pub const UNKNOWN: KindFacts = KindFacts {
    sets: Sets::Anything,
    outcome: &[],
    failure_prefix: None,
    guard: None,
    runs_code: false,
    revokes_tokens: false,
    revokes_refresh_tokens: false,
    raises: None,
};

/// Sets nothing a condition reads, and is not held to fail: the first engine's assumption for
/// logging, statistics, CORS, IP and threat checks, never read in a source (○).
const INERT: KindFacts = KindFacts {
    sets: Sets::Nothing,
    ..UNKNOWN
};

/// The OAuth policies' failures show as `oauthV2.{policy}.failed` (§1.4 ✔ [SAP-OAUTH],
/// [AX-GETINFO]), and VerifyAPIKey's too (§5.7 ✔: the fault-handling page tests
/// `oauthV2.Verify-API-Key-1.failed`).
const OAUTH_FAILURE: Option<&str> = Some("oauthV2");

/// The variables of one OAuthV2 policy (§1.4 ✔ [SAP-GEN], [AX-ADV]: `oauthv2accesstoken.{p}.*`,
/// `oauthv2authcode.{p}.*`, `oauthV2.{p}.*`).
const OAUTH_V2_OUTCOME: &[&str] = &["oauthv2accesstoken", "oauthv2authcode", "oauthV2"];

/// The variables of one GetOAuthV2Info (§2 ✔ [AX-GETINFO]), and its `oauthV2.{p}.*` failure.
const GET_INFO_OUTCOME: &[&str] = &[
    "oauthv2refreshtoken",
    "oauthv2accesstoken",
    "oauthv2authcode",
    "oauthv2client",
    "oauthV2",
];

/// What VerifyAPIKey sets on success: its own `verifyapikey.*` and the app's, developer's and
/// product's details (X docs, verify-api-key-policy, flow variables: not in the reference, ○).
const VERIFY_API_KEY_SETS: &[&str] = &[
    "verifyapikey.",
    "client_id",
    "developer.",
    "apiproduct.",
    "app.",
];

/// Quota, SpikeArrest and ResetQuota set `ratelimit.{policy}.*` (§5.4 ✔ [AX-FAULT] tests
/// `ratelimit….exceed.count`).
const RATE_LIMIT_SETS: &[&str] = &["ratelimit."];

/// The cache policies set `{kind}.{policy}.*` (§5.7 ✔ `lookupcache.LookupCache-1.cachehit`); any
/// of the four families, as the engine does not tell them apart.
const CACHE_SETS: &[&str] = &[
    "responsecache.",
    "lookupcache.",
    "populatecache.",
    "invalidatecache.",
];

/// The JWT and JWS policies set `jwt.{policy}.*` and `jws.{policy}.*` (X docs, jwt-policies
/// overview, flow variables: not in the reference, ○).
const JOSE_SETS: &[&str] = &["jwt.", "jws."];

impl PolicyKind {
    pub fn facts(self) -> KindFacts {
        use PolicyKind::*;
        match self {
            MessageLogging
            | StatisticsCollector
            | CORS
            | XMLThreatProtection
            | JSONThreatProtection
            | RegularExpressionProtection
            | OASValidation => INERT,
            // Restricting callers by address is how a chained proxy checks it was called
            // locally (§7 OA307 ✔ [AX-CHAIN]).
            AccessControl => KindFacts {
                guard: Some(Guard::ChecksClientAddress),
                ..INERT
            },
            // One policy, many operations, each checking a credential (§1.1 ✔).
            OAuthV2 => KindFacts {
                sets: Sets::Prefixed(&[]),
                outcome: OAUTH_V2_OUTCOME,
                failure_prefix: OAUTH_FAILURE,
                guard: Some(Guard::Verifies(Credential::OAuth)),
                ..UNKNOWN
            },
            // An access token passed must be valid, or it fails (§2 ✔ [AX-GETINFO]).
            GetOAuthV2Info => KindFacts {
                sets: Sets::Prefixed(&[]),
                outcome: GET_INFO_OUTCOME,
                failure_prefix: OAUTH_FAILURE,
                guard: Some(Guard::Verifies(Credential::OAuth)),
                ..UNKNOWN
            },
            // Deletes a token or code and sets only its failure variables (§2 ✔ [AX-DELINFO]).
            DeleteOAuthV2Info => KindFacts {
                sets: Sets::Prefixed(&[]),
                failure_prefix: OAUTH_FAILURE,
                revokes_tokens: true,
                ..UNKNOWN
            },
            SetOAuthV2Info => KindFacts {
                failure_prefix: OAUTH_FAILURE,
                ..UNKNOWN
            },
            // Bulk revocation; taken to revoke the refresh tokens too (§2 ◐ `Cascade`).
            RevokeOAuthV2 => KindFacts {
                failure_prefix: OAUTH_FAILURE,
                revokes_tokens: true,
                revokes_refresh_tokens: true,
                ..UNKNOWN
            },
            // An API key is a credential a target may be guarded by (§7 OA301 ✔).
            VerifyAPIKey => KindFacts {
                sets: Sets::Prefixed(VERIFY_API_KEY_SETS),
                failure_prefix: OAUTH_FAILURE,
                guard: Some(Guard::Verifies(Credential::ApiKey)),
                ..UNKNOWN
            },
            // The credential checks §7 OA106 ✔ and OA301 ✔ count besides OAuthV2.
            VerifyJWT => KindFacts {
                sets: Sets::Prefixed(JOSE_SETS),
                guard: Some(Guard::Verifies(Credential::Jwt)),
                ..UNKNOWN
            },
            VerifyJWS => KindFacts {
                sets: Sets::Prefixed(JOSE_SETS),
                guard: Some(Guard::Verifies(Credential::Jws)),
                ..UNKNOWN
            },
            GenerateJWT | DecodeJWT | GenerateJWS | DecodeJWS => KindFacts {
                sets: Sets::Prefixed(JOSE_SETS),
                ..UNKNOWN
            },
            OAuthV1 | HMAC | ValidateSAMLAssertion => KindFacts {
                guard: Some(Guard::MayVerify),
                ..UNKNOWN
            },
            // "BasicAuthentication+compare" checks a caller (§7 OA106 ✔).
            BasicAuthentication => KindFacts {
                guard: Some(Guard::DecodesBasicCredentials),
                ..UNKNOWN
            },
            SpikeArrest | Quota | ResetQuota => KindFacts {
                sets: Sets::Prefixed(RATE_LIMIT_SETS),
                ..UNKNOWN
            },
            ResponseCache | LookupCache | PopulateCache | InvalidateCache => KindFacts {
                sets: Sets::Prefixed(CACHE_SETS),
                ..UNKNOWN
            },
            // It "terminates the current flow and transfers control to the error state" (§4.3 ✔
            // [AX-FAULT]); the fault's name is the engine's (○).
            RaiseFault => KindFacts {
                raises: Some("RaiseFault"),
                ..UNKNOWN
            },
            // JavaScript, Java, and Python, whose policy's root element is <Script> (X docs,
            // javascript-policy, java-callout-policy, python-script-policy).
            Javascript | JavaCallout | Script => KindFacts {
                runs_code: true,
                ..UNKNOWN
            },
            // What these set depends on the policy (AssignMessage, ExtractVariables, callouts),
            // or has not been described for the engine yet. MessageValidation may be inert: not
            // held so until read in a source (the reference has none of them).
            AccessEntity
            | AssertCondition
            | AssignMessage
            | ConcurrentRatelimit
            | DataCapture
            | DeleteOAuthV1Info
            | ExternalCallout
            | ExtractVariables
            | FlowCallout
            | GenerateSAMLAssertion
            | GetOAuthV1Info
            | GraphQL
            | HTTPModifier
            | IntegrationCallout
            | JSONToXML
            | KeyValueMapOperations
            | LLMTokenQuota
            | MessageValidation
            | MonetizationLimitsCheck
            | ParseDialogflowRequest
            | PublishMessage
            | SanitizeModelResponse
            | SanitizeUserPrompt
            | SemanticCacheLookup
            | SemanticCachePopulate
            | ServiceCallout
            | SetDialogflowResponse
            | SetIntegrationRequest
            | TraceCapture
            | XMLToJSON
            | XSL => UNKNOWN,
        }
    }
}

/// What an OAuthV2 operation does with tokens (§1.1 ✔; refresh tokens §1.3 ✔).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAction {
    /// Issues an authorization code.
    IssuesCode,
    /// Issues an access token, and a refresh token for the grants that carry one.
    IssuesTokens,
    /// Issues an access token by the implicit grant, never a refresh token.
    IssuesImplicitToken,
    /// Exchanges a refresh token for a new access token (and a new refresh token, unless
    /// `ReuseRefreshToken`).
    ExchangesRefreshToken,
    VerifiesAccessToken,
    /// Revokes the tokens `<Tokens>` names.
    RevokesTokens,
    /// Approves again the tokens `<Tokens>` names (ValidateToken: no verification, §1.1 ✔).
    ReapprovesTokens,
}

impl TokenAction {
    /// It writes a new code or token into the token store and the response (§7 OA204).
    pub fn mints(self) -> bool {
        use TokenAction::*;
        matches!(
            self,
            IssuesCode | IssuesTokens | IssuesImplicitToken | ExchangesRefreshToken
        )
    }
}

impl OAuthOperation {
    pub fn action(self) -> TokenAction {
        use OAuthOperation::*;
        match self {
            GenerateAuthorizationCode => TokenAction::IssuesCode,
            GenerateAccessToken | GenerateJWTAccessToken => TokenAction::IssuesTokens,
            GenerateAccessTokenImplicitGrant | GenerateJWTAccessTokenImplicitGrant => {
                TokenAction::IssuesImplicitToken
            }
            RefreshAccessToken | RefreshJWTAccessToken => TokenAction::ExchangesRefreshToken,
            VerifyAccessToken | VerifyJWTAccessToken => TokenAction::VerifiesAccessToken,
            InvalidateToken => TokenAction::RevokesTokens,
            ValidateToken => TokenAction::ReapprovesTokens,
        }
    }

    /// The format of the access tokens it mints, refreshes or checks; `None` for the operations
    /// that take any. The refresh tokens that accompany JWT access tokens are
    /// RefreshJWTAccessToken's to exchange (§1.5 ✔); whether RefreshAccessToken takes them too
    /// is not documented (○).
    pub fn token_format(self) -> Option<TokenFormat> {
        use OAuthOperation::*;
        match self {
            GenerateAccessToken
            | GenerateAccessTokenImplicitGrant
            | RefreshAccessToken
            | VerifyAccessToken => Some(TokenFormat::Opaque),
            GenerateJWTAccessToken
            | GenerateJWTAccessTokenImplicitGrant
            | RefreshJWTAccessToken
            | VerifyJWTAccessToken => Some(TokenFormat::Jwt),
            GenerateAuthorizationCode | InvalidateToken | ValidateToken => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenFormat {
    Opaque,
    Jwt,
}

impl TokenFormat {
    /// For messages: "the refresh tokens of {JWT} access tokens".
    pub fn describe(self) -> &'static str {
        match self {
            TokenFormat::Opaque => "opaque",
            TokenFormat::Jwt => "JWT",
        }
    }
}

/// An OAuthV2 element that only some operations read, and that Apigee refuses at deploy on the
/// others (§1.6 ✔ [SAP-OAUTH]: `…NotApplicableForOperation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationElement {
    ExpiresIn,
    RefreshTokenExpiresIn,
    SupportedGrantTypes,
}

impl OperationElement {
    pub const ALL: [OperationElement; 3] = [
        OperationElement::ExpiresIn,
        OperationElement::RefreshTokenExpiresIn,
        OperationElement::SupportedGrantTypes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OperationElement::ExpiresIn => "ExpiresIn",
            OperationElement::RefreshTokenExpiresIn => "RefreshTokenExpiresIn",
            OperationElement::SupportedGrantTypes => "SupportedGrantTypes",
        }
    }

    /// The deploy error Apigee gives for it on an operation that does not read it.
    pub fn deploy_error(self) -> &'static str {
        match self {
            OperationElement::ExpiresIn => "ExpiresInNotApplicableForOperation",
            OperationElement::RefreshTokenExpiresIn => {
                "RefreshTokenExpiresInNotApplicableForOperation"
            }
            OperationElement::SupportedGrantTypes => "GrantTypesNotApplicableForOperation",
        }
    }

    /// Whether an operation doing `action` reads it (§1.2 ✔: lifetimes of what the operation
    /// issues; the grant list of the token endpoint).
    pub fn read_by(self, action: TokenAction) -> bool {
        use TokenAction::*;
        match self {
            OperationElement::ExpiresIn => matches!(
                action,
                IssuesCode | IssuesTokens | IssuesImplicitToken | ExchangesRefreshToken
            ),
            OperationElement::RefreshTokenExpiresIn => {
                matches!(action, IssuesTokens | ExchangesRefreshToken)
            }
            OperationElement::SupportedGrantTypes => action == IssuesTokens,
        }
    }
}

impl PolicyKind {
    /// Does a run verify the caller's credential, an access token, JWT or API key, and fail the
    /// request when it is not good (§7 OA301 ✔)? `operation`: an OAuthV2's, `None` when it
    /// names none: which one Apigee picks then is not documented (○), so it counts, and no
    /// finding of a missing verification rests on it.
    pub fn verifies_credential(self, operation: Option<OAuthOperation>) -> bool {
        match self {
            PolicyKind::VerifyAPIKey | PolicyKind::VerifyJWT => true,
            PolicyKind::OAuthV2 => {
                operation.is_none_or(|o| o.action() == TokenAction::VerifiesAccessToken)
            }
            _ => false,
        }
    }
}

impl PolicyKind {
    /// May a run answer a CORS preflight request itself, so that it never reaches the backend?
    /// Whether Apigee's CORS policy does is not in the reference (○): no finding about preflight
    /// requests that run one rests on it either way.
    pub fn may_answer_preflight(self) -> bool {
        self == PolicyKind::CORS
    }
}

impl PolicyKind {
    /// Does a run refuse requests past a rate or a count, so that what runs after it cannot be
    /// called without bound (§7 OA408: SpikeArrest, Quota)?
    pub fn limits_request_rate(self) -> bool {
        matches!(self, PolicyKind::SpikeArrest | PolicyKind::Quota)
    }
}

impl PolicyKind {
    /// May a run find the API product of the caller's key or token, whose quota settings a
    /// Quota's `<UseQuotaConfigInAPIProduct stepName>` reads (◐ Quota reference: the step is a
    /// VerifyAPIKey or an OAuthV2 that verifies the token)? Every OAuthV2 counts, whatever its
    /// operation: which others find the product is not documented.
    pub fn finds_api_product(self) -> bool {
        matches!(self, PolicyKind::VerifyAPIKey | PolicyKind::OAuthV2)
    }
}

impl PolicyKind {
    /// Does a run check a request's content for threats before a backend parses it: JSON or XML
    /// structure limits, or regular expressions over its parts (the threat protection category
    /// of Advanced API Security; issue 10)?
    pub fn protects_against_threats(self) -> bool {
        matches!(
            self,
            PolicyKind::JSONThreatProtection
                | PolicyKind::XMLThreatProtection
                | PolicyKind::RegularExpressionProtection
        )
    }
}

impl PolicyKind {
    /// Does a run parse the whole body of the message it is given (its `<Source>`, the flow's
    /// message by default): format conversions, XSLT, structure threat checks, message
    /// validation? Apigee's antipattern "Access the request/response payload when streaming is
    /// enabled" (✔) names JSONToXML; the others parse the body by what they do (◐).
    pub fn parses_message_body(self) -> bool {
        matches!(
            self,
            PolicyKind::JSONToXML
                | PolicyKind::XMLToJSON
                | PolicyKind::XSL
                | PolicyKind::JSONThreatProtection
                | PolicyKind::XMLThreatProtection
                | PolicyKind::MessageValidation
        )
    }
}

/// The request methods whose requests carry a body for the backend to parse (RFC 9110 §9.3.3,
/// §9.3.4; RFC 5789 for PATCH).
pub const BODY_VERBS: [&str; 3] = ["POST", "PUT", "PATCH"];

impl OAuthOperation {
    /// Is a flow that runs it an OAuth endpoint (it mints, refreshes or revokes tokens), whose
    /// request is the token request and not a call to a protected resource (§7 OA301 ✔)?
    pub fn serves_oauth_endpoint(self) -> bool {
        !matches!(
            self.action(),
            TokenAction::VerifiesAccessToken | TokenAction::ReapprovesTokens
        )
    }
}

/// The grant types that mint refresh tokens (§1.3 ✔ [AX-AP-REFRESH], RFC 6749 §4.2.2, §4.4.3).
pub const REFRESH_TOKEN_GRANTS: [&str; 2] = ["authorization_code", "password"];

/// The request header in which a caller presents its own credentials: its access token
/// (`Bearer`, RFC 6750 §2.1) or its client id and secret (`Basic`, RFC 6749 §2.3.1).
pub const CREDENTIAL_HEADER: &str = "Authorization";

/// Apigee Edge's virtual host for plain HTTP in a new organisation's environments (◐ Edge
/// virtual host docs: `default` on port 80, `secure` on 443 with TLS). An endpoint that names
/// none is bound to every virtual host of its environment (§4.5 ◐).
pub const EDGE_HTTP_VIRTUAL_HOST: &str = "default";

/// The hosts of Apigee's management API: Apigee X and hybrid's (`apigee.googleapis.com` ✔
/// Apigee API reference) and Apigee Edge's (`api.enterprise.apigee.com` ✔ Edge management API
/// docs). Calling them from a proxy is an antipattern (apigee-oauth-reference.md, antipattern 14).
pub const MANAGEMENT_API_HOSTS: [&str; 2] = ["apigee.googleapis.com", "api.enterprise.apigee.com"];

/// Apigee Edge's hosts for an organisation's environments, `{org}-{env}.apigee.net` (✔ Edge
/// antipattern "Invoke a proxy within a proxy", whose example target is
/// `myorg-test.apigee.net/proxy2`): a URL there calls a proxy of Apigee back over the network.
/// Apigee's own services there (`mocktarget.apigee.net`) have no `-` in their name.
/// A host written with `{variables}` (`{organization.name}-{environment.name}.apigee.net`) is
/// judged by its text outside them.
pub fn is_edge_environment_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let Some(label) = host.strip_suffix(".apigee.net") else {
        return false;
    };
    let mut depth = 0usize;
    let literal: String = label
        .chars()
        .filter(|&c| {
            let outside = depth == 0 && c != '{';
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            outside && c != '}'
        })
        .collect();
    literal.contains('-') && !literal.contains('.')
}

/// The headers Apigee's antipattern page "Access multi-value HTTP headers incorrectly in an API
/// proxy" shows carrying several comma-separated values (✔): `request.header.<name>` reads only
/// the first of them, `request.header.<name>.values.string` all of them.
pub const MULTI_VALUED_HEADERS: [&str; 4] = [
    "Accept",
    "Cache-Control",
    "X-Forwarded-For",
    "Access-Control-Request-Headers",
];

/// The multi-valued header (as [`MULTI_VALUED_HEADERS`] spells it) whose first value alone
/// `variable` reads: `request.header.X`, `response.header.X` or `message.header.X`, without a
/// `.values…` or `.N` suffix. Header names are case-insensitive.
pub fn first_value_of_header(variable: &str) -> Option<&'static str> {
    let (message, header) = variable.split_once(".header.")?;
    if !["request", "response", "message"]
        .iter()
        .any(|m| message.eq_ignore_ascii_case(m))
    {
        return None;
    }
    MULTI_VALUED_HEADERS
        .into_iter()
        .find(|h| h.eq_ignore_ascii_case(header))
}

/// The PKCE parameters a proxy checks itself, Apigee having no PKCE of its own (§7 OA104 ✔):
/// the token request's `code_verifier` and the authorization request's `code_challenge_method`
/// (RFC 7636 §4.3, §4.5), whose `plain` RFC 9700 §2.1.1 rules out (S256 only ✔).
pub const PKCE_VERIFIER: &str = "code_verifier";
pub const PKCE_METHOD: &str = "code_challenge_method";
pub const PKCE_PLAIN_METHOD: &str = "plain";

/// Grant types allowed when `SupportedGrantTypes` is absent (§1.2 ✔ [SAP-OAUTH]).
pub const DEFAULT_GRANTS: [&str; 2] = ["authorization_code", "implicit"];

/// The attributes of an access token that SetOAuthV2Info cannot change (§2 ✔, SetOAuthV2Info
/// page): they are set when the token is issued.
pub const TOKEN_ATTRIBUTES_FIXED_AT_ISSUE: [&str; 7] = [
    "scope",
    "status",
    "expires_in",
    "developer_email",
    "client_id",
    "org_name",
    "refresh_count",
];

/// Flow variables a successful VerifyAccessToken sets (§1.4 ✔ [SAP-OAUTH]).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::kinds;

    #[test]
    fn first_value_reads_of_multi_valued_headers_are_known() {
        assert_eq!(
            first_value_of_header("request.header.accept"),
            Some("Accept")
        );
        assert_eq!(
            first_value_of_header("response.header.Cache-Control"),
            Some("Cache-Control")
        );
        assert_eq!(
            first_value_of_header("message.header.X-Forwarded-For"),
            Some("X-Forwarded-For")
        );
        for variable in [
            "request.header.Accept.values.string",
            "request.header.accept.2",
            "request.header.Authorization",
            "flow.header.accept",
            "request.header.accept-encoding",
        ] {
            assert_eq!(first_value_of_header(variable), None, "{variable}");
        }
    }

    #[test]
    fn edge_environment_hosts_are_org_dash_env_under_apigee_net() {
        for host in [
            "myorg-test.apigee.net",
            "MyOrg-Prod.Apigee.Net",
            "{organization.name}-{environment.name}.apigee.net",
        ] {
            assert!(is_edge_environment_host(host), "{host}");
        }
        for host in [
            "mocktarget.apigee.net",
            "a.b-c.apigee.net",
            "myorg-test.apigee.com",
            "{org}.apigee.net",
            "apigee.net",
        ] {
            assert!(!is_edge_environment_host(host), "{host}");
        }
    }

    #[test]
    fn the_oauth_policies_fail_under_oauth_v2_and_outcome_kinds_set_only_their_outcome() {
        let policies = kinds().iter().filter_map(|k| k.policy);
        for kind in policies {
            let facts = kind.facts();
            let oauth = kind.name().contains("OAuthV2") || kind == PolicyKind::VerifyAPIKey;
            assert_eq!(facts.failure_prefix.is_some(), oauth, "{}", kind.name());
            assert!(
                facts.outcome.is_empty() || facts.sets == Sets::Prefixed(&[]),
                "{}: a kind with outcome variables sets them, and only them",
                kind.name()
            );
        }
        assert_eq!(
            PolicyKind::OAuthV2.facts().guard,
            Some(Guard::Verifies(Credential::OAuth))
        );
        assert!(PolicyKind::Script.facts().runs_code);
    }

    #[test]
    fn every_operation_does_one_thing_with_tokens() {
        let refreshing: Vec<&str> = OAuthOperation::ALL
            .into_iter()
            .filter(|o| o.action() == TokenAction::ExchangesRefreshToken)
            .map(OAuthOperation::name)
            .collect();
        assert_eq!(refreshing, ["RefreshAccessToken", "RefreshJWTAccessToken"]);
    }
}

/// What a run does outside the request that an unverified caller should not be able to make
/// the proxy do (§7 OA304: a ServiceCallout, a write to a cache or a key value map, a log sent
/// to a server of the author's choosing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideEffect {
    CallsService,
    WritesCache,
    WritesKeyValueMap,
    LogsToSyslog,
}

impl SideEffect {
    /// What the run does, for messages: "`SC-Enrich` {calls another service}".
    pub fn describe(self) -> &'static str {
        match self {
            SideEffect::CallsService => "calls another service",
            SideEffect::WritesCache => "writes to a cache",
            SideEffect::WritesKeyValueMap => "writes to a key value map",
            SideEffect::LogsToSyslog => "sends a log message to a syslog server",
        }
    }
}

/// Where a ServiceCallout stores the response when its `<Response>` names no variable.
pub const SERVICE_CALLOUT_RESPONSE: &str = "calloutResponse";

impl PolicyKind {
    /// The side effect every run of the kind has, whatever its configuration: a ServiceCallout
    /// sends a request, PopulateCache and InvalidateCache change a cache. (A
    /// KeyValueMapOperations writes only with `<Put>` or `<Delete>`, a MessageLogging is remote
    /// only with `<Syslog>`: their views say; JavaScript may do anything, which is no claim.)
    pub fn side_effect(self) -> Option<SideEffect> {
        match self {
            PolicyKind::ServiceCallout => Some(SideEffect::CallsService),
            PolicyKind::PopulateCache | PolicyKind::InvalidateCache => {
                Some(SideEffect::WritesCache)
            }
            _ => None,
        }
    }
}
