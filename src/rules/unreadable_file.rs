use super::{declare_rule, Context, Rule};
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
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for problem in cx
            .project
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Unreadable)
        {
            out.push(
                Diagnostic::new(&Self::META, problem.span, &problem.message)
                    .help("fix or remove the entry; nothing in it was checked"),
            );
        }
    }
}
