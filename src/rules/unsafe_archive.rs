use super::{declare_rule, report_problems, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::ProblemKind;

declare_rule!(
    /// A zipped bundle, or an entry of one, refused because extracting or inflating it could do
    /// harm.
    UnsafeArchive,
    "unsafe-archive",
    Bundle,
    Error
);

impl Rule for UnsafeArchive {
    fn check_project(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        report_problems(
            cx,
            ProblemKind::UnsafeArchive,
            &Self::META,
            "export the bundle from Apigee again, or lint its folder; the refused content was not checked",
            out,
        );
    }
}
