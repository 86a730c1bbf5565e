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
        // An unparsable condition is invalid-condition's.
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let limit = Self::options(cx).max_length;
        // The canonical form: layout, line breaks and redundant parentheses do not count.
        let length = expr.to_string().chars().count();
        if length <= limit {
            return;
        }
        let message = format!("condition is {length} characters long, over the {limit} allowed");
        out.push(
            Diagnostic::new(&Self::META, parsed.condition.span, message)
                .primary_label(format!("{length} characters, written on one line"))
                .help(format!(
                    "split it: one conditional Flow per path and verb, or a variable set once \
                     by a policy and tested here; a long condition is hard to read and to test \
                     (`max-length` of long-condition sets the limit, {limit} now)"
                )),
        );
    }
}
