use super::condition_size::{oversize, Measure};
use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::condition::Expr;
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
        let limit = Self::options(cx).max_terms;
        out.extend(oversize(&Self::META, parsed, limit, &TERMS));
    }
}

const TERMS: Measure = Measure {
    of: Expr::terms,
    unit: "terms",
    label: "operands and operators",
    option: "max-terms",
    why: "each operand and operator is one more case a reader and a test must think through",
};
