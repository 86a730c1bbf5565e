//! The element tree of every file whose text is well-formed XML, parsed once at load and kept, so
//! that what needs elements (a finding's fingerprint, the element of a model node) asks the
//! model instead of parsing the file again.

use crate::parse::xml::Element;
use crate::source::{FileId, Span};
use std::sync::Arc;

/// By file: its root element, if the file's text is well-formed XML.
#[derive(Default)]
pub struct Trees {
    roots: Vec<Option<Arc<Element>>>,
}

/// One element on the way from the root to a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ancestor<'a> {
    pub name: &'a str,
    /// Its `name` attribute.
    pub name_attribute: Option<&'a str>,
    /// 1-based, among the elements of the same name before it in its parent (the root's is 1).
    pub position: usize,
}

impl Trees {
    pub(super) fn insert(&mut self, file: FileId, root: Arc<Element>) {
        let at = file.0 as usize;
        if self.roots.len() <= at {
            self.roots.resize(at + 1, None);
        }
        self.roots[at] = Some(root);
    }

    pub fn root(&self, file: FileId) -> Option<&Element> {
        self.roots.get(file.0 as usize)?.as_deref()
    }

    /// The elements holding `span`, from the root down to the innermost (the first child that
    /// holds it, at each level); empty when the file has no tree.
    pub fn ancestors(&self, span: Span) -> Vec<Ancestor<'_>> {
        let mut path = Vec::new();
        let mut current = self.root(span.file);
        let mut position = 1;
        while let Some(element) = current {
            path.push(Ancestor {
                name: &element.name,
                name_attribute: element.attribute("name").map(|a| a.value.as_str()),
                position,
            });
            current = None;
            for (i, child) in element.elements().enumerate() {
                if child.span.start <= span.start && span.end <= child.span.end {
                    let before = element.elements().take(i);
                    position = 1 + before.filter(|e| e.name == child.name).count();
                    current = Some(child);
                    break;
                }
            }
        }
        path
    }

    /// The element whose whole extent is `extent` (a model node's `extent`).
    pub fn element(&self, extent: Span) -> Option<&Element> {
        let mut current = self.root(extent.file)?;
        while current.span != extent {
            current = current
                .elements()
                .find(|c| c.span.start <= extent.start && extent.end <= c.span.end)?;
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;

    const PROXY: &str = "<ProxyEndpoint name=\"default\"><PreFlow><Request><Step><Name>A</Name></Step><Step><Name>B</Name></Step></Request></PreFlow><HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection></ProxyEndpoint>";

    #[test]
    fn model_nodes_give_their_elements_and_ancestors() {
        let project = project(&[("apiproxy/proxies/default.xml", PROXY)]);
        let endpoint = &project.bundles[0].proxy_endpoints[0];
        let second = &endpoint.flows.pre_flow.as_ref().unwrap().request[1];
        let element = project.element(second.extent).unwrap();
        assert_eq!(element.name, "Step");
        assert_eq!(element.child("Name").unwrap().text().unwrap().value, "B");
        assert_eq!(
            project.element(endpoint.extent).unwrap().name,
            "ProxyEndpoint"
        );
        assert!(
            project.element(second.name_span).is_none(),
            "not an element's extent"
        );
        let path: Vec<(&str, Option<&str>, usize)> = project
            .trees
            .ancestors(second.name_span)
            .iter()
            .map(|a| (a.name, a.name_attribute, a.position))
            .collect();
        assert_eq!(
            path,
            [
                ("ProxyEndpoint", Some("default"), 1),
                ("PreFlow", None, 1),
                ("Request", None, 1),
                ("Step", None, 2),
                ("Name", None, 1)
            ]
        );
    }

    #[test]
    fn an_undecodable_file_keeps_its_tree_but_not_its_model() {
        let project = project(&[(
            "apiproxy/policies/P.xml",
            "<AssignMessage name=\"P\">\u{1}</AssignMessage>",
        )]);
        assert!(project.bundles[0].policies.is_empty());
        assert_eq!(project.problems.len(), 1);
        let root = project.trees.root(project.problems[0].span.file).unwrap();
        assert_eq!(root.name, "AssignMessage");
    }
}
