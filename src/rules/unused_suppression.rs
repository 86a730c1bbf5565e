use super::{declare_rule, Rule};

declare_rule!(
    /// A rule named in an `oauthlint-disable` comment that flags nothing the comment covers.
    UnusedSuppression,
    "unused-suppression",
    Suppression,
    Warning
);

/// Reported by the filter stage, the only one that knows which suppressions were used.
impl Rule for UnusedSuppression {}
