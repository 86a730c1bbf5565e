use super::{declare_rule, report_problems, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::ProblemKind;

declare_rule!(
    /// A file or folder below the linted paths that could not be read.
    UnreadableFile,
    "unreadable-file",
    Bundle,
    Error
);

impl Rule for UnreadableFile {
    fn check_project(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        report_problems(
            cx,
            ProblemKind::Unreadable,
            &Self::META,
            "fix or remove the entry; nothing in it was checked",
            out,
        );
    }
}
