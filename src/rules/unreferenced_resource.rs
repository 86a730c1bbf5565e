use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Resource;

declare_rule!(
    /// A resource file (a script, stylesheet, schema or specification) that no policy of its
    /// bundle names, nor another resource includes.
    UnreferencedResource,
    "unreferenced-resource",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [BN013],
);

impl Rule for UnreferencedResource {
    fn check_bundle(&self, _cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        let resources = &bundle.model.resources;
        let urls: Vec<String> = bundle
            .model
            .policies
            .iter()
            .flat_map(|p| p.resource_urls())
            .map(|url| url.value.trim().to_owned())
            .collect();
        let named = |resource: &Resource| {
            let kind = format!("{}://", resource.kind.as_str());
            urls.iter().any(|url| {
                // A URL built at run time may name any file (of its type, when that is written).
                let dynamic = url.contains('{') && (url.starts_with(&kind) || !url.contains("://"));
                *url == resource.url()
                    || dynamic
                    || (resource.kind.used_together() && url.starts_with(&kind))
            })
        };
        for resource in resources.iter().filter(|r| r.kind.named_by_policies()) {
            if named(resource) || included_by_another(resource, resources) {
                continue;
            }
            let message = format!(
                "`{}` is named by no policy of the bundle",
                resource.relative
            );
            let help = format!(
                "delete it, or name it where it is meant to run ({} in the policy's resource URL): \
                 a resource no policy names ships with every revision and runs nowhere, and one \
                 a policy was meant to use points at a reference that went wrong",
                resource.url()
            );
            out.push(Diagnostic::new(&Self::META, resource.span(), message).help(help));
        }
    }
}

/// Does another resource that may include files (a stylesheet, a schema, a specification) name
/// this one's file?
fn included_by_another(resource: &Resource, resources: &[Resource]) -> bool {
    let file_name = resource.name.rsplit('/').next().unwrap_or(&resource.name);
    resources
        .iter()
        .filter(|other| other.kind.may_include_others() && other.relative != resource.relative)
        .filter_map(|other| other.content().ok())
        .any(|text| contains(text, file_name.as_bytes()))
}

fn contains(text: &[u8], part: &[u8]) -> bool {
    !part.is_empty() && text.windows(part.len()).any(|w| w == part)
}

