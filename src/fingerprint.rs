//! A finding's identity that survives line shifts, for baselines and for SARIF and GitLab
//! fingerprints: the rule, the file, the path of elements from the root to the innermost element
//! holding the finding (named by their `name` attribute, or numbered among same-named siblings),
//! and the text the finding points at. Editing other parts of the file, or moving the element,
//! leaves it unchanged; renaming the policy or the flow changes it.

use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::parse::xml::{self, Element, Node};
use crate::source::{FileId, SourceDb, Span};
use std::collections::HashMap;

/// Re-parses each file at most once (only files with findings are asked about).
#[derive(Default)]
pub struct Fingerprints {
    roots: HashMap<FileId, Option<Element>>,
}

impl Fingerprints {
    /// `ProxyEndpoint[default]/Flows/Flow[token]/Request/Step#2/Name` for the innermost element
    /// around the span; empty when the file has no element tree (unreadable, malformed).
    pub fn element_path(&mut self, project: &Project, span: Span) -> String {
        self.element_path_in(&project.sources, span)
    }

    fn element_path_in(&mut self, sources: &SourceDb, span: Span) -> String {
        let root = self.roots.entry(span.file).or_insert_with(|| {
            xml::parse(span.file, &sources.get(span.file).text)
                .ok()
                .map(|d| d.root)
        });
        let Some(root) = root.as_ref() else {
            return String::new();
        };
        let mut path = vec![segment(root, None)];
        let mut current: &Element = root;
        'descend: loop {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for node in &current.children {
                let Node::Element(child) = node else {
                    continue;
                };
                let n = seen.entry(child.name.as_str()).or_insert(0);
                *n += 1;
                if child.span.start <= span.start && span.end <= child.span.end {
                    path.push(segment(child, Some(*n)));
                    current = child;
                    continue 'descend;
                }
            }
            break;
        }
        path.join("/")
    }

    /// The fingerprint of a finding: a 64-bit FNV-1a hash, in hex, of its stable identity.
    pub fn of(&mut self, project: &Project, diagnostic: &Diagnostic) -> String {
        self.of_in(&project.sources, diagnostic)
    }

    /// [`Fingerprints::of`] for the report formats, which see the sources but not the project.
    pub fn of_in(&mut self, sources: &SourceDb, diagnostic: &Diagnostic) -> String {
        let path = sources.path(diagnostic.primary.span.file);
        self.of_at(sources, diagnostic, path)
    }

    /// [`Fingerprints::of`] with the file named `path`: a baseline names files from its own
    /// folder, so that the folder oauthlint runs in does not change them.
    pub fn of_at(&mut self, sources: &SourceDb, diagnostic: &Diagnostic, path: &str) -> String {
        let span = diagnostic.primary.span;
        let identity = [
            diagnostic.rule,
            path,
            &self.element_path_in(sources, span),
            sources.text(span),
        ]
        .join("\u{1f}");
        format!("{:016x}", fnv1a(identity.as_bytes()))
    }
}

fn segment(element: &Element, index: Option<usize>) -> String {
    match (element.attribute("name"), index) {
        (Some(name), _) => format!("{}[{}]", element.name, name.value),
        (None, Some(n)) if n > 1 => format!("{}#{n}", element.name),
        _ => element.name.clone(),
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
            .map(|d| Fingerprints::default().element_path(&project, d.primary.span))
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
        let mut fp = Fingerprints::default();
        let (project, d) = first_finding(PROXY);
        let original = fp.of(&project, &d);
        let mut fp = Fingerprints::default();
        let (shifted, d2) = first_finding(&PROXY.replace(
            "<PreFlow>",
            "\n\n  <Description>moved</Description>\n  <PreFlow>",
        ));
        assert_eq!(fp.of(&shifted, &d2), original);
        let mut fp = Fingerprints::default();
        let (renamed, d3) = first_finding(&PROXY.replace("<Name>A<", "<Name>B<"));
        assert_ne!(fp.of(&renamed, &d3), original);
    }
}
