//! Conditions from the reference's worked examples (§5.7) and from public bundles.

use super::*;
use Truth::{False as F, True as T, Unknown as U};

#[test]
fn documented_examples_parse() {
    for text in [
        "(proxy.pathsuffix MatchesPath \"/statuses\") and (request.verb = \"GET\")",
        "request.header.accept = \"application/json\"",
        "(response.status.code = 503) or (response.status.code = 400)",
        "request.header.Content-Type = \"text/xml\"",
        "request.header.X-DoNothing != null",
        "lookupcache.LookupCache-1.cachehit is true",
        "message.content Like \"*unavailable*\"",
        "(fault.name = \"FailedToResolveAPIKey\")",
        "oauthV2.Verify-API-Key-1.failed = true",
        "proxy.pathsuffix MatchesPath \"/accesstoken\"",
        "response.verb=\"GET\"",
        "request.verb==\"GET\"",
        "a=|\"x\"",
        "x.y = 1.5",
        "flow.cachehit is true",
        "request.header.host is null",
        "response.status.code GreaterThan \"200\"",
        "ratelimit.Quota-1.exceed.count GreaterThan \"0\"",
        "request.verb = \"POST\" and proxy.pathsuffix MatchesPath \"/token\" or proxy.pathsuffix MatchesPath \"/refresh\"",
        "(request.verb = \"POST\") and ((proxy.pathsuffix MatchesPath \"/token\") or (proxy.pathsuffix MatchesPath \"/refresh\"))",
        "request.formparam.grant_type = refresh_token",
        "tok.remaining < 60",
        "(tok.remaining != null) and (tok.remaining < 60)",
    ] {
        parse_ok(text);
    }
}

#[test]
fn bundle_conditions_parse() {
    for text in [
        "(fault.name Equals \"InvalidApiKey\") and !(proxy.pathsuffix MatchesPath \"/token\")",
        "(JWT.failed Equals true) And (jwt.DecodeJWT.FromClientAssertionFormParam.error IsNot null) And (fault.name Equals \"FailedToDecode\")",
        "oauthV2.OAInfo-RetrieveRefreshTokenDetails.failed = true and oauthV2.OAInfo-RetrieveAccessTokenDetails.failed = false",
        "request.formparam.refresh_token = null",
        "(proxy.pathsuffix MatchesPath \"/token\") and (request.verb = \"POST\")",
        "request.verb != \"OPTIONS\"",
        "proxy.pathsuffix ~~ \"/v1/(a|b)/.*\"",
        "response.status.code >= 400",
        "request.header.X-DoNothing != null",
        // From the corpus: odd but valid shapes.
        "(request.queryparam.raisefault = 'true')",
        "(grant_type is \"authorization_code\") and ((request.header.NHSD-Session-URID is null) or (not request.header.NHSD-Session-URID ~~ \".+\"))",
        "!( oidc.flow.token.client_id =| \"dummy-client_id\" ) or \n   !( oidc.flow.token.client_secret =| \"dummy-client_secret\" )",
        "(request.header.X-Sync-Wait LesserThan 0.25) OR (request.header.X-Sync-Wait GreaterThan 29) OR (request.header.X-Sync-Wait Is null)",
        "( (request.verb = \"POST\") or (request.verb = \"PUT\") ) and ( (request.header.Content-type == null) or (not (content-header-lc JavaRegex \"application\\/json(\\s*;\\s*charset=(.)+)?\") ) ) ",
        "(existingConsentInfo.expires_at LesserThanOrEquals nowInEpochSeconds)",
        " buff_ready = true ",
    ] {
        parse_ok(text);
    }
}

#[test]
fn bundle_conditions_evaluate() {
    let token_post = MapEnv::new()
        .with("proxy.pathsuffix", s("/token"))
        .with("request.verb", s("POST"))
        .with("response.status.code", s("400"))
        .with("fault.name", s("InvalidApiKey"))
        .with("JWT.failed", Value::Bool(true))
        .with("request.queryparam.raisefault", s("true"))
        .unknown("request.formparam.refresh_token");
    for (text, expected) in [
        (
            "(proxy.pathsuffix MatchesPath \"/token\") and (request.verb = \"POST\")",
            T,
        ),
        (
            "(fault.name Equals \"InvalidApiKey\") and !(proxy.pathsuffix MatchesPath \"/token\")",
            F,
        ),
        ("request.verb != \"OPTIONS\"", T),
        ("response.status.code = 400", T),
        ("response.status.code = \"400\"", T),
        ("response.status.code >= 400", T),
        ("response.status.code > 1000", U),
        ("request.formparam.refresh_token = null", U),
        ("request.header.X-DoNothing != null", F),
        ("request.verb = POST", F),
        (
            "(JWT.failed Equals true) And (fault.name Equals \"FailedToDecode\")",
            F,
        ),
        ("proxy.pathsuffix ~~ \"/v1/(a|b)/.*\"", F),
        // `'true'` is a variable name, unset here: a string never equals null.
        ("(request.queryparam.raisefault = 'true')", F),
    ] {
        assert_eq!(ev(text, &token_post), expected, "{text}");
    }
    // With the numeric value the runtime actually stores, relational operators work.
    let numeric = MapEnv::new().with("response.status.code", Value::Int(404));
    assert_eq!(ev("response.status.code >= 400", &numeric), T);
    assert_eq!(ev("response.status.code = \"404\"", &numeric), T);
    assert_eq!(ev("response.status.code LesserThan 400", &numeric), F);
}
