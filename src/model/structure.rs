//! What the catalog finds wrong with a file's structure, checked once when the model is built and
//! kept on the file's node (policy, endpoint, shared flow), so that rules read it as data.

use crate::catalog::{validate, Problem, StructureProblem};
use crate::parse::xml::{Element, Node};
use crate::source::Span;
use regex::Regex;
use std::sync::LazyLock;

/// A file's structure as the catalog judges it.
#[derive(Clone, Debug, Default)]
pub struct Structure {
    /// The first build-template mark in the file's text or attribute values (`{{ … }}`,
    /// `{% … %}`, `[% … %]`, `@NAME@`): such a file is an input of a build, not deployable as
    /// written, so `problems` keeps only what no template can change, the names of its elements
    /// and attributes.
    pub template: Option<Span>,
    /// A template mark stands among elements, not in a value (`[% include … %]` in `<Flows>`):
    /// the build may add elements (Steps, Flows) that the model does not have.
    pub template_adds_elements: bool,
    /// Each problem with the platforms on which it is one. In an endpoint or shared flow, what is
    /// wrong inside a `<Step>` is its [`super::Step::problems`] instead.
    pub problems: Vec<StructureProblem>,
}

impl Structure {
    /// Checks the root element of a file; `steps_apart` for the files whose Steps are model
    /// Steps (endpoints and shared flows).
    pub(super) fn of(root: &Element, steps_apart: bool) -> Structure {
        let template = template(root);
        let mut problems = validate(root);
        if steps_apart {
            problems.retain(|p| !inside_step(p));
        }
        let template_adds_elements = template.is_some() && adds_elements(root);
        if template.is_some() {
            // A placeholder (`{{ HOST }}`, even one standing among elements) only adds: an
            // element written twice stays twice. A block (`{% if %}`) may keep one of the two.
            let blocks = template_adds_elements && has_blocks(root);
            problems.retain(|p| {
                names_only(&p.problem) || (!blocks && matches!(p.problem, Problem::Repeated { .. }))
            });
        }
        Structure {
            template,
            template_adds_elements,
            problems,
        }
    }
}

/// Whether the problem is one of a name, which a template does not write: text, values, and how
/// many of an element there are (a `{% if %}` among elements may keep one of two) are what a
/// build changes.
fn names_only(problem: &Problem) -> bool {
    matches!(
        problem,
        Problem::UnknownKind { .. }
            | Problem::UnknownElement { .. }
            | Problem::UnknownAttribute { .. }
            | Problem::NotOnProfile { .. }
    )
}

/// Whether the problem is about what a `<Step>` holds: its children, their number, its text.
fn inside_step(problem: &StructureProblem) -> bool {
    let path = problem.path.as_str();
    match problem.problem {
        Problem::Repeated { .. } => {
            path.ends_with("/Step/Name") || path.ends_with("/Step/Condition")
        }
        Problem::UnknownElement { .. }
        | Problem::UnexpectedText
        | Problem::MissingElement { .. } => path.ends_with("/Step"),
        _ => false,
    }
}

/// The marks of the build templates met in bundle repositories: Jinja (`{{ }}`, `{% %}`),
/// Template Toolkit (`[% %]`) and `@NAME@` placeholders replaced by a script. Apigee's own
/// message templates (`{name}`, one brace) are not among them.
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\[%.*?%\]|@[A-Za-z_][A-Za-z0-9_]*@")
        .expect("the template pattern is valid")
});

/// Does a template mark stand in the text of an element that also has child elements?
fn adds_elements(element: &Element) -> bool {
    text_among_elements(element, &|text| TEMPLATE.is_match(text))
}

/// Whether a text among elements holds a template block (`{% … %}`, `[% … %]`), which may leave
/// out the elements it encloses.
fn has_blocks(element: &Element) -> bool {
    text_among_elements(element, &|text| text.contains("{%") || text.contains("[%"))
}

/// Does `matches` hold for some text of an element, here or below, that also has child elements?
fn text_among_elements(element: &Element, matches: &dyn Fn(&str) -> bool) -> bool {
    let mixed = element
        .children
        .iter()
        .any(|n| matches!(n, Node::Element(_)));
    element.children.iter().any(|node| match node {
        Node::Element(child) => text_among_elements(child, matches),
        Node::Text(text) => mixed && matches(&text.value),
        Node::Comment(_) => false,
    })
}

/// Where the element's text or attribute values first hold a template mark.
fn template(element: &Element) -> Option<Span> {
    // Every mark starts with one of these; most values hold none, and a byte scan is cheap.
    let may_hold = |value: &str| value.bytes().any(|b| matches!(b, b'{' | b'[' | b'@'));
    for attribute in &element.attributes {
        if may_hold(&attribute.value) && TEMPLATE.is_match(&attribute.value) {
            return Some(attribute.value_span);
        }
    }
    element.children.iter().find_map(|node| match node {
        Node::Element(child) => template(child),
        Node::Text(text) if may_hold(&text.value) => TEMPLATE
            .find(&text.value)
            .map(|mark| text.map.span(text.span.file, mark.range())),
        Node::Text(_) => None,
        Node::Comment(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::xml::parse;
    use crate::source::FileId;

    fn structure(xml: &str) -> (Structure, Option<String>) {
        let root = parse(FileId(0), xml).unwrap().root;
        let structure = Structure::of(&root, true);
        let mark = structure.template.map(|s| xml[s.range()].to_owned());
        (structure, mark)
    }

    #[test]
    fn build_templates_are_found_and_only_names_are_checked() {
        let (named, mark) = structure("<AssignMessage name=\"a\"><Bogus/>{{ X }}</AssignMessage>");
        assert_eq!(mark.as_deref(), Some("{{ X }}"));
        assert!(named.template_adds_elements);
        let (value, _) =
            structure("<AssignMessage name=\"a\"><Name>{{ X }}</Name></AssignMessage>");
        assert!(!value.template_adds_elements);
        let kept: Vec<&Problem> = named.problems.iter().map(|p| &p.problem).collect();
        assert!(
            matches!(kept[..], [Problem::UnknownElement { .. }]),
            "{kept:?}"
        );
        for (xml, mark) in [
            ("<TargetEndpoint name=\"t\"><HTTPTargetConnection>\n{% if live %}<URL>a</URL>{% endif %}</HTTPTargetConnection></TargetEndpoint>", "{% if live %}"),
            ("<TargetEndpoint name=\"t\"><HTTPTargetConnection>[% url %]</HTTPTargetConnection></TargetEndpoint>", "[% url %]"),
            ("<TargetEndpoint name=\"t\"><HTTPTargetConnection><LoadBalancer><Server name=\"@SERVER@\"/></LoadBalancer></HTTPTargetConnection></TargetEndpoint>", "@SERVER@"),
        ] {
            let (checked, found) = structure(xml);
            assert_eq!(found.as_deref(), Some(mark), "{xml}");
            assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        }
    }

    #[test]
    fn an_element_repeated_around_placeholders_in_values_stays_repeated() {
        let repeated = |xml: &str| {
            structure(xml)
                .0
                .problems
                .iter()
                .any(|p| matches!(p.problem, Problem::Repeated { .. }))
        };
        assert!(repeated(
            "<TargetEndpoint name=\"t\"><FaultRules/><FaultRules/><HTTPTargetConnection><URL>{{ url }}</URL></HTTPTargetConnection></TargetEndpoint>"
        ));
        assert!(repeated(
            "<TargetEndpoint name=\"t\"><FaultRules/><FaultRules/>{{ CONNECTION }}</TargetEndpoint>"
        ));
        // A block among the elements may keep one of the two.
        assert!(!repeated(
            "<TargetEndpoint name=\"t\">{% if a %}<FaultRules/>{% else %}<FaultRules/>{% endif %}<HTTPTargetConnection><URL>{{ url }}</URL></HTTPTargetConnection></TargetEndpoint>"
        ));
    }

    #[test]
    fn message_templates_comments_and_addresses_are_not_build_templates() {
        let (structure, mark) = structure(
            "<AssignMessage name=\"a\"><!-- {{ not here }} --><Set><Payload>{\"to\": \"a@b.example\", \"v\": {request.verb}}</Payload></Set><Bogus/></AssignMessage>",
        );
        assert_eq!(mark, None);
        assert_eq!(structure.problems.len(), 1, "{:?}", structure.problems);
    }

    #[test]
    fn what_a_step_holds_is_left_to_the_step() {
        let xml = "<SharedFlow name=\"s\"><Step><Name>A</Name><Name>B</Name><Other/></Step><Bogus/></SharedFlow>";
        let root = parse(FileId(0), xml).unwrap().root;
        let kept: Vec<String> = Structure::of(&root, true)
            .problems
            .iter()
            .map(|p| p.path.clone())
            .collect();
        assert_eq!(kept, ["SharedFlow"]);
        assert_eq!(Structure::of(&root, false).problems.len(), 3);
    }
}
