use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// Elements that exclude each other, given together.
    ConflictingElements,
    "conflicting-elements",
    Structure,
    Warning,
    preview = true,
    apigeelint = [EP002, FE001, PO030, PO044, TD014],
);

impl Rule for ConflictingElements {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::Exclusive { present, max } = problem else {
                return None;
            };
            let allowed = if *max == 1 { "only one".to_owned() } else { format!("at most {max}") };
            let message = format!(
                "`{}` holds {}, of which it takes {allowed}",
                at.path,
                structure::elements(present)
            );
            let help = "keep the one you mean: Apigee uses one of them and ignores the rest";
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
