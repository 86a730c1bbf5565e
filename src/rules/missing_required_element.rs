use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// An element or attribute that the file's kind requires, missing.
    MissingRequiredElement,
    "missing-required-element",
    Structure,
    Error,
    preview = true,
    apigeelint = [EP002, FE001, PD002, PD004, PD005, PD006, PO026, PO027, PO030, PO032, PO033, PO035, PO037, PO038, PO039, PO042, PO044, PO045, TD003, TD010, TD014, TD017],
);

impl Rule for MissingRequiredElement {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let (message, help) = match problem {
                Problem::MissingElement { name } => (
                    format!("`{}` has no `<{name}>`, which it requires", at.path),
                    format!("add `<{name}>`"),
                ),
                Problem::MissingAttribute { name } => (
                    format!("`{}` has no `{name}` attribute, which it requires", at.path),
                    format!("add `{name}=\"…\"`"),
                ),
                Problem::MissingOneOf { names, min } => {
                    let how_many = if *min == 1 { "one".to_owned() } else { format!("at least {min}") };
                    (
                        format!("`{}` has none of {}, and requires {how_many} of them", at.path, structure::elements(names)),
                        format!("add {how_many} of them"),
                    )
                }
                _ => return None,
            };
            let help = format!("{help}: Apigee refuses to deploy a policy or endpoint without what it requires");
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
