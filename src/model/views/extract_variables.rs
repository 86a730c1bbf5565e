//! ExtractVariables: the variables it sets (X docs, extract-variables-policy): the `{name}`s of
//! the `<Pattern>`s of its URIPath, QueryParam, Header, FormParam and Variable sources, and the
//! `<Variable name="…">`s of its `<JSONPayload>` and `<XMLPayload><Variables>`, each after
//! `<VariablePrefix>` and a dot when it has one.

use crate::model::{braced_names, Valued};
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct ExtractVariablesView {
    pub prefix: Option<Valued>,
    /// The full names it sets, prefix included, in document order.
    pub sets: Vec<String>,
    /// Of those, the ones set from a request header: the header's name, then the full name.
    pub from_headers: Vec<(String, String)>,
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
        let payloads = root.children_named("JSONPayload").chain(
            root.children_named("XMLPayload")
                .flat_map(|x| x.children_named("Variables")),
        );
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
        ExtractVariablesView {
            prefix,
            sets,
            from_headers,
        }
    }
}
