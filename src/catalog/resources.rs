//! Where a policy names a resource of its bundle by URL (`jsc://a.js`): the paths of the elements
//! below its root, by kind, from Apigee X's policy reference (the JavaScript, Python Script,
//! JavaCallout, XSLTransform, SOAPMessageValidation, OASValidation, GraphQL, AssignMessage and
//! RaiseFault pages).

use super::PolicyKind;

/// The element paths whose text is a resource URL, for a policy of `kind`; empty for a kind that
/// names none.
pub fn resource_url_paths(kind: PolicyKind) -> &'static [&'static [&'static str]] {
    match kind {
        PolicyKind::Javascript | PolicyKind::Script => &[&["ResourceURL"], &["IncludeURL"]],
        PolicyKind::JavaCallout
        | PolicyKind::XSL
        | PolicyKind::MessageValidation
        | PolicyKind::GraphQL => &[&["ResourceURL"]],
        PolicyKind::OASValidation => &[&["OASResource"]],
        PolicyKind::AssignMessage => &[&["AssignVariable", "ResourceURL"]],
        PolicyKind::RaiseFault => &[&["FaultResponse", "AssignVariable", "ResourceURL"]],
        _ => &[],
    }
}
