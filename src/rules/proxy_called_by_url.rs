use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::is_edge_environment_host;
use crate::diagnostic::Diagnostic;
use crate::model::{url_host_template, HttpTargetConnection, Policy, TargetEndpoint, Valued};
use crate::source::Span;

declare_rule!(
    /// A TargetEndpoint, ServiceCallout or JavaScript that calls a proxy on an Apigee
    /// environment's host (`{org}-{env}.apigee.net`) over the network instead of chaining to it.
    ProxyCalledByUrl,
    "proxy-called-by-url",
    Target,
    Warning,
    preview = true,
    policy_kinds = [ServiceCallout],
);

impl Rule for ProxyCalledByUrl {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        for (resource, script) in bundle.model.scripts(&cx.project.sources) {
            for call in &script.outbound_urls {
                let host = url_host_template(&call.url).filter(|h| is_edge_environment_host(h));
                if let Some(host) = host {
                    out.push(finding(call.span, host, &format!("`{}`", resource.url())));
                }
            }
        }
    }

    fn check_target_endpoint(&self, _: &Context, _: BundleRef, target: &TargetEndpoint, out: &mut Vec<Diagnostic>) {
        if let Some((url, host)) = target.http.as_ref().and_then(environment_url) {
            out.push(finding(url.span, host, &format!("TargetEndpoint `{}`", target.name)));
        }
    }

    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let Some(view) = policy.service_callout() else {
            return;
        };
        // A callout no request runs makes no call: unattached-policy or unreachable-step says so.
        if !cx.engine.policy_may_run(policy.id) {
            return;
        }
        if let Some((url, host)) = view.http.as_deref().and_then(environment_url) {
            out.push(finding(url.span, host, &format!("ServiceCallout `{}`", policy.name)));
        }
    }
}

/// The `<URL>` of a connection and its host, when that host is an Apigee environment's.
fn environment_url(http: &HttpTargetConnection) -> Option<(&Valued, &str)> {
    let host = http.url_host_template().filter(|h| is_edge_environment_host(h))?;
    Some((http.url.as_ref()?, host))
}

fn finding(url: Span, host: &str, caller: &str) -> Diagnostic {
    Diagnostic::new(
        &ProxyCalledByUrl::META,
        url,
        format!("{caller} calls a proxy on Apigee's host `{host}` back over the network"),
    )
    .primary_label("an Apigee environment's host")
    .help(
        "the call leaves the message processor, goes through the load balancer and router and \
         comes back as a new request, with the latency and the traffic that adds; chain to the \
         proxy instead, with a `<LocalTargetConnection>` in a TargetEndpoint or a ServiceCallout \
         (its `<APIProxy>` and `<ProxyEndpoint>`, or its `<Path>`) (Apigee antipattern: invoke \
         a proxy within a proxy)",
    )
}
