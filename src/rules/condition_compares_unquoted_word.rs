use super::{declare_rule, one_line, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::catalog::vocabulary::{
    HTTP_METHODS, RESPONSE_TYPES, TOKEN_TYPE_HINTS, UNDOTTED_BUILTIN_VARIABLES, WORD_GRANT_TYPES,
};
use super::condition_walk::comparisons;
use crate::engine::condition::{Comparison, OperandKind};
use crate::engine::{ParsedCondition, Setters};

declare_rule!(
    /// A comparison with an unquoted word, which Apigee reads as a variable, where text was meant.
    ConditionComparesUnquotedWord,
    "condition-compares-unquoted-word",
    Condition,
    Warning
);

impl Rule for ConditionComparesUnquotedWord {
    fn check_condition(&self, cx: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let condition = parsed.condition;
        // What the proxy sets, found only when a word might name it.
        let mut setters: Option<Setters> = None;
        for comparison in comparisons(expr) {
            let OperandKind::Variable {
                name: word,
                quoted: false,
            } = &comparison.rhs.kind
            else {
                continue;
            };
            if word.contains('.') {
                continue;
            }
            let lhs = &condition.text[comparison.lhs.span.clone()];
            let literal = vocabulary_literal(comparison, word);
            if literal.is_none()
                && (UNDOTTED_BUILTIN_VARIABLES.contains(&word.as_str())
                    || setters
                        .get_or_insert_with(|| cx.engine.setters(parsed.bundle))
                        .may_set(word))
            {
                continue;
            }
            let before = &condition.text[comparison.lhs.span.start..comparison.rhs.span.start];
            let quoted = one_line(&format!("{before}\"{}\"", literal.unwrap_or(word)));
            let (message, help) = if literal.is_some() {
                (
                    format!(
                        "`{lhs}` is compared with a variable named `{word}`, not with the \
                         text \"{word}\""
                    ),
                    format!("quote the value: `{quoted}`"),
                )
            } else {
                (
                    format!(
                        "`{lhs}` is compared with a variable named `{word}`, which no policy \
                         of this proxy sets, not with the text \"{word}\""
                    ),
                    format!(
                        "quote the value to compare with the text: `{quoted}`; if a variable \
                         was meant, set it before this condition runs"
                    ),
                )
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span_of(comparison.rhs.span.clone()),
                    message,
                )
                .primary_label("an unquoted word names a variable")
                .help(help),
            );
        }
    }
}

/// The literal `word` stands for when the left-hand side only takes values from a fixed set
/// and `word` is one of them (in any case): an HTTP method for `request.verb`, a grant type for
/// a `grant_type`, a response type for a `response_type`, a token type for a `token_type_hint`.
fn vocabulary_literal(comparison: &Comparison, word: &str) -> Option<&'static str> {
    let OperandKind::Variable { name, .. } = &comparison.lhs.kind else {
        return None;
    };
    let last = name.rsplit('.').next().unwrap_or(name);
    let vocabulary: &[&str] = if ["request.verb", "message.verb"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
    {
        &HTTP_METHODS
    } else if last.eq_ignore_ascii_case("grant_type") {
        &WORD_GRANT_TYPES
    } else if last.eq_ignore_ascii_case("response_type") {
        &RESPONSE_TYPES
    } else if last.eq_ignore_ascii_case("token_type_hint") {
        &TOKEN_TYPE_HINTS
    } else {
        return None;
    };
    vocabulary
        .iter()
        .find(|v| v.eq_ignore_ascii_case(word))
        .copied()
}
