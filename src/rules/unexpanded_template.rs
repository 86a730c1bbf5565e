use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A bundle file holding build-template syntax, of which the structure rules check only the names of elements and attributes.
    UnexpandedTemplate,
    "unexpanded-template",
    Structure,
    Info
);

impl Rule for UnexpandedTemplate {
    fn check_bundle(&self, _: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        for mark in structure::files(&bundle).filter_map(|s| s.template) {
            out.push(
                Diagnostic::new(&Self::META, mark, "the file holds build-template syntax, so only the names of its elements and attributes were checked")
                    .help("lint what the build writes, with the template expanded, to have its values, required elements and repetitions checked too"),
            );
        }
    }
}
