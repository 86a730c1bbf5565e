use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A value outside what its element or attribute takes (an enumeration, a boolean, an integer), or text in an element that holds none.
    InvalidElementValue,
    "invalid-element-value",
    Structure,
    Warning,
    preview = true,
    apigeelint = [PO012, PO030, PO032, PO034, PO039, PO042, TD015],
);

impl Rule for InvalidElementValue {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let (message, help) = match problem {
                Problem::InvalidValue {
                    value,
                    expected,
                    attribute,
                } => {
                    let holder = match attribute {
                        Some(name) => format!("attribute `{name}` of `{}`", at.path),
                        None => format!("`{}`", at.path),
                    };
                    let expected = structure::describe(*expected);
                    (
                        format!("{holder} is {}, which is not {expected}", structure::quoted(value)),
                        "Apigee refuses some values outside an element's type at deployment, and deploys others that then do not do what they say".to_owned(),
                    )
                }
                Problem::UnexpectedText => (
                    format!("text in `{}`, which holds elements only", at.path),
                    "remove the text, or move it into the element meant to hold it: Apigee ignores it here".to_owned(),
                ),
                _ => return None,
            };
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
