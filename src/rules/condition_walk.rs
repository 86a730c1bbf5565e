//! The terms of a parsed condition, for the rules that judge them one by one.

use crate::engine::condition::{Comparison, Expr, ExprKind, Operand, OperandKind};

/// Every comparison and lone operand of the condition, in the order written.
fn terms(expr: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Or(a, b) | ExprKind::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            ExprKind::Not(inner) => stack.push(inner),
            ExprKind::Compare(_) | ExprKind::Bare(_) => out.push(e),
        }
    }
    out
}

/// Every comparison of the condition, in the order written.
pub(super) fn comparisons(expr: &Expr) -> Vec<&Comparison> {
    terms(expr)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Compare(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Every literal (`true`, `false`, a number, a string, `null`) used alone as a term, outside a
/// comparison, in the order written.
pub(super) fn lone_literals(expr: &Expr) -> Vec<&Operand> {
    terms(expr)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Bare(o) if !matches!(o.kind, OperandKind::Variable { .. }) => Some(o),
            _ => None,
        })
        .collect()
}
