use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::EDGE_HTTP_VIRTUAL_HOST;
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{handles_tokens, mints_tokens};
use crate::model::{Policy, ProxyEndpoint};

declare_rule!(
    /// An endpoint that mints, refreshes or revokes tokens and is bound to Apigee Edge's plain-HTTP virtual host.
    OAuthEndpointWithoutTls,
    "oauth-endpoint-without-tls",
    OAuth,
    Error,
    preview = true,
);

impl Rule for OAuthEndpointWithoutTls {
    fn check_proxy_endpoint(&self, cx: &Context, _: BundleRef, endpoint: &ProxyEndpoint, out: &mut Vec<Diagnostic>) {
        // Virtual hosts are Edge's; X and hybrid take host names from environment groups.
        if cx.profile != Some(Profile::Edge) {
            return;
        }
        let Some(connection) = &endpoint.connection else {
            return;
        };
        let http = connection
            .virtual_hosts
            .iter()
            .find(|v| v.value.trim() == EDGE_HTTP_VIRTUAL_HOST);
        let (at, label, takes) = match http {
            Some(host) => (host.span, "Edge's `default` virtual host is plain HTTP", "takes"),
            None if connection.virtual_hosts.is_empty() => (
                connection.span,
                "no <VirtualHost>: Edge binds the endpoint to every virtual host of the environment, `default` (plain HTTP) included",
                "may take",
            ),
            None => return,
        };
        let Some(policy) = token_policy_run_by(cx, endpoint) else {
            return;
        };
        let base = endpoint.base_path().map_or("", |b| b.value.as_str());
        out.push(
            Diagnostic::new(
                &Self::META,
                at,
                format!("`{base}` runs `{}`, and {takes} requests over plain HTTP", policy.name),
            )
            .primary_label(label)
            .help(
                "bind the endpoint to HTTPS virtual hosts only (`<VirtualHost>secure</VirtualHost>`): token \
                 requests carry client secrets, authorization codes and tokens, which must travel over TLS \
                 (RFC 6749 §3.1–§3.2, RFC 9700 §2.6)",
            ),
        );
    }
}

/// A policy that mints, refreshes or revokes tokens which some request to the endpoint runs, in
/// its flows or in a shared flow they call; one that mints, if there is one.
fn token_policy_run_by<'p>(cx: &Context<'p>, endpoint: &ProxyEndpoint) -> Option<&'p Policy> {
    cx.project
        .bundles
        .iter()
        .flat_map(|b| &b.policies)
        .filter(|p| handles_tokens(p))
        .filter(|p| {
            cx.engine
                .placements(p.id)
                .into_iter()
                .any(|at| cx.engine.proxy_endpoint_of(at) == Some(endpoint.id))
        })
        .min_by_key(|p| !mints_tokens(p))
}
