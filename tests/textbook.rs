//! The textbook of OAuth mistakes of the issue "The OAuth 2.0 rule pack": a token proxy and an
//! orders API (`fixtures/textbook/token-service/`) holding every mistake a new user tried, which
//! once linted clean. Each mistake is marked `<!-- expect: rule -->` where its finding points:
//!
//! - password and implicit grants: `password-grant-enabled`, `implicit-grant-enabled`;
//! - `ExpiresIn` -1, a one-year refresh token, a 24-hour authorization code:
//!   `token-lifetime-unbounded`, `refresh-token-lifetime-too-long`, `token-lifetime-too-long`;
//! - the grant type read from the query string: `token-endpoint-accepts-get` (the client id is
//!   no secret: nothing to report);
//! - no PKCE: `authorization-code-without-pkce`; `ReuseRefreshToken`: `refresh-token-rotation-disabled`;
//! - VerifyAccessToken reading `?access_token`, with continueOnError, skipped when a client sends
//!   `x-internal: true`: `access-token-in-query`, `oauth-policy-continues-on-error`,
//!   `token-verification-skippable`, and the route it opens, `unverified-target-route`;
//! - a verification only in the response: `token-verification-too-late`;
//! - hard-coded Basic credentials: `hardcoded-secret`;
//! - and what the textbook forgot: revocation (`no-token-revocation`), throttling
//!   (`token-endpoint-unthrottled`), threat protection (`target-route-without-threat-protection`);
//! - the `http://` target: `target-without-tls` (not in the reference's catalog, whose
//!   `oauth-endpoint-without-tls` is the OAuth endpoint's own side).

mod common;

use common::{case_settings, check_case, read_case};
use std::path::Path;

#[test]
fn every_mistake_of_the_textbook_proxy_is_found_and_says_how_to_fix_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/textbook/token-service");
    let (files, expected) = read_case(&dir);
    let project = oauthlint::parse::load::load_memory(files.clone());
    let diagnostics = oauthlint::lint(&project, &case_settings(&dir)).diagnostics;
    let without_fix: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.help.as_deref().is_none_or(str::is_empty))
        .map(|d| d.rule)
        .collect();
    assert!(
        without_fix.is_empty(),
        "findings without a fix: {without_fix:?}"
    );
    check_case(&dir, "fixtures/textbook/token-service", files, expected);
}
