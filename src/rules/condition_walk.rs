//! The comparisons of a parsed condition, for the rules that judge them one by one.

use crate::engine::condition::{Comparison, Expr, ExprKind};

/// Every comparison of the condition, in the order written.
pub(super) fn comparisons(expr: &Expr) -> Vec<&Comparison> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Or(a, b) | ExprKind::And(a, b) => {
                stack.push(b);
                stack.push(a);
            }
            ExprKind::Not(inner) => stack.push(inner),
            ExprKind::Compare(c) => out.push(c),
            ExprKind::Bare(_) => {}
        }
    }
    out
}
