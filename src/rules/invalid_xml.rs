use super::{declare_rule, report_problems, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::ProblemKind;

declare_rule!(
    /// A bundle file that is not well-formed XML, or not text in a supported encoding.
    InvalidXml,
    "invalid-xml",
    Bundle,
    Error,
    apigeelint = [BN011],
);

impl Rule for InvalidXml {
    fn check_project(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        report_problems(cx, ProblemKind::InvalidXml, &Self::META, "Apigee rejects a bundle with a malformed file; the file's content was left out of the checks", out);
    }
}
