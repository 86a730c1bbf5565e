use super::condition_walk::lone_literals;
use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::condition::OperandKind;
use crate::engine::ParsedCondition;

declare_rule!(
    /// A literal (`true`, `false`, a number, a string) used as a term of a condition, outside a
    /// comparison.
    ConstantCondition,
    "constant-condition",
    Condition,
    Warning,
    preview = true,
    apigeelint = [CC001],
);

impl Rule for ConstantCondition {
    fn check_condition(&self, _: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let condition = parsed.condition;
        for literal in lone_literals(expr) {
            let written = &condition.text[literal.span.clone()];
            let (label, help) = match literal.kind {
                OperandKind::Bool(true) => (
                    "always true".to_owned(),
                    "`or true` makes the whole condition hold for every request and `and true` \
                     changes nothing: remove the term; if a variable was meant, name it"
                        .to_owned(),
                ),
                OperandKind::Bool(false) => (
                    "always false".to_owned(),
                    "`and false` makes the whole condition fail for every request and `or false` \
                     changes nothing: remove the term, or the Step, Flow or rule it parks"
                        .to_owned(),
                ),
                _ => (
                    "a constant, not a test".to_owned(),
                    "Apigee does not document what a lone text, number or null means as a \
                     condition: compare a variable with it (`request.verb = \"GET\"`), or remove \
                     the term"
                        .to_owned(),
                ),
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span_of(literal.span.clone()),
                    format!("the literal `{written}` is a term of this condition, outside a comparison"),
                )
                .primary_label(label)
                .help(help),
            );
        }
    }
}
