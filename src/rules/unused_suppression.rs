use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A rule named in an `oauthlint-disable` comment that flags nothing the comment covers.
    UnusedSuppression,
    "unused-suppression",
    Suppression,
    Warning
);

/// Reported by the filter stage, the only one that knows which suppressions were used.
impl Rule for UnusedSuppression {
    fn check(&self, _: &Context, _: &mut Vec<Diagnostic>) {}
}
