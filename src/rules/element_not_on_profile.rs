use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::{Platforms, Problem};
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A policy kind, element or attribute that exists only on another Apigee platform than the profile.
    ElementNotOnProfile,
    "element-not-on-profile",
    Structure,
    Warning,
    preview = true,
    apigeelint = [DC001, DC002, EP002, FE001, PD005, PO028, PO038],
);

impl Rule for ElementNotOnProfile {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        let profile = structure::profile(cx);
        let said = if cx.profile.is_some() { "" } else { ", by default" };
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::NotOnProfile { name, platforms } = problem else {
                return None;
            };
            let is_element = at.path == *name || at.path.ends_with(&format!("/{name}"));
            let what = if is_element {
                format!("`<{name}>`")
            } else {
                format!("attribute `{name}` of `{}`", at.path)
            };
            let message = format!(
                "{what} exists only on {}, and the profile is `{}`{said}",
                platforms.describe(),
                profile.as_str()
            );
            let (there, here) = match platforms {
                Platforms::Edge => ("edge", "Apigee X and hybrid offer"),
                _ => ("x", "Apigee Edge offers"),
            };
            let help = format!(
                "if the bundle deploys to {}, set `profile = \"{there}\"` in oauthlint.toml; otherwise use what {here} instead",
                platforms.describe()
            );
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::model::tests::project;
    use crate::catalog::Profile;

    /// How many findings `element-not-on-profile` gives on an Edge bundle linted for `profile`.
    fn findings(profile: Option<Profile>) -> usize {
        let project = project(&[
            ("apiproxy/p.xml", "<APIProxy name=\"p\"/>"),
            (
                "apiproxy/policies/OA1.xml",
                "<OAuthV1 name=\"OA1\"><Operation>GenerateRequestToken</Operation></OAuthV1>",
            ),
            (
                "apiproxy/targets/default.xml",
                "<TargetEndpoint name=\"default\"><ScriptTarget><ResourceURL>node://a.js</ResourceURL></ScriptTarget></TargetEndpoint>",
            ),
        ]);
        crate::rules::findings_on_profile("element-not-on-profile", &project, profile)
    }

    #[test]
    fn edge_kinds_and_elements_are_silent_on_the_edge_profile() {
        assert_eq!(findings(None), 2, "X by default");
        assert_eq!(findings(Some(Profile::X)), 2);
        assert_eq!(findings(Some(Profile::Hybrid)), 2);
        assert_eq!(findings(Some(Profile::Edge)), 0);
    }
}
