//! ExtractVariables: the variables it sets (X docs, extract-variables-policy): the `{name}`s of
//! the `<Pattern>`s of its URIPath, QueryParam, Header, FormParam and Variable sources, and the
//! `<Variable name="…">`s of its `<JSONPayload>` and `<XMLPayload>`, each after
//! `<VariablePrefix>` and a dot when it has one; and what of its message's body it reads.

use crate::model::{braced_names, Flag, Valued};
use crate::parse::xml::Element;
use crate::source::Span;

/// A part of a message's body an ExtractVariables reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyPart {
    JsonPayload,
    XmlPayload,
    FormParam,
}

impl BodyPart {
    /// The element that reads it, as written in the policy.
    pub fn element(self) -> &'static str {
        match self {
            BodyPart::JsonPayload => "JSONPayload",
            BodyPart::XmlPayload => "XMLPayload",
            BodyPart::FormParam => "FormParam",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ExtractVariablesView {
    pub prefix: Option<Valued>,
    /// The full names it sets, prefix included, in document order.
    pub sets: Vec<String>,
    /// Of those, the ones set from a request header: the header's name, then the full name.
    pub from_headers: Vec<(String, String)>,
    /// `<Source>`: the message (or variable) it reads; absent, the flow's `message`.
    pub source: Option<Valued>,
    /// `<IgnoreUnresolvedVariables>`; absent, false.
    pub ignore_unresolved: Option<Flag>,
    /// The parts of the body it reads, each at its first element's tag.
    pub body_reads: Vec<(BodyPart, Span)>,
    /// The `<JSONPath>` of each `<Variable>` of its `<JSONPayload>`s, empty ones included.
    pub json_paths: Vec<Valued>,
}

impl ExtractVariablesView {
    pub fn of(root: &Element) -> ExtractVariablesView {
        let prefix = Valued::child_text(root, "VariablePrefix");
        let patterns = root
            .elements()
            .flat_map(|source| Valued::each(source, "Pattern"));
        let mut names: Vec<String> = patterns
            .flat_map(|p| {
                braced_names(&p.value)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let payloads = root
            .children_named("JSONPayload")
            .chain(root.children_named("XMLPayload"));
        let json_paths = root
            .children_named("JSONPayload")
            .flat_map(|payload| payload.children_named("Variable"))
            .filter_map(|variable| Valued::present(variable, "JSONPath"))
            .collect();
        for payload in payloads {
            let variables = payload.children_named("Variable");
            names.extend(variables.filter_map(|v| Some(v.attribute("name")?.value.clone())));
        }
        let full = |name: &str| match &prefix {
            Some(prefix) => format!("{}.{name}", prefix.value),
            None => name.to_owned(),
        };
        let from_headers = root
            .children_named("Header")
            .filter_map(|h| Some((h.attribute("name")?.value.clone(), h)))
            .flat_map(|(header, h)| {
                Valued::each(h, "Pattern")
                    .iter()
                    .flat_map(|p| braced_names(&p.value).map(&full).collect::<Vec<_>>())
                    .map(|name| (header.clone(), name))
                    .collect::<Vec<_>>()
            })
            .collect();
        let sets = names.iter().map(|name| full(name)).collect();
        let body_reads = [
            BodyPart::JsonPayload,
            BodyPart::XmlPayload,
            BodyPart::FormParam,
        ]
        .into_iter()
        .filter_map(|part| Some((part, root.child(part.element())?.head())))
        .collect();
        ExtractVariablesView {
            prefix,
            sets,
            from_headers,
            source: Valued::child_text(root, "Source"),
            ignore_unresolved: Flag::child(root, "IgnoreUnresolvedVariables"),
            body_reads,
            json_paths,
        }
    }
}
