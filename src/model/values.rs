//! Values as written in a file, each with its span: text, booleans and `<Properties>`.

use super::build::exactly;
use crate::parse::xml::Element;
use crate::source::Span;

/// A text value with the span it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valued {
    pub value: String,
    pub span: Span,
}

impl Valued {
    pub fn text_of(element: &Element) -> Option<Valued> {
        element.text().map(|t| Valued {
            value: t.value,
            span: t.span,
        })
    }

    pub fn child_text(element: &Element, name: &str) -> Option<Valued> {
        element.child(name).and_then(Valued::text_of)
    }

    /// The text of `element`'s first `<name>` child, present even when that child is empty
    /// (then empty, at the child's tag).
    pub fn present(element: &Element, name: &str) -> Option<Valued> {
        let child = element.child(name)?;
        Some(Valued::text_of(child).unwrap_or_else(|| Valued {
            value: String::new(),
            span: child.head(),
        }))
    }

    pub fn attribute(element: &Element, name: &str) -> Option<Valued> {
        element.attribute(name).map(|a| Valued {
            value: a.value.clone(),
            span: a.value_span,
        })
    }

    /// The texts of `element`'s `<item>` children that hold text, in order.
    pub fn each(element: &Element, item: &str) -> Vec<Valued> {
        exactly(element.children_named(item).filter_map(Valued::text_of))
    }

    /// The texts of the `<item>`s of `element`'s `<list>` child (`<Protocols><Protocol>…`).
    pub fn listed(element: &Element, list: &str, item: &str) -> Vec<Valued> {
        element
            .child(list)
            .map(|l| Valued::each(l, item))
            .unwrap_or_default()
    }

    /// Whether the value is a `{variable}` reference (or a `{{ placeholder }}` filled in at
    /// deploy time): what it names is known only later.
    pub fn is_dynamic(&self) -> bool {
        self.value.contains('{')
    }
}

/// The trimmed `{name}`s of a text that holds references (a pattern, a message template), in
/// order.
pub fn braced_names(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let (_, after) = rest.split_once('{')?;
        let (name, tail) = after.split_once('}')?;
        rest = tail;
        Some(name.trim())
    })
}

/// A boolean as written. Apigee's schemas type these `xs:boolean`, whose only spellings are
/// `true`, `false`, `1` and `0`, blanks around them allowed and case not (`True` is refused);
/// the text is kept so that a rule can point at a value that is no boolean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The text; empty, at the element's tag, when the element is empty.
    pub raw: Valued,
    /// `None` when the text is not one of the four spellings.
    pub value: Option<bool>,
}

impl Flag {
    pub fn of(raw: Valued) -> Flag {
        let value = match raw.value.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        };
        Flag { raw, value }
    }

    /// The flag of `element`'s first `<name>` child, present even when that child is empty.
    pub fn child(element: &Element, name: &str) -> Option<Flag> {
        Valued::present(element, name).map(Flag::of)
    }

    pub fn attribute(element: &Element, name: &str) -> Option<Flag> {
        Valued::attribute(element, name).map(Flag::of)
    }

    /// True only for a value Apigee reads as true.
    pub fn is_true(&self) -> bool {
        self.value == Some(true)
    }
}

/// A value of an enumeration as written: the member it names, if it names one, and the text,
/// kept so that a rule can point at it or say what a value that is no member was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enumerated<T> {
    pub raw: Valued,
    pub value: Option<T>,
}

impl<T> Enumerated<T> {
    /// `raw`, read by `member` (which gives `None` for a text that names no member).
    pub fn of(raw: Valued, member: impl FnOnce(&str) -> Option<T>) -> Enumerated<T> {
        Enumerated {
            value: member(&raw.value),
            raw,
        }
    }
}

/// `<Properties>`: `<Property name="…">value</Property>`, in document order.
#[derive(Clone, Debug)]
pub struct Properties {
    pub properties: Vec<NamedValue>,
    /// The `<Properties>` tag.
    pub span: Span,
}

/// An element that names what its text is the value of: `<Property name="…">value</Property>`,
/// `<Header name="…">value</Header>`.
#[derive(Clone, Debug)]
pub struct NamedValue {
    pub name: Option<Valued>,
    pub value: Option<Valued>,
    /// The element's tag.
    pub span: Span,
}

impl NamedValue {
    /// `element`'s `<item>` children.
    pub fn each(element: &Element, item: &str) -> Vec<NamedValue> {
        exactly(element.children_named(item).map(|e| NamedValue {
            name: Valued::attribute(e, "name"),
            value: Valued::text_of(e),
            span: e.head(),
        }))
    }
}

impl Properties {
    /// `element`'s `<Properties>` child, if it has one.
    pub fn of(element: &Element) -> Option<Properties> {
        element.child("Properties").map(|p| Properties {
            properties: NamedValue::each(p, "Property"),
            span: p.head(),
        })
    }

    /// The first property of that name.
    pub fn get(&self, name: &str) -> Option<&NamedValue> {
        self.properties
            .iter()
            .find(|p| p.name.as_ref().is_some_and(|n| n.value == name))
    }
}
