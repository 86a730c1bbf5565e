//! A policy's configuration as one number: what two policies configured alike share, whatever
//! their names, so that duplicates are found by hashing once rather than by comparing pairs.

use crate::parse::xml::{Element, Node};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The digest of a policy's root element in a canonical form: the element names, attributes
/// (sorted, the root's `name` left out), trimmed non-blank text and child elements in order,
/// with the root's `<DisplayName>`, comments and source positions left out.
pub(super) fn configuration(root: &Element) -> u64 {
    let mut hasher = DefaultHasher::new();
    element(root, true, &mut hasher);
    hasher.finish()
}

fn element(e: &Element, root: bool, hasher: &mut DefaultHasher) {
    e.name.hash(hasher);
    let mut attributes: Vec<(&str, &str)> = e
        .attributes
        .iter()
        .filter(|a| !(root && a.name == "name"))
        .map(|a| (a.name.as_str(), a.value.as_str()))
        .collect();
    attributes.sort_unstable();
    attributes.hash(hasher);
    for node in &e.children {
        match node {
            Node::Element(child) if root && child.name == "DisplayName" => {}
            Node::Element(child) => {
                0u8.hash(hasher);
                element(child, false, hasher);
            }
            Node::Text(text) if !text.value.trim().is_empty() => {
                1u8.hash(hasher);
                text.value.trim().hash(hasher);
            }
            Node::Text(_) | Node::Comment(_) => {}
        }
    }
    // Closes the element, so that a child's siblings are not read as its own children.
    2u8.hash(hasher);
}
