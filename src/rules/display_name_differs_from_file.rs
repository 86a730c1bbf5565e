use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A policy whose `<DisplayName>` is empty or not the name of its file.
    DisplayNameDiffersFromFile,
    "display-name-differs-from-file",
    Style,
    Info,
    preview = true,
    apigeelint = [PO008],
);

impl Rule for DisplayNameDiffersFromFile {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(display) = &policy.display_name else {
            return;
        };
        let file = cx.project.sources.file_name(policy.name_span.file);
        let stem = file.strip_suffix(".xml").unwrap_or(file);
        if display.value.is_empty() {
            out.push(
                Diagnostic::new(&Self::META, display.span, "the policy's <DisplayName> is empty")
                    .primary_label("no name to show")
                    .help(format!(
                        "remove the <DisplayName> (Apigee's UI then shows the name \
                         `{}`) or write `{stem}` in it",
                        policy.name
                    )),
            );
            return;
        }
        // A display name that is the policy's name, in a file of another name: the file is
        // misnamed, which `name-differs-from-file` reports, and renaming it settles both.
        if display.value == stem || (display.value == policy.name && !policy.name.is_empty()) {
            return;
        }
        out.push(
            Diagnostic::new(
                &Self::META,
                display.span,
                format!(
                    "the policy's <DisplayName> is `{}`, but its file is `{file}`",
                    display.value
                ),
            )
            .primary_label("not the file's name")
            .help(format!(
                "write `{stem}` in the <DisplayName>, or remove it (Apigee's UI then shows the \
                 name `{}`): the UI lists the policy by one name, the bundle's files and Steps \
                 by another",
                policy.name
            )),
        );
    }
}
