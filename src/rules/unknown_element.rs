use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// An element that its parent does not have in the file's kind, or that belongs elsewhere.
    UnknownElement,
    "unknown-element",
    Structure,
    Warning,
    preview = true,
    apigeelint = [EP002, FE001, FR002, PD006, PO026, PO033, PO034, PO035, PO037, PO039, PO042, PO043, PO044, PO045],
);

impl Rule for UnknownElement {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::UnknownElement {
                name,
                suggestion,
                belongs_in,
            } = problem
            else {
                return None;
            };
            let help = match (belongs_in, suggestion) {
                (Some(parent), _) => format!(
                    "`<{name}>` belongs inside `{parent}`: move it there, since where it is Apigee ignores it"
                ),
                (None, Some(close)) => {
                    format!("did you mean `<{close}>`? Apigee ignores an element it does not know")
                }
                (None, None) => "remove it, or look up the element you meant in the policy's reference: Apigee ignores an element it does not know".to_owned(),
            };
            let message = format!("`<{name}>` is not an element of `{}`", at.path);
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
