use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, ProxyEndpoint, TargetEndpoint};
use crate::source::Span;

declare_rule!(
    /// A policy, ProxyEndpoint or TargetEndpoint whose `name` attribute is not its file's name.
    NameDiffersFromFile,
    "name-differs-from-file",
    Bundle,
    Error,
    preview = true,
    apigeelint = [PD004, PO006, TD003],
);

impl Rule for NameDiffersFromFile {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let refers = "Steps name a policy by this attribute";
        out.extend(differs(cx, "policy", &policy.name, policy.name_span, refers));
    }

    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let refers = "a chained proxy's LocalTargetConnection names an endpoint by this attribute";
        out.extend(differs(cx, "ProxyEndpoint", &endpoint.name, endpoint.name_span, refers));
    }

    fn check_target_endpoint(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let refers = "RouteRules name a TargetEndpoint by this attribute";
        out.extend(differs(cx, "TargetEndpoint", &endpoint.name, endpoint.name_span, refers));
    }
}

/// The finding for a `what` named `name` (at `at`) in a file of another name, on a platform
/// that refuses it; `refers` says what uses the name, so that renaming the file is safe.
fn differs(cx: &Context, what: &str, name: &str, at: Span, refers: &str) -> Option<Diagnostic> {
    // Apigee Edge imports such files (deployed bundles show it); X and hybrid refuse them.
    // A missing name is `missing-required-element`'s.
    if cx.profile == Some(Profile::Edge) || name.is_empty() {
        return None;
    }
    let file = cx.project.sources.file_name(at.file);
    if file.strip_suffix(".xml") == Some(name) {
        return None;
    }
    let message = format!("the {what} is named `{name}`, but its file is `{file}`");
    let help = format!(
        "rename the file to `{name}.xml`: Apigee X and hybrid refuse a {what} file not named \
         after it; {refers}, so the rename changes nothing else"
    );
    Some(
        Diagnostic::new(&NameDiffersFromFile::META, at, message)
            .primary_label("not the file's name")
            .help(help),
    )
}

#[cfg(test)]
mod tests {
    use crate::catalog::Profile;
    use crate::model::tests::project;

    /// How many findings a policy in a file of another name gets, linted for `profile`.
    fn findings(profile: Option<Profile>) -> usize {
        let project = project(&[(
            "apiproxy/policies/VerifyApiKey.xml",
            "<VerifyAPIKey name=\"VerifyAPIKey\"/>",
        )]);
        crate::rules::findings_on_profile("name-differs-from-file", &project, profile)
    }

    /// Edge imports such files; X, hybrid, and X by default, refuse them.
    #[test]
    fn silent_on_edge_only() {
        assert_eq!(findings(Some(Profile::Edge)), 0);
        assert_eq!(findings(Some(Profile::Hybrid)), 1);
        assert_eq!(findings(Some(Profile::X)), 1);
        assert_eq!(findings(None), 1);
    }
}
