use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Syntax;

declare_rule!(
    /// A script of a JavaScript policy (`resources/jsc/`) that is not valid JavaScript.
    InvalidJavascript,
    "invalid-javascript",
    Bundle,
    Error,
    preview = true,
);

impl Rule for InvalidJavascript {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        for (resource, script) in bundle.model.scripts(&cx.project.sources) {
            let Syntax::Invalid { message, span } = &script.syntax else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    *span,
                    format!("`{}` is not valid JavaScript", resource.url()),
                )
                .primary_label(message.clone())
                .help(
                    "Apigee cannot compile the script, so a JavaScript policy that runs it fails \
                     (or its deployment does): fix the syntax at the place shown",
                ),
            );
        }
    }
}
