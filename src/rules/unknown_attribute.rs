use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// An attribute that the element does not have in the file's kind.
    UnknownAttribute,
    "unknown-attribute",
    Structure,
    Warning,
    preview = true,
    apigeelint = [PO034, PO036, PO037, PO045],
);

impl Rule for UnknownAttribute {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::UnknownAttribute { name, suggestion } = problem else {
                return None;
            };
            let help = match suggestion {
                Some(close) => {
                    format!("did you mean `{close}`? Apigee ignores an attribute it does not know")
                }
                None => "remove it: Apigee ignores an attribute it does not know".to_owned(),
            };
            let message = format!("`{name}` is not an attribute of `{}`", at.path);
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
