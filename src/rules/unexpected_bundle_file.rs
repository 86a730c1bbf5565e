use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Platforms;
use crate::diagnostic::Diagnostic;
use crate::model::{is_hidden, unplaced_folder, BundleKind, Resource, ResourceKind};
use crate::source::Span;

declare_rule!(
    /// A resource outside the folders of the resource types that the profile's platform has, or
    /// a file the bundle layout has no place for.
    UnexpectedBundleFile,
    "unexpected-bundle-file",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [BN001],
);

impl Rule for UnexpectedBundleFile {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        let profile = structure::profile(cx);
        let said = if cx.profile.is_some() { "" } else { ", by default" };
        // Resources are sorted by path, so a folder's files are together: one finding a folder.
        let mut resources = bundle.model.resources.iter().peekable();
        while let Some(first) = resources.next() {
            let mut count = 1;
            // A file directly in `resources/` is a finding of its own.
            let grouped = first.kind != ResourceKind::Other(String::new());
            while grouped && resources.next_if(|r| r.kind == first.kind).is_some() {
                count += 1;
            }
            let (message, help) = match first.kind.platforms() {
                Some(platforms) if platforms.includes(profile) => continue,
                _ if first.kind == ResourceKind::Other(String::new()) => (
                    format!("`{}` lies directly in `resources/`, outside a type's folder", first.relative),
                    "move it into the folder of its type (jsc, oas, xsl, …), where a policy's \
                     resource URL finds it, or out of the bundle"
                        .to_owned(),
                ),
                Some(platforms) => (
                    format!(
                        "{} holds resources only {} has, and the profile is `{}`{said}",
                        folder(first, count),
                        platforms.describe(),
                        profile.as_str()
                    ),
                    format!(
                        "if the bundle deploys to {}, set `profile = \"{}\"` in oauthlint.toml; \
                         otherwise move the files out of the bundle",
                        platforms.describe(),
                        if platforms == Platforms::Edge { "edge" } else { "x" }
                    ),
                ),
                None => (
                    format!("{} is no resource type of Apigee", folder(first, count)),
                    "Apigee Edge tolerates such a folder but Apigee X refuses the bundle (a leftover \
                     `openapi` folder, apigee/apigeelint#245): move the files into the folder of \
                     their type (jsc, oas, xsl, …) or out of the bundle"
                        .to_owned(),
                ),
            };
            out.push(Diagnostic::new(&Self::META, first.span(), message).help(help));
        }
        if let Some(span) = without_shared_flow(bundle) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    span,
                    "this shared flow bundle has no shared flow: its `sharedflows/` folder holds \
                     no XML file",
                )
                .help(
                    "a FlowCallout runs a shared flow bundle's `sharedflows/default.xml`; without \
                     one, nothing of the bundle can run: add the shared flow, or remove the \
                     bundle",
                ),
            );
        }
        // Sorted by path, so the files of a folder the layout has no place for are together:
        // one finding a folder, one a file elsewhere.
        let mut unplaced = bundle.model.unplaced_files.iter().peekable();
        while let Some(first) = unplaced.next() {
            let folder = unplaced_folder(&first.relative);
            let mut count = 1;
            while folder.is_some()
                && unplaced.next_if(|f| unplaced_folder(&f.relative) == folder).is_some()
            {
                count += 1;
            }
            let message = match folder {
                Some(folder) => {
                    let files = if count == 1 { "1 file".to_owned() } else { format!("{count} files") };
                    format!("folder `{folder}/` ({files}) has no place in the bundle layout")
                }
                None => format!("`{}` has no place in the bundle layout", first.relative),
            };
            let what = if is_hidden(&first.relative) {
                "a hidden file or folder (a `.gitignore`, an editor's `.idea/`) is no part of \
                 the bundle, yet it is zipped and deployed with it"
            } else if folder.is_some() {
                "a build's output (a Maven `target/`) or a tool's folder is no part of the \
                 bundle, yet it is zipped and deployed with it"
            } else {
                "this file (a `.bak` copy, a tool's configuration) travels into the deployed \
                 bundle for nothing"
            };
            out.push(Diagnostic::new(&Self::META, first.span(), message).help(format!(
                "Apigee reads the descriptor, the XML files of `proxies/`, `targets/`, \
                 `policies/` and `sharedflows/`, and `resources/`; {what}: move it out of the \
                 bundle folder"
            )));
        }
    }
}

/// Where to point at a shared flow bundle with no shared flow (its descriptor, else its first
/// policy); `None` for an API proxy, a bundle with one, or one whose shared flow did not load.
fn without_shared_flow(bundle: BundleRef) -> Option<Span> {
    let failed = bundle.failed_files.iter().any(|f| f.starts_with("sharedflows/"));
    if bundle.kind != BundleKind::SharedFlow || !bundle.shared_flows.is_empty() || failed {
        return None;
    }
    let descriptor = bundle.descriptor.as_ref().map(|d| d.span);
    descriptor.or_else(|| bundle.policies.first().map(|p| p.name_span))
}

/// How a finding names the folder of `first`, which holds `count` files: `resources/openapi/`
/// (2 files).
fn folder(first: &Resource, count: usize) -> String {
    let files = if count == 1 { "1 file".to_owned() } else { format!("{count} files") };
    format!("`resources/{}/` ({files})", first.kind.as_str())
}

#[cfg(test)]
mod tests {
    use crate::catalog::Profile;
    use crate::model::tests::project;

    /// How many findings Node.js resources and a leftover `openapi` folder get, linted for
    /// `profile`.
    fn findings(profile: Option<Profile>) -> usize {
        let project = project(&[
            ("apiproxy/resources/node/a.js", "module.exports = {};"),
            ("apiproxy/resources/node/b.js", "module.exports = {};"),
            ("apiproxy/resources/openapi/association.json", "{}"),
        ]);
        crate::rules::findings_on_profile("unexpected-bundle-file", &project, profile)
    }

    /// One finding a folder; Node.js resources are Edge's, an unknown folder is no platform's.
    #[test]
    fn node_resources_are_silent_on_edge_and_unknown_folders_never() {
        assert_eq!(findings(None), 2);
        assert_eq!(findings(Some(Profile::Hybrid)), 2);
        assert_eq!(findings(Some(Profile::Edge)), 1);
    }
}
