use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::ParsedCondition;

declare_rule!(
    /// A `<Condition>` whose text the condition grammar rejects.
    InvalidCondition,
    "invalid-condition",
    Condition,
    Error,
    apigeelint = [CC005, CC007],
);

impl Rule for InvalidCondition {
    fn check_condition(&self, _: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Err(error) = &parsed.parsed else {
            return;
        };
        // Past a limit of the parser the condition may be valid: analysis-limit-reached.
        if error.over_limit {
            return;
        }
        let condition = parsed.condition;
        let after = condition.text.get(error.span.end..).unwrap_or_default();
        out.push(
            Diagnostic::new(
                &Self::META,
                condition.span_of(error.span.clone()),
                &error.message,
            )
            .help(help(&error.message, after)),
        );
    }
}

/// What fixes the error, from the parser's message (`tests` below pins each family) and the
/// text after the offending token.
fn help(message: &str, after: &str) -> &'static str {
    let starts = |prefix: &str| message.starts_with(prefix);
    if starts("unclosed parenthesis") {
        "add the `)` that closes this `(` where the group is meant to end"
    } else if starts("unmatched closing parenthesis") {
        "remove this `)`, or add the `(` it closes"
    } else if starts("empty parentheses") {
        "put a condition between the parentheses, or remove them"
    } else if starts("unterminated string") {
        "end the string with `\"`"
    } else if starts("unterminated quoted variable name") {
        "end the variable name with `'`"
    } else if starts("empty quoted variable name") {
        "write a variable name between the single quotes"
    } else if starts("unexpected character `/`") && after.starts_with('~') {
        "MatchesPath is written `~/`, not `/~`"
    } else if starts("unexpected character `&`") {
        "join conditions with `and`, or with `&&` (written `&amp;&amp;` in XML)"
    } else if starts("unexpected character `|`") {
        "join conditions with `or`, or with `||`"
    } else if starts("unexpected character") {
        "remove the character, or put the value that holds it in double quotes"
    } else if starts("invalid number") || (starts("number") && message.ends_with("out of range")) {
        "put the value in double quotes if it is text"
    } else if starts("expected a value") {
        "compare with a value: a string in double quotes, a number, `null`, `true`, `false` or \
         a variable"
    } else if starts("expected a condition") {
        "write a comparison here, such as `request.verb = \"GET\"`, or remove the operator \
         before it"
    } else if starts("expected an operator") {
        "follow `not` with an operator such as `MatchesPath`, or put `not` before the comparison"
    } else if starts("expected `and`, `or`") {
        "join comparisons with `and` or `or`, and put a value that holds spaces in double quotes"
    } else {
        GENERIC_HELP
    }
}

const GENERIC_HELP: &str = "a condition compares `variable operator value` (strings in double \
    quotes), joins comparisons with `and`/`or`, negates with `not` and groups with `( )`";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::condition::parse;

    /// Every family of parser message gets its own help: a reworded message fails here rather
    /// than falling back to the generic help unnoticed.
    #[test]
    fn each_parser_error_has_a_specific_help() {
        let cases = [
            "(a = \"1\"",
            "a = \"1\")",
            "()",
            "a = \"abc",
            "a = 'abc",
            "a = ''",
            "a /~ \"/x\"",
            "a & b",
            "a | b",
            "a = b + 1",
            "a = 12ab",
            "a = 99999999999999999999",
            "a = ",
            "a = \"1\" and",
            "= \"x\"",
            "a not b",
            "a b",
        ];
        for text in cases {
            let error = parse(text).expect_err(text);
            let after = &text[error.span.end..];
            assert_ne!(
                help(&error.message, after),
                GENERIC_HELP,
                "{text:?}: {}",
                error.message
            );
        }
    }
}
