//! A finding's identity that survives line shifts, for baselines and for SARIF and GitLab
//! fingerprints: the rule, the file, the path of elements from the root to the innermost element
//! holding the finding (named by their `name` attribute, or numbered among same-named siblings),
//! and the text the finding points at. Editing other parts of the file, or moving the element,
//! leaves it unchanged; renaming the policy or the flow changes it.

use crate::diagnostic::Diagnostic;
use crate::model::{Ancestor, Outlines, Project};
use crate::source::{SourceDb, Span};

/// Fingerprints of findings in the sources and outlines of one run.
#[derive(Clone, Copy)]
pub struct Fingerprints<'a> {
    sources: &'a SourceDb,
    outlines: &'a Outlines,
}

impl<'a> Fingerprints<'a> {
    /// For the report formats, which see the sources and outlines but not the project.
    pub fn new(sources: &'a SourceDb, outlines: &'a Outlines) -> Fingerprints<'a> {
        Fingerprints { sources, outlines }
    }

    pub fn of_project(project: &'a Project) -> Fingerprints<'a> {
        Fingerprints::new(&project.sources, &project.outlines)
    }

    /// `ProxyEndpoint[default]/Flows/Flow[token]/Request/Step#2/Name` for the innermost element
    /// around the span; empty when the file has no outline (unreadable, malformed).
    pub fn element_path(&self, span: Span) -> String {
        let ancestors = self.outlines.ancestors(self.sources, span);
        let path: Vec<String> = ancestors.iter().map(segment).collect();
        path.join("/")
    }

    /// The fingerprint of a finding: a 64-bit FNV-1a hash, in hex, of its stable identity.
    pub fn of(&self, diagnostic: &Diagnostic) -> String {
        self.of_at(diagnostic, self.sources.path(diagnostic.primary.span.file))
    }

    /// [`Fingerprints::of`] with the file named `path`: a baseline names files from its own
    /// folder, so that the folder oauthlint runs in does not change them.
    pub fn of_at(&self, diagnostic: &Diagnostic, path: &str) -> String {
        let span = diagnostic.primary.span;
        let identity = [
            diagnostic.rule,
            path,
            &self.element_path(span),
            self.sources.text(span),
        ]
        .join("\u{1f}");
        format!("{:016x}", fnv1a(identity.as_bytes()))
    }
}

fn segment(element: &Ancestor) -> String {
    match element.name_attribute {
        Some(name) => format!("{}[{name}]", element.name),
        None if element.position > 1 => format!("{}#{}", element.name, element.position),
        None => element.name.to_owned(),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::load::load_memory;

    fn lint(project: &Project) -> Vec<Diagnostic> {
        crate::lint(project, &crate::settings::Settings::default()).diagnostics
    }

    fn first_finding(text: &str) -> (Project, Diagnostic) {
        let project = load_memory(vec![(
            "p/apiproxy/proxies/default.xml".into(),
            Ok(text.as_bytes().to_vec()),
        )]);
        let diagnostic = lint(&project).into_iter().next().expect("a finding");
        (project, diagnostic)
    }

    const PROXY: &str = "<ProxyEndpoint name=\"default\">\n  <PreFlow>\n    <Request>\n      <Step><Name>A</Name></Step>\n      <Step><Name>Missing</Name></Step>\n    </Request>\n  </PreFlow>\n  <RouteRule name=\"r\"/>\n</ProxyEndpoint>\n";

    #[test]
    fn element_paths_name_and_number_elements() {
        let project = load_memory(vec![(
            "p/apiproxy/proxies/default.xml".into(),
            Ok(PROXY.as_bytes().to_vec()),
        )]);
        let paths: Vec<String> = lint(&project)
            .iter()
            .map(|d| Fingerprints::of_project(&project).element_path(d.primary.span))
            .collect();
        // Both steps name missing policies: the first Step, then the second.
        assert_eq!(
            paths,
            [
                "ProxyEndpoint[default]/PreFlow/Request/Step/Name",
                "ProxyEndpoint[default]/PreFlow/Request/Step#2/Name"
            ]
        );
    }

    #[test]
    fn fingerprints_survive_line_shifts_but_not_renames() {
        let of = |(project, d): (Project, Diagnostic)| Fingerprints::of_project(&project).of(&d);
        let original = of(first_finding(PROXY));
        let shifted = PROXY.replace(
            "<PreFlow>",
            "\n\n  <Description>moved</Description>\n  <PreFlow>",
        );
        assert_eq!(of(first_finding(&shifted)), original);
        let renamed = PROXY.replace("<Name>A<", "<Name>B<");
        assert_ne!(of(first_finding(&renamed)), original);
    }
}
