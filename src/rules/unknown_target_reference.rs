use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{ProxyEndpoint, Resolved};
use crate::suggest::closest;

declare_rule!(
    /// A RouteRule that names a TargetEndpoint the bundle does not have, or names none.
    UnknownTargetReference,
    "unknown-target-reference",
    Bundle,
    Error,
    preview = true,
    apigeelint = [PD001],
);

impl Rule for UnknownTargetReference {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        // A TargetEndpoint file that failed to load may define the name: its own finding says so.
        if bundle.failed_files.iter().any(|f| f.starts_with("targets/")) {
            return;
        }
        for rule in &endpoint.route_rules {
            let Some(name) = &rule.target_endpoint else {
                continue;
            };
            if name.value.is_empty() {
                out.push(
                    Diagnostic::new(&Self::META, name.span, "RouteRule names no TargetEndpoint")
                        .primary_label("empty")
                        .help("write the name of a TargetEndpoint of the bundle, or remove <TargetEndpoint> for a route without a backend (a null route)"),
                );
                continue;
            }
            if cx.project.route_target(rule.id) != Some(&Resolved::Missing) {
                continue;
            }
            let names = bundle.target_endpoints.iter().map(|t| t.name.as_str());
            let help = match closest(&name.value, names) {
                Some(near) => format!("a TargetEndpoint named `{near}` exists; did you mean it?"),
                None => format!(
                    "add a TargetEndpoint with name=\"{}\" under targets/, or correct the RouteRule's <TargetEndpoint>",
                    name.value
                ),
            };
            let message = format!(
                "RouteRule routes to TargetEndpoint `{}`, which this bundle does not define",
                name.value
            );
            out.push(
                Diagnostic::new(&Self::META, name.span, message)
                    .primary_label("no such TargetEndpoint")
                    .help(help),
            );
        }
    }
}
