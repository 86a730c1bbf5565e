use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::ParsedCondition;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// A condition with more terms (operands, operators, `and`, `or`, `not`) than allowed.
    ComplexCondition,
    "complex-condition",
    Condition,
    Warning,
    preview = true,
    apigeelint = [CC004],
    options = Limit,
);

#[derive(Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limit {
    pub max_terms: usize,
}

impl Default for Limit {
    /// apigeelint's limit.
    fn default() -> Limit {
        Limit { max_terms: 12 }
    }
}

impl Rule for ComplexCondition {
    fn check_condition(&self, cx: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        // An unparsable condition is invalid-condition's.
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let limit = Self::options(cx).max_terms;
        let terms = expr.terms();
        if terms <= limit {
            return;
        }
        let message = format!("condition has {terms} terms, over the {limit} allowed");
        out.push(
            Diagnostic::new(&Self::META, parsed.condition.span, message)
                .primary_label(format!("{terms} operands and operators"))
                .help(format!(
                    "split it: one conditional Flow per path and verb, or a variable set once \
                     by a policy and tested here; each operand and operator is one more case a reader \
                     and a test must think through (`max-terms` of complex-condition sets the limit, \
                     {limit} now)"
                )),
        );
    }
}
