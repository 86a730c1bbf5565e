use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Bundle;
use std::collections::HashSet;

declare_rule!(
    /// A policy that no Step of its bundle attaches: deployed, never run.
    UnattachedPolicy,
    "unattached-policy",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [BN005],
);

impl Rule for UnattachedPolicy {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        if !steps_all_known(&bundle) {
            return;
        }
        let proxies = bundle.proxy_endpoints.iter().map(|e| &e.flows);
        let targets = bundle.target_endpoints.iter().map(|e| &e.flows);
        let streamed: HashSet<&str> = proxies
            .chain(targets)
            .flat_map(|f| &f.event_flow_policies)
            .map(String::as_str)
            .collect();
        // The model resolved every Step to its policies once; a policy none leads to is unattached.
        for policy in &bundle.policies {
            if !cx.project.attachments_of(policy.id).is_empty()
                || streamed.contains(policy.name.as_str())
            {
                continue;
            }
            let message = format!("policy `{}` is attached by no Step", policy.name);
            let help = "attach it with a `<Step>` where it should run, or delete the file: Apigee \
                        deploys it but never runs it, and readers take it for live configuration";
            out.push(
                Diagnostic::new(&UnattachedPolicy::META, policy.name_span, message)
                    .primary_label("no Step names this policy")
                    .help(help),
            );
        }
    }
}

/// Whether the model holds every Step the deployed bundle will: an endpoint or shared flow that
/// failed to load, or whose build template adds elements, may attach any policy; a bundle
/// without endpoints or shared flows is incomplete (its flows live elsewhere or are missing).
fn steps_all_known(bundle: &Bundle) -> bool {
    let failed = bundle.failed_files.iter().any(|f| {
        ["proxies/", "targets/", "sharedflows/"]
            .iter()
            .any(|dir| f.starts_with(dir))
    });
    let proxies = bundle.proxy_endpoints.iter().map(|e| &e.structure);
    let targets = bundle.target_endpoints.iter().map(|e| &e.structure);
    let shared = bundle.shared_flows.iter().map(|s| &s.structure);
    let templated = proxies
        .chain(targets)
        .chain(shared)
        .any(|s| s.template_adds_elements);
    let flowless = bundle.proxy_endpoints.is_empty() && bundle.shared_flows.is_empty();
    !failed && !templated && !flowless
}
