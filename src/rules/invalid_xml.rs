use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::ProblemKind;

declare_rule!(
    /// A bundle file that is not well-formed XML, or not text in a supported encoding.
    InvalidXml,
    "invalid-xml",
    Bundle,
    Error
);

impl Rule for InvalidXml {
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for problem in cx
            .project
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::InvalidXml)
        {
            out.push(
                Diagnostic::new(&Self::META, problem.span, &problem.message)
                    .help("Apigee rejects a bundle with a malformed file; the file's content was left out of the checks"),
            );
        }
    }
}
