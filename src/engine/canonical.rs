//! A condition's canonical form: one text for the conditions that are the same test written
//! differently, so equal conditions are found by hashing rather than by comparing pairs.
//!
//! Beyond the printer's normal form (operator spelling, parentheses, layout, word case of `AND`),
//! it sorts and deduplicates the operands of each chain of `and` or `or` (Kleene logic is
//! commutative and idempotent, and conditions have no side effects), drops double negation, and
//! puts the variable first in `=`, `!=` and `:=` when a literal is on the left. A variable the
//! client sets is named as the engine names it ([`Input`]): header names in any case are one.

use super::condition::{Comparison, Expr, ExprKind, Op, Operand, OperandKind};
use super::inputs::Input;

/// The canonical text of a parsed condition.
pub(super) fn canonical(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::And(..) | ExprKind::Or(..) => {
            let and = matches!(expr.kind, ExprKind::And(..));
            let mut operands = Vec::new();
            chain(expr, and, &mut operands);
            let mut texts: Vec<String> = operands.into_iter().map(canonical).collect();
            texts.sort();
            texts.dedup();
            match texts.as_slice() {
                [one] => one.clone(),
                _ => format!("{}({})", if and { "and" } else { "or" }, texts.join(", ")),
            }
        }
        ExprKind::Not(inner) => match &inner.kind {
            ExprKind::Not(e) => canonical(e),
            _ => format!("!({})", canonical(inner)),
        },
        ExprKind::Compare(c) => comparison(c),
        ExprKind::Bare(o) => operand(o),
    }
}

/// The operands of a chain of `and` (or of `or`), however it is parenthesised.
fn chain<'e>(expr: &'e Expr, and: bool, out: &mut Vec<&'e Expr>) {
    match &expr.kind {
        ExprKind::And(a, b) if and => {
            chain(a, and, out);
            chain(b, and, out);
        }
        ExprKind::Or(a, b) if !and => {
            chain(a, and, out);
            chain(b, and, out);
        }
        _ => out.push(expr),
    }
}

fn comparison(c: &Comparison) -> String {
    let symmetric = matches!(c.op, Op::Equals | Op::NotEquals | Op::EqualsCaseInsensitive);
    let is_variable = |o: &Operand| matches!(o.kind, OperandKind::Variable { .. });
    let (lhs, rhs) = if symmetric && !is_variable(&c.lhs) && is_variable(&c.rhs) {
        (&c.rhs, &c.lhs)
    } else {
        (&c.lhs, &c.rhs)
    };
    let not = if c.negated { "not " } else { "" };
    format!("{} {not}{} {}", operand(lhs), c.op.symbol(), operand(rhs))
}

fn operand(o: &Operand) -> String {
    match &o.kind {
        OperandKind::Variable { name, .. } => match Input::of(name) {
            Some(input) => input.to_string(),
            None => o.to_string(),
        },
        _ => o.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;
    use crate::engine::condition::parse;

    fn canon(text: &str) -> String {
        canonical(&parse(text).unwrap().unwrap())
    }

    #[test]
    fn the_same_test_written_differently_has_one_form() {
        for (a, b) in [
            (
                "proxy.pathsuffix MatchesPath \"/r1\"",
                "proxy.pathsuffix ~/ \"/r1\"",
            ),
            (
                "proxy.pathsuffix ~/ \"/r2\" and request.verb = \"GET\"",
                "(request.verb = \"GET\") AND (proxy.pathsuffix ~/ \"/r2\")",
            ),
            (
                "a = \"x\" and (b = \"y\" and c = \"z\")",
                "(c = \"z\" and a = \"x\") and b = \"y\"",
            ),
            ("\"GET\" = request.verb", "request.verb Equals \"GET\""),
            ("not not a = \"x\"", "a = \"x\" or a = \"x\""),
            ("request.header.Foo = \"x\"", "request.header.foo = \"x\""),
        ] {
            assert_eq!(canon(a), canon(b), "{a} / {b}");
        }
    }

    #[test]
    fn different_tests_keep_different_forms() {
        for (a, b) in [
            ("a = \"x\" and b = \"y\"", "a = \"x\" or b = \"y\""),
            ("a = \"x\"", "a = \"X\""),
            ("a ~/ \"/x\"", "\"/x\" ~/ a"),
            (
                "request.queryparam.Foo = \"x\"",
                "request.queryparam.foo = \"x\"",
            ),
            (
                "(a = \"1\" and b = \"2\") or c = \"3\"",
                "a = \"1\" and (b = \"2\" or c = \"3\")",
            ),
        ] {
            assert_ne!(canon(a), canon(b), "{a} / {b}");
        }
    }
}
