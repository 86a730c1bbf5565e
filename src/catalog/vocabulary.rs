//! Words of HTTP, OAuth 2.0 and Apigee's flow variables that a condition may compare with.

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

/// The flow variables that hold the proxy's own messages: the client's request, the response
/// it gets, and `message`, whichever of the two the flow is handling: the built-in variables of
/// type message (Apigee's ServiceCallout runtime errors, `RequestVariableNotMessageType`).
pub const PROXY_MESSAGES: [&str; 3] = ["request", "response", "message"];

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

/// Flow variables that Apigee gives a new value on every request: a Quota that counts per one of
/// them counts each request in a counter of its own. Apigee's antipattern "Use high-cardinality
/// identifiers in Quota policies" (✔) names "unique request IDs … that change with every API
/// call"; `messageid` is the request's globally unique ID (◐: X flow variables reference, its
/// list of variables read, the description as the project recalls it).
pub const PER_REQUEST_VARIABLES: [&str; 1] = ["messageid"];
