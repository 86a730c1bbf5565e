use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// A TargetEndpoint that calls its backend over plain HTTP.
    TargetWithoutTls,
    "target-without-tls",
    Target,
    Warning,
    preview = true,
    options = TrustedHosts,
);

#[derive(Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TrustedHosts {
    /// Hosts reached over plain HTTP on purpose: a name, or `*.suffix` for every name under it.
    pub trusted_hosts: Vec<String>,
}

impl Default for TrustedHosts {
    /// Loopback only: every other host is reached over a network that someone else may read.
    fn default() -> TrustedHosts {
        let hosts = ["localhost", "127.0.0.1", "[::1]"];
        TrustedHosts {
            trusted_hosts: hosts.map(String::from).to_vec(),
        }
    }
}

impl TrustedHosts {
    fn trust(&self, host: &str) -> bool {
        self.trusted_hosts.iter().any(|trusted| {
            match trusted.strip_prefix("*.") {
                Some(suffix) => host
                    .len()
                    .checked_sub(suffix.len() + 1)
                    .is_some_and(|dot| {
                        host.as_bytes()[dot] == b'.' && host[dot + 1..].eq_ignore_ascii_case(suffix)
                    }),
                None => host.eq_ignore_ascii_case(trusted),
            }
        })
    }
}

impl Rule for TargetWithoutTls {
    fn check_target_endpoint(
        &self,
        cx: &Context,
        bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(http) = &endpoint.http else { return };
        // Behind a LoadBalancer the TargetServers, configured outside the bundle, choose TLS.
        let (Some(url), None) = (&http.url, &http.load_balancer) else {
            return;
        };
        if !http.calls_plain_http() || http.tls_in_use().is_some() {
            return;
        }
        // A host written as a variable may be anything: only a host written out is judged.
        let Some(host) = http.url_host() else { return };
        if Self::options(cx).trust(host)
            || !called(cx, bundle, endpoint)
            || replaces_target_url(bundle)
        {
            return;
        }
        let message = format!(
            "TargetEndpoint `{}` calls `{host}` over plain HTTP: requests and responses, with any credential they carry, cross the network unencrypted",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, url.span, message)
                .primary_label("no TLS to the backend")
                .help("call the backend over https:// and validate its certificate (an <SSLInfo> with <Enabled>true</Enabled> and a <TrustStore>), or route through a <LoadBalancer> over TargetServers configured with TLS; if this host is reached over a network that is encrypted otherwise, add it to the rule's `trusted-hosts` option"),
        );
    }
}

/// Does some request reach the TargetEndpoint? One that no RouteRule takes calls no backend
/// (`unreferenced-target` reports it).
fn called(cx: &Context, bundle: BundleRef, endpoint: &TargetEndpoint) -> bool {
    let mut routes = bundle.proxy_endpoints.iter().flat_map(|e| &e.route_rules);
    routes.any(|rule| {
        let names_it = cx.project.route_target(rule.id);
        names_it.is_some_and(|t| t.may_be(endpoint.id)) && !cx.engine.routed(rule.id).is_empty()
    })
}

/// May a policy of the bundle set `target.url`? Then the URL called may not be the one written
/// (`<URL>http://placeholder</URL>` replaced before the call). Code, which may set any variable,
/// is not counted: a bundle rarely rewrites its target in code, and when it does not, the URL
/// written is the one called.
fn replaces_target_url(bundle: BundleRef) -> bool {
    bundle.policies.iter().any(|p| p.may_set("target.url"))
}
