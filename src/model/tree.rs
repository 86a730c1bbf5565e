//! The outline of every file whose text is well-formed XML: where each element is, what it is
//! named and its `name` attribute, in document order. It is taken from the element tree parsed at
//! load, which is dropped once the file is lowered into the model: a finding's fingerprint names
//! the elements around it from the outline, and the names themselves from the file's text.

use crate::parse::xml::{Element, Node};
use crate::source::{FileId, SourceDb, Span};

/// By file: the outline of its elements, if the file's text is well-formed XML.
#[derive(Default)]
pub struct Outlines {
    files: Vec<Option<Outline>>,
}

/// One file's elements in document order (the root first, each element before its children).
pub struct Outline {
    elements: Box<[Entry]>,
}

/// What an element's place and names take: a few offsets, and its `name` attribute's value
/// (entity references decoded, so not always the text between the quotes).
struct Entry {
    /// From `<` of the start tag to `>` of the end tag; the name starts after `<`.
    start: u32,
    end: u32,
    name_end: u32,
    /// The index of the first element after its descendants.
    after: u32,
    name_attribute: Option<Box<str>>,
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

impl Outline {
    pub fn of(root: &Element) -> Outline {
        let entry = |e: &Element| Entry {
            start: e.span.start,
            end: e.span.end,
            name_end: e.name_span.end,
            after: 0,
            name_attribute: e.attribute("name").map(|a| a.value.as_str().into()),
        };
        let mut elements = vec![entry(root)];
        // The elements being walked, by index, with the children left to visit.
        let mut open = vec![(0, root.children.iter())];
        while let Some((index, children)) = open.last_mut() {
            let next = children.find_map(|node| match node {
                Node::Element(e) => Some(e),
                _ => None,
            });
            match next {
                Some(child) => {
                    open.push((elements.len(), child.children.iter()));
                    elements.push(entry(child));
                }
                None => {
                    elements[*index].after = elements.len() as u32;
                    open.pop();
                }
            }
        }
        Outline {
            elements: elements.into_boxed_slice(),
        }
    }

    /// The indices of the children of the element at `index`, in order.
    fn children(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let after = self.elements[index].after as usize;
        let first = Some(index + 1).filter(|&i| i < after);
        std::iter::successors(first, move |&i| {
            Some(self.elements[i].after as usize).filter(|&next| next < after)
        })
    }
}

impl Outlines {
    pub(super) fn insert(&mut self, file: FileId, outline: Outline) {
        let at = file.0 as usize;
        if self.files.len() <= at {
            self.files.resize_with(at + 1, || None);
        }
        self.files[at] = Some(outline);
    }

    /// The elements holding `span`, from the root down to the innermost (the first child that
    /// holds it, at each level), named from the file's text in `sources`; empty when the file has
    /// no outline.
    pub fn ancestors<'a>(&'a self, sources: &'a SourceDb, span: Span) -> Vec<Ancestor<'a>> {
        let Some(Some(outline)) = self.files.get(span.file.0 as usize) else {
            return Vec::new();
        };
        let text = sources.get(span.file).text.as_str();
        let name = |i: usize| {
            let e = &outline.elements[i];
            &text[e.start as usize + 1..e.name_end as usize]
        };
        let mut path = Vec::new();
        let mut current = Some(0);
        let mut position = 1;
        while let Some(index) = current {
            path.push(Ancestor {
                name: name(index),
                name_attribute: outline.elements[index].name_attribute.as_deref(),
                position,
            });
            current = None;
            for child in outline.children(index) {
                let e = &outline.elements[child];
                if e.start <= span.start && span.end <= e.end {
                    let before = outline.children(index).take_while(|&b| b != child);
                    position = 1 + before.filter(|&b| name(b) == name(child)).count();
                    current = Some(child);
                    break;
                }
            }
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;

    const PROXY: &str = "<ProxyEndpoint name=\"default\"><PreFlow><Request><Step><Name>A</Name></Step><Step><Name>B</Name></Step></Request></PreFlow><HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection></ProxyEndpoint>";

    #[test]
    fn spans_give_the_elements_around_them() {
        let project = project(&[("apiproxy/proxies/default.xml", PROXY)]);
        let endpoint = &project.bundles[0].proxy_endpoints[0];
        let second = &endpoint.flows.pre_flow.as_ref().unwrap().request[1];
        let path = |span| -> Vec<(&str, Option<&str>, usize)> {
            let ancestors = project.outlines.ancestors(&project.sources, span);
            ancestors
                .iter()
                .map(|a| (a.name, a.name_attribute, a.position))
                .collect()
        };
        assert_eq!(
            path(second.name_span),
            [
                ("ProxyEndpoint", Some("default"), 1),
                ("PreFlow", None, 1),
                ("Request", None, 1),
                ("Step", None, 2),
                ("Name", None, 1)
            ]
        );
        assert_eq!(path(second.extent).last(), Some(&("Step", None, 2)));
        assert_eq!(
            path(endpoint.extent),
            [("ProxyEndpoint", Some("default"), 1)]
        );
    }

    #[test]
    fn an_undecodable_file_keeps_its_outline_but_not_its_model() {
        let project = project(&[(
            "apiproxy/policies/P.xml",
            "<AssignMessage name=\"P\">\u{1}</AssignMessage>",
        )]);
        assert!(project.bundles[0].policies.is_empty());
        assert_eq!(project.problems.len(), 1);
        let at = project.problems[0].span;
        let path = project.outlines.ancestors(&project.sources, at);
        assert_eq!(path[0].name, "AssignMessage");
    }
}
