//! The scenario parser on arbitrary text, and each parsed scenario run through a small OAuth
//! proxy (token, refresh, verify, revoke) against one token store.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauthlint::engine::trace::{parse_scenario, run_scenario};
use oauthlint::engine::Engine;
use oauthlint::parse::load::load_memory;
use std::sync::OnceLock;

const PROXY: &str = r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/oauth</BasePath></HTTPProxyConnection>
<Flows>
 <Flow name="token"><Condition>(proxy.pathsuffix MatchesPath "/token") and (request.formparam.grant_type != "refresh_token")</Condition><Request><Step><Name>Token</Name></Step></Request></Flow>
 <Flow name="refresh"><Condition>proxy.pathsuffix MatchesPath "/token"</Condition><Request><Step><Name>Refresh</Name></Step></Request></Flow>
 <Flow name="revoke"><Condition>proxy.pathsuffix MatchesPath "/revoke"</Condition><Request><Step><Name>Revoke</Name></Step></Request></Flow>
 <Flow name="api"><Request><Step><Name>Verify</Name></Step></Request></Flow>
</Flows><RouteRule name="r"/></ProxyEndpoint>"#;

fn project() -> &'static oauthlint::model::Project {
    static PROJECT: OnceLock<oauthlint::model::Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let policy = |name: &str, body: &str| (format!("p/apiproxy/policies/{name}.xml"), Ok(body.as_bytes().to_vec()));
        load_memory(vec![
            ("p/apiproxy/proxies/default.xml".to_owned(), Ok(PROXY.as_bytes().to_vec())),
            policy("Token", "<OAuthV2 name=\"Token\"><Operation>GenerateAccessToken</Operation><SupportedGrantTypes><GrantType>password</GrantType><GrantType>client_credentials</GrantType></SupportedGrantTypes></OAuthV2>"),
            policy("Refresh", "<OAuthV2 name=\"Refresh\"><Operation>RefreshAccessToken</Operation></OAuthV2>"),
            policy("Revoke", "<OAuthV2 name=\"Revoke\"><Operation>InvalidateToken</Operation><Tokens><Token type=\"accesstoken\" cascade=\"true\">request.formparam.token</Token></Tokens></OAuthV2>"),
            policy("Verify", "<OAuthV2 name=\"Verify\"><Operation>VerifyAccessToken</Operation></OAuthV2>"),
        ])
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(scenario) = parse_scenario(&text) {
        if scenario.requests.len() <= 16 {
            let engine = Engine::new(project());
            let _ = run_scenario(&engine, &scenario);
        }
    }
});
