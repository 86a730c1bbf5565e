//! How a TargetEndpoint reaches its backend: `<HTTPTargetConnection>` (a URL or a load balancer
//! over target servers, with TLS, health monitoring, Google authentication and properties) or
//! `<LocalTargetConnection>` (another proxy of the environment). What TargetEndpoint.xsd allows,
//! as written: every value keeps its span, and a value of the wrong shape is kept for rules.

use super::values::{Flag, NamedValue, Properties, Valued};
use super::views::ValueSource;
use crate::parse::xml::Element;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct HttpTargetConnection {
    /// Empty, at the element's tag, for an empty `<URL/>`.
    pub url: Option<Valued>,
    /// Appended to each target server's address when a LoadBalancer is used.
    pub path: Option<Valued>,
    // Boxed, the parts most connections leave out: a TargetEndpoint is kept for the whole run,
    // and these held it at 2.4 kB.
    pub ssl_info: Option<Box<SslInfo>>,
    pub load_balancer: Option<Box<LoadBalancer>>,
    pub health_monitor: Option<HealthMonitor>,
    pub properties: Option<Properties>,
    pub authentication: Option<Box<Authentication>>,
    /// The `<HTTPTargetConnection>` tag.
    pub span: Span,
    /// The whole element.
    pub extent: Span,
}

/// `<SSLInfo>`: TLS towards the backend (or, in a TargetServer, towards that server).
#[derive(Clone, Debug)]
pub struct SslInfo {
    pub enabled: Option<Flag>,
    pub client_auth_enabled: Option<Flag>,
    pub key_store: Option<Valued>,
    pub key_alias: Option<Valued>,
    pub cert_alias: Option<Valued>,
    pub trust_store: Option<Valued>,
    pub ignore_validation_errors: Option<Flag>,
    /// `<Protocols><Protocol>`, in order; empty when not given.
    pub protocols: Vec<Valued>,
    /// `<Ciphers><Cipher>`, in order; empty when not given.
    pub ciphers: Vec<Valued>,
    pub common_name: Option<CommonName>,
    pub enforce: Option<Flag>,
    /// The `<SSLInfo>` tag.
    pub span: Span,
}

/// `<CommonName wildcardMatch="…">`: the name the backend's certificate must carry.
#[derive(Clone, Debug)]
pub struct CommonName {
    pub value: Option<Valued>,
    pub wildcard_match: Option<Flag>,
    /// The `<CommonName>` tag.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct LoadBalancer {
    /// `RoundRobin`, `Weighted` or `LeastConnections` when valid.
    pub algorithm: Option<Valued>,
    pub servers: Vec<Server>,
    pub max_failures: Option<Valued>,
    pub retry_enabled: Option<Flag>,
    pub target_disable_secs: Option<Valued>,
    pub server_unhealthy_response: Option<ResponseMatch>,
    /// The `<LoadBalancer>` tag.
    pub span: Span,
}

/// `<Server name="…">`: a TargetServer of the environment.
#[derive(Clone, Debug)]
pub struct Server {
    pub name: Option<Valued>,
    pub is_enabled: Option<Flag>,
    pub is_fallback: Option<Flag>,
    pub weight: Option<Valued>,
    /// The `<Server>` tag.
    pub span: Span,
}

/// Which responses count as a failure (`<ServerUnhealthyResponse>`) or a success
/// (`<SuccessResponse>`): response codes and headers.
#[derive(Clone, Debug)]
pub struct ResponseMatch {
    pub response_codes: Vec<Valued>,
    pub headers: Vec<NamedValue>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonitorKind {
    Http,
    Tcp,
}

#[derive(Clone, Debug)]
pub struct HealthMonitor {
    /// The first `<HTTPMonitor>` or `<TCPMonitor>`; `None` when there is neither.
    pub kind: Option<MonitorKind>,
    pub is_enabled: Option<Flag>,
    pub interval_in_sec: Option<Valued>,
    /// The `<HealthMonitor>` tag.
    pub span: Span,
}

/// `<Authentication>`: the target call carries a Google token minted for the proxy's service
/// account.
#[derive(Clone, Debug)]
pub struct Authentication {
    pub header_name: Option<ValueSource>,
    pub google_access_token: Option<GoogleAccessToken>,
    pub google_id_token: Option<GoogleIdToken>,
    /// The `<Authentication>` tag.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct GoogleAccessToken {
    pub scopes: Vec<Valued>,
    pub lifetime_in_seconds: Option<Valued>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct GoogleIdToken {
    pub audience: Option<Audience>,
    pub include_email: Option<Flag>,
    pub span: Span,
}

/// `<Audience ref="…" useTargetUrl="…">value</Audience>`.
#[derive(Clone, Debug)]
pub struct Audience {
    pub source: ValueSource,
    pub use_target_url: Option<Flag>,
}

/// Proxy chaining: `<APIProxy>` and `<ProxyEndpoint>`, or `<Path>` (a base path).
#[derive(Clone, Debug)]
pub struct LocalTargetConnection {
    pub api_proxy: Option<Valued>,
    pub proxy_endpoint: Option<Valued>,
    pub path: Option<Valued>,
    /// The `<LocalTargetConnection>` tag.
    pub span: Span,
}

impl HttpTargetConnection {
    pub fn of(e: &Element) -> HttpTargetConnection {
        HttpTargetConnection {
            url: Valued::present(e, "URL"),
            path: Valued::child_text(e, "Path"),
            ssl_info: e.child("SSLInfo").map(|e| Box::new(SslInfo::of(e))),
            load_balancer: e
                .child("LoadBalancer")
                .map(|e| Box::new(LoadBalancer::of(e))),
            health_monitor: e.child("HealthMonitor").map(HealthMonitor::of),
            properties: Properties::of(e),
            authentication: e
                .child("Authentication")
                .map(|e| Box::new(Authentication::of(e))),
            span: e.head(),
            extent: e.span,
        }
    }
}

impl HttpTargetConnection {
    /// The `<SSLInfo>` that applies to the call to `<URL>`: `None` when there is none, when it
    /// is switched off (`<Enabled>false`, or no `<Enabled>` and an `http://` URL), or when a
    /// `<LoadBalancer>` is used (its servers take their TLS from the environment's
    /// TargetServers).
    pub fn tls_in_use(&self) -> Option<&SslInfo> {
        let tls = self
            .ssl_info
            .as_deref()
            .filter(|_| self.load_balancer.is_none())?;
        let enabled = tls.enabled.as_ref().and_then(|f| f.value);
        enabled.unwrap_or(!self.calls_plain_http()).then_some(tls)
    }

    /// Is `<URL>` an `http://` URL (which Apigee calls without TLS unless `<SSLInfo>` enables it)?
    pub fn calls_plain_http(&self) -> bool {
        self.url
            .as_ref()
            .is_some_and(|u| u.value.starts_with("http://"))
    }
}

impl HttpTargetConnection {
    /// The host `<URL>` names, as written, when it is an `http://` or `https://` URL whose host
    /// holds no `{variable}`: the name Apigee connects to without a lookup.
    pub fn url_host(&self) -> Option<&str> {
        self.url_host_template()
            .filter(|host| !host.contains(['{', '}']))
    }

    /// The host `<URL>` names, as written, `{variables}` included, when it is an `http://` or
    /// `https://` URL.
    pub fn url_host_template(&self) -> Option<&str> {
        url_host_template(&self.url.as_ref()?.value)
    }
}

/// The host an `http://` or `https://` URL names, as written, `{variables}` included.
pub fn url_host_template(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    // A `{variable}` may hold a `:`; the port follows the last `}`.
    let host = authority.rsplit('@').next()?;
    let port_from = host.rfind('}').map_or(0, |b| b + 1);
    let host = &host[..host[port_from..]
        .find(':')
        .map_or(host.len(), |c| port_from + c)];
    (!host.is_empty()).then_some(host)
}

impl SslInfo {
    pub fn of(e: &Element) -> SslInfo {
        SslInfo {
            enabled: Flag::child(e, "Enabled"),
            client_auth_enabled: Flag::child(e, "ClientAuthEnabled"),
            key_store: Valued::child_text(e, "KeyStore"),
            key_alias: Valued::child_text(e, "KeyAlias"),
            cert_alias: Valued::child_text(e, "CertAlias"),
            trust_store: Valued::child_text(e, "TrustStore"),
            ignore_validation_errors: Flag::child(e, "IgnoreValidationErrors"),
            protocols: Valued::listed(e, "Protocols", "Protocol"),
            ciphers: Valued::listed(e, "Ciphers", "Cipher"),
            common_name: e.child("CommonName").map(|c| CommonName {
                value: Valued::text_of(c),
                wildcard_match: Flag::attribute(c, "wildcardMatch"),
                span: c.head(),
            }),
            enforce: Flag::child(e, "Enforce"),
            span: e.head(),
        }
    }
}

impl LoadBalancer {
    fn of(e: &Element) -> LoadBalancer {
        LoadBalancer {
            algorithm: Valued::child_text(e, "Algorithm"),
            servers: e
                .children_named("Server")
                .map(|s| Server {
                    name: Valued::attribute(s, "name"),
                    is_enabled: Flag::child(s, "IsEnabled"),
                    is_fallback: Flag::child(s, "IsFallback"),
                    weight: Valued::child_text(s, "Weight"),
                    span: s.head(),
                })
                .collect(),
            max_failures: Valued::child_text(e, "MaxFailures"),
            retry_enabled: Flag::child(e, "RetryEnabled"),
            target_disable_secs: Valued::child_text(e, "TargetDisableSecs"),
            server_unhealthy_response: e.child("ServerUnhealthyResponse").map(ResponseMatch::of),
            span: e.head(),
        }
    }
}

impl ResponseMatch {
    fn of(e: &Element) -> ResponseMatch {
        ResponseMatch {
            response_codes: Valued::each(e, "ResponseCode"),
            headers: NamedValue::each(e, "Header"),
            span: e.head(),
        }
    }
}

impl HealthMonitor {
    fn of(e: &Element) -> HealthMonitor {
        HealthMonitor {
            kind: e.elements().find_map(|m| match m.name.as_str() {
                "HTTPMonitor" => Some(MonitorKind::Http),
                "TCPMonitor" => Some(MonitorKind::Tcp),
                _ => None,
            }),
            is_enabled: Flag::child(e, "IsEnabled"),
            interval_in_sec: Valued::child_text(e, "IntervalInSec"),
            span: e.head(),
        }
    }
}

impl Authentication {
    fn of(e: &Element) -> Authentication {
        Authentication {
            header_name: ValueSource::of(e, "HeaderName"),
            google_access_token: e.child("GoogleAccessToken").map(|g| GoogleAccessToken {
                scopes: Valued::listed(g, "Scopes", "Scope"),
                lifetime_in_seconds: Valued::child_text(g, "LifetimeInSeconds"),
                span: g.head(),
            }),
            google_id_token: e.child("GoogleIDToken").map(|g| GoogleIdToken {
                audience: g.child("Audience").map(|a| Audience {
                    source: ValueSource::element(a),
                    use_target_url: Flag::attribute(a, "useTargetUrl"),
                }),
                include_email: Flag::child(g, "IncludeEmail"),
                span: g.head(),
            }),
            span: e.head(),
        }
    }
}

impl LocalTargetConnection {
    pub fn of(e: &Element) -> LocalTargetConnection {
        LocalTargetConnection {
            api_proxy: Valued::child_text(e, "APIProxy"),
            proxy_endpoint: Valued::child_text(e, "ProxyEndpoint"),
            path: Valued::child_text(e, "Path"),
            span: e.head(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;
    use super::*;
    use crate::model::{Project, TargetEndpoint};

    const TARGET: &str = r#"<TargetEndpoint name="backend">
  <HTTPTargetConnection>
    <Authentication>
      <HeaderName ref="auth.header">X-Serverless-Authorization</HeaderName>
      <GoogleIDToken>
        <Audience useTargetUrl=" true ">https://run.example</Audience>
        <IncludeEmail>True</IncludeEmail>
      </GoogleIDToken>
    </Authentication>
    <SSLInfo>
      <Enabled>true</Enabled>
      <ClientAuthEnabled>0</ClientAuthEnabled>
      <KeyStore>ref://ks</KeyStore>
      <KeyAlias>key</KeyAlias>
      <TrustStore>ref://ts</TrustStore>
      <IgnoreValidationErrors/>
      <Protocols><Protocol>TLSv1.2</Protocol><Protocol>TLSv1.3</Protocol></Protocols>
      <Ciphers><Cipher>TLS_AES_128_GCM_SHA256</Cipher></Ciphers>
      <CommonName wildcardMatch="yes">*.example.com</CommonName>
      <Enforce>false</Enforce>
    </SSLInfo>
    <LoadBalancer>
      <Algorithm>Weighted</Algorithm>
      <Server name="a"><Weight>2</Weight><IsEnabled>true</IsEnabled></Server>
      <Server name="b"><IsFallback>true</IsFallback></Server>
      <MaxFailures>5</MaxFailures>
      <RetryEnabled>true</RetryEnabled>
      <TargetDisableSecs>300</TargetDisableSecs>
      <ServerUnhealthyResponse><ResponseCode>503</ResponseCode><Header name="X-Down">1</Header></ServerUnhealthyResponse>
    </LoadBalancer>
    <Path>/v1</Path>
    <HealthMonitor><IsEnabled>true</IsEnabled><IntervalInSec>5</IntervalInSec><TCPMonitor/></HealthMonitor>
    <Properties>
      <Property name="connect.timeout.millis">3000</Property>
      <Property name="keepalive.timeout.millis">60000</Property>
    </Properties>
  </HTTPTargetConnection>
</TargetEndpoint>"#;

    fn load_target(text: &str) -> (Project, TargetEndpoint) {
        let project = project(&[("apiproxy/targets/t.xml", text)]);
        let target = project.bundles[0].target_endpoints[0].clone();
        (project, target)
    }

    #[test]
    fn an_http_target_connection_keeps_every_part_with_its_span() {
        let (project, target) = load_target(TARGET);
        let at = |span: Span| project.sources.text(span);
        let http = target.http.as_ref().unwrap();
        assert!(target.local.is_none() && http.url.is_none());
        assert_eq!(at(http.span), "HTTPTargetConnection");
        assert!(at(http.extent).ends_with("</HTTPTargetConnection>"));
        assert_eq!(at(http.path.as_ref().unwrap().span), "/v1");

        let ssl = http.ssl_info.as_ref().unwrap();
        assert!(ssl.enabled.as_ref().unwrap().is_true());
        assert_eq!(ssl.client_auth_enabled.as_ref().unwrap().value, Some(false));
        let ignore = ssl.ignore_validation_errors.as_ref().unwrap();
        assert_eq!(
            (ignore.value, at(ignore.raw.span)),
            (None, "IgnoreValidationErrors")
        );
        assert_eq!(ssl.enforce.as_ref().unwrap().value, Some(false));
        assert_eq!(at(ssl.key_store.as_ref().unwrap().span), "ref://ks");
        assert_eq!(ssl.key_alias.as_ref().unwrap().value, "key");
        assert_eq!(ssl.trust_store.as_ref().unwrap().value, "ref://ts");
        let protocols: Vec<&str> = ssl.protocols.iter().map(|p| at(p.span)).collect();
        assert_eq!(protocols, ["TLSv1.2", "TLSv1.3"]);
        assert_eq!(ssl.ciphers.len(), 1);
        let common_name = ssl.common_name.as_ref().unwrap();
        assert_eq!(common_name.value.as_ref().unwrap().value, "*.example.com");
        let wildcard = common_name.wildcard_match.as_ref().unwrap();
        assert_eq!((wildcard.value, at(wildcard.raw.span)), (None, "yes"));

        let lb = http.load_balancer.as_ref().unwrap();
        assert_eq!(lb.algorithm.as_ref().unwrap().value, "Weighted");
        let servers: Vec<&str> = lb
            .servers
            .iter()
            .map(|s| at(s.name.as_ref().unwrap().span))
            .collect();
        assert_eq!(servers, ["a", "b"]);
        assert_eq!(lb.servers[0].weight.as_ref().unwrap().value, "2");
        assert!(lb.servers[0].is_enabled.as_ref().unwrap().is_true());
        assert!(lb.servers[1].is_fallback.as_ref().unwrap().is_true());
        assert_eq!(lb.max_failures.as_ref().unwrap().value, "5");
        assert!(lb.retry_enabled.as_ref().unwrap().is_true());
        assert_eq!(lb.target_disable_secs.as_ref().unwrap().value, "300");
        let unhealthy = lb.server_unhealthy_response.as_ref().unwrap();
        assert_eq!(unhealthy.response_codes[0].value, "503");
        assert_eq!(unhealthy.headers[0].name.as_ref().unwrap().value, "X-Down");

        let monitor = http.health_monitor.as_ref().unwrap();
        assert_eq!(monitor.kind, Some(MonitorKind::Tcp));
        assert_eq!(monitor.interval_in_sec.as_ref().unwrap().value, "5");

        let properties = http.properties.as_ref().unwrap();
        let timeout = properties.get("connect.timeout.millis").unwrap();
        assert_eq!(at(timeout.value.as_ref().unwrap().span), "3000");
        assert_eq!(properties.properties.len(), 2);
        assert!(properties.get("io.timeout.millis").is_none());

        let auth = http.authentication.as_ref().unwrap();
        let header = auth.header_name.as_ref().unwrap();
        assert_eq!(header.reference.as_ref().unwrap().value, "auth.header");
        assert!(auth.google_access_token.is_none());
        let id_token = auth.google_id_token.as_ref().unwrap();
        let audience = id_token.audience.as_ref().unwrap();
        assert_eq!(
            audience.source.literal.as_ref().unwrap().value,
            "https://run.example"
        );
        assert!(
            audience.use_target_url.as_ref().unwrap().is_true(),
            "blanks around"
        );
        let email = id_token.include_email.as_ref().unwrap();
        assert_eq!(
            (email.value, email.raw.value.as_str()),
            (None, "True"),
            "case counts"
        );
    }

    #[test]
    fn google_access_tokens_and_local_connections() {
        let (_, target) = load_target("<TargetEndpoint name=\"t\"><HTTPTargetConnection><URL>https://x</URL><Authentication><GoogleAccessToken><Scopes><Scope>https://www.googleapis.com/auth/cloud-platform</Scope></Scopes><LifetimeInSeconds>600</LifetimeInSeconds></GoogleAccessToken></Authentication></HTTPTargetConnection></TargetEndpoint>");
        let http = target.http.unwrap();
        assert_eq!(http.url.unwrap().value, "https://x");
        let token = http.authentication.unwrap().google_access_token.unwrap();
        assert_eq!(token.scopes.len(), 1);
        assert_eq!(token.lifetime_in_seconds.unwrap().value, "600");

        let (project, target) = load_target("<TargetEndpoint name=\"t\"><LocalTargetConnection><APIProxy>b</APIProxy><ProxyEndpoint>default</ProxyEndpoint></LocalTargetConnection></TargetEndpoint>");
        let local = target.local.unwrap();
        assert!(target.http.is_none());
        assert_eq!(project.sources.text(local.span), "LocalTargetConnection");
        assert_eq!(local.api_proxy.unwrap().value, "b");
        assert_eq!(local.proxy_endpoint.unwrap().value, "default");
        assert!(local.path.is_none());
    }

    #[test]
    fn a_proxy_connection_keeps_base_path_hosts_and_properties() {
        let project = project(&[(
            "apiproxy/proxies/default.xml",
            "<ProxyEndpoint name=\"default\"><HTTPProxyConnection><BasePath>/v1/a</BasePath><VirtualHost>secure</VirtualHost><VirtualHost>default</VirtualHost><Properties><Property name=\"request.payload.parse.limit\">1M</Property></Properties></HTTPProxyConnection><RouteRule name=\"r\"/></ProxyEndpoint>",
        )]);
        let endpoint = &project.bundles[0].proxy_endpoints[0];
        let connection = endpoint.connection.as_ref().unwrap();
        assert_eq!(project.sources.text(connection.span), "HTTPProxyConnection");
        assert_eq!(endpoint.base_path().unwrap().value, "/v1/a");
        assert_eq!(connection.virtual_hosts.len(), 2);
        let limit = connection.properties.as_ref().unwrap();
        let limit = limit.get("request.payload.parse.limit").unwrap();
        assert_eq!(limit.value.as_ref().unwrap().value, "1M");
    }

    #[test]
    fn the_url_host_is_the_literal_host_of_an_http_url() {
        let host = |url: &str| {
            let text = format!("<TargetEndpoint name=\"t\"><HTTPTargetConnection><URL>{url}</URL></HTTPTargetConnection></TargetEndpoint>");
            load_target(&text)
                .1
                .http
                .unwrap()
                .url_host()
                .map(str::to_owned)
        };
        assert_eq!(
            host("https://Api.Example:8443/v1?a=b").as_deref(),
            Some("Api.Example")
        );
        assert_eq!(host("http://user@b.example").as_deref(), Some("b.example"));
        assert_eq!(host("https://{backend}/v1"), None, "known at run time only");
        assert_eq!(host("https://api-{env}.example/v1"), None);
        assert_eq!(host("ftp://b.example"), None);
        assert_eq!(host(""), None);
    }

    #[test]
    fn the_tls_in_use_follows_enabled_the_url_scheme_and_the_load_balancer() {
        let in_use = |inner: &str| {
            let text = format!("<TargetEndpoint name=\"t\"><HTTPTargetConnection>{inner}</HTTPTargetConnection></TargetEndpoint>");
            let (_, target) = load_target(&text);
            target.http.unwrap().tls_in_use().is_some()
        };
        let tls = "<SSLInfo><KeyAlias>k</KeyAlias></SSLInfo>";
        let on = "<SSLInfo><Enabled>true</Enabled></SSLInfo>";
        let off = "<SSLInfo><Enabled>false</Enabled></SSLInfo>";
        assert!(in_use(&format!("<URL>https://b</URL>{tls}")));
        assert!(
            !in_use(&format!("<URL>http://b</URL>{tls}")),
            "off by default on http"
        );
        assert!(in_use(&format!("<URL>http://b</URL>{on}")));
        assert!(!in_use(&format!("<URL>https://b</URL>{off}")));
        assert!(in_use(&format!("<URL/>{tls}")), "no scheme to go by");
        assert!(!in_use("<URL>https://b</URL>"), "no SSLInfo");
        let balanced = format!("<LoadBalancer><Server name=\"a\"/></LoadBalancer>{on}");
        assert!(!in_use(&balanced), "the TargetServers' TLS applies");
    }
}
