use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// An element given more times than its parent allows.
    RepeatedElement,
    "repeated-element",
    Structure,
    Warning,
    preview = true,
    apigeelint = [EP002, FE001, FR002, PD005, PD006, PO012, PO026, PO027, PO030, PO032, PO033, PO034, PO035, PO036, PO037, PO039, PO041, PO042, PO044, PO045, TD005, TD009, TD012],
);

impl Rule for RepeatedElement {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::Repeated { name, max, count } = problem else {
                return None;
            };
            let allowed = if *max == 1 { "once".to_owned() } else { format!("at most {max} times") };
            let message = format!(
                "`<{name}>` is given {count} times in `{}`, which takes it {allowed}",
                structure::parent(&at.path)
            );
            let help = "keep one and merge what the others say into it: Apigee reads only one of them";
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
