use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A proxy with more than one ProxyEndpoint.
    MultipleProxyEndpoints,
    "multiple-proxy-endpoints",
    Bundle,
    Info,
    preview = true,
);

impl Rule for MultipleProxyEndpoints {
    fn check_bundle(&self, _: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        let endpoints = &bundle.proxy_endpoints;
        let [first, second, rest @ ..] = endpoints.as_slice() else {
            return;
        };
        let count = endpoints.len();
        let message = format!("proxy `{}` has {count} ProxyEndpoints", bundle.name);
        let mut diagnostic = Diagnostic::new(&Self::META, second.name_span, message)
            .primary_label(format!("one of {count} ProxyEndpoints"))
            .help(HELP);
        for other in std::iter::once(first).chain(rest) {
            diagnostic = diagnostic.label(other.name_span, "another ProxyEndpoint of the proxy");
        }
        out.push(diagnostic);
    }
}

const HELP: &str = "give each API its own proxy with one ProxyEndpoint, sharing common logic \
    through shared flows, or serve paths under one base path from conditional flows of a single \
    ProxyEndpoint: Apigee's analytics aggregate by proxy, not by ProxyEndpoint, and one bundle \
    for unrelated APIs is harder to read, debug and maintain (Apigee's antipattern \"Define \
    multiple ProxyEndpoints in an API proxy\", which also says a proxy that works needs no change)";
