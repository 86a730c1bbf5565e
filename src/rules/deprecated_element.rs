use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// An element that Apigee deprecated, with what it says to use instead.
    DeprecatedElement,
    "deprecated-element",
    Structure,
    Warning,
    preview = true,
    apigeelint = [PO030, PO041],
);

impl Rule for DeprecatedElement {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::Deprecated { name, instead } = problem else {
                return None;
            };
            let message = format!(
                "`<{name}>` of `{}` is deprecated",
                structure::parent(&at.path)
            );
            let help = format!(
                "use {instead} instead: Apigee still deploys `<{name}>`, but deprecated it and \
                 documents only the replacement"
            );
            Some(
                Diagnostic::new(&Self::META, at.span, message)
                    .primary_label("deprecated")
                    .help(help),
            )
        });
    }
}
