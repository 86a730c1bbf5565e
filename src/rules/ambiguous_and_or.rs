use super::{declare_rule, one_line, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::condition::{Expr, ExprKind};
use crate::engine::ParsedCondition;

declare_rule!(
    /// `and` and `or` mixed without parentheses: Apigee applies `and` first, readers often do not.
    AmbiguousAndOr,
    "ambiguous-and-or",
    Condition,
    Warning
);

impl Rule for AmbiguousAndOr {
    fn check_condition(&self, _: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let Some(range) = expr.mixes_and_or_without_parens() else {
            return;
        };
        let condition = parsed.condition;
        out.push(
            Diagnostic::new(
                &Self::META,
                condition.span_of(range),
                "`and` and `or` are mixed without parentheses: Apigee applies `and` first",
            )
            .help(format!(
                "Apigee reads this condition as `{}`; write those parentheses, or the ones \
                 you meant",
                parenthesized(&condition.text, expr)
            )),
        );
    }
}

/// The condition as written, with parentheses added around every `and` that is an operand of
/// an `or` (Apigee's reading), on one line.
fn parenthesized(text: &str, expr: &Expr) -> String {
    let mut marks = Vec::new();
    mark_groups(expr, &mut marks);
    // At one offset a `)` closes the group before it and precedes any `(` that opens a group.
    marks.sort_by_key(|&(at, open)| (at, open));
    let mut out = String::with_capacity(text.len() + marks.len());
    let mut from = 0;
    for (at, open) in marks {
        out.push_str(&text[from..at]);
        out.push(if open { '(' } else { ')' });
        from = at;
    }
    out.push_str(&text[from..]);
    one_line(&out)
}

/// Offsets where `(` (true) or `)` (false) makes an implicit `and`-before-`or` grouping explicit.
fn mark_groups(expr: &Expr, marks: &mut Vec<(usize, bool)>) {
    match &expr.kind {
        ExprKind::Or(a, b) | ExprKind::And(a, b) => {
            for child in [a, b] {
                let mixed = matches!(
                    (&expr.kind, &child.kind),
                    (ExprKind::Or(..), ExprKind::And(..)) | (ExprKind::And(..), ExprKind::Or(..))
                );
                if mixed && !child.parenthesized {
                    marks.push((child.span.start, true));
                    marks.push((child.span.end, false));
                }
                mark_groups(child, marks);
            }
        }
        ExprKind::Not(e) => mark_groups(e, marks),
        ExprKind::Compare(_) | ExprKind::Bare(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::condition::parse;

    fn reading(text: &str) -> String {
        parenthesized(text, &parse(text).unwrap().unwrap())
    }

    #[test]
    fn parentheses_follow_apigee_precedence_and_keep_the_spelling() {
        assert_eq!(
            reading("a = \"1\" and b = \"2\" or c = \"3\""),
            "(a = \"1\" and b = \"2\") or c = \"3\""
        );
        assert_eq!(reading("a Is null Or b && c"), "a Is null Or (b && c)");
        assert_eq!(
            reading("(a or b and c or d AND e)"),
            "(a or (b and c) or (d AND e))"
        );
        assert_eq!(
            reading("not a and b || (c or d)"),
            "(not a and b) || (c or d)"
        );
        assert_eq!(
            reading("a = \"x  y\" and\n   b = \"1\"\r\n or c"),
            "(a = \"x  y\" and b = \"1\") or c"
        );
    }

    #[test]
    fn the_reading_parses_to_the_same_tree_without_ambiguity() {
        for text in [
            "a and b or c and d or e",
            "a or b and c and d",
            "!(a or b) and c or d",
            "(a and b or c) and d",
        ] {
            let before = parse(text).unwrap().unwrap();
            let after = parse(&reading(text)).unwrap().unwrap();
            assert!(after.same_tree(&before), "{text}");
            assert_eq!(after.mixes_and_or_without_parens(), None, "{text}");
        }
    }
}
