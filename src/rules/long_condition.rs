use super::condition_size::{oversize, Measure};
use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::ParsedCondition;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// A condition longer than the project allows, measured in its canonical form.
    LongCondition,
    "long-condition",
    Condition,
    Warning,
    preview = true,
    apigeelint = [CC003],
    options = Limit,
);

#[derive(Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limit {
    pub max_length: usize,
}

impl Default for Limit {
    /// apigeelint's limit.
    fn default() -> Limit {
        Limit { max_length: 256 }
    }
}

impl Rule for LongCondition {
    fn check_condition(&self, cx: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let limit = Self::options(cx).max_length;
        out.extend(oversize(&Self::META, parsed, limit, &LENGTH));
    }
}

/// Characters of the canonical form: layout, line breaks and redundant parentheses do not
/// count.
const LENGTH: Measure = Measure {
    of: |expr| expr.to_string().chars().count(),
    unit: "characters",
    label: "characters, written on one line",
    option: "max-length",
    why: "a long condition is hard to read and to test",
};
