use super::condition_walk::comparisons;
use super::{declare_rule, BundleRef, Context, Rule, StepSite};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::revokes_tokens;
use crate::engine::condition::{eval, Comparison, Env, Expr, ExprKind, Lookup, Op, OperandKind, Truth, Value};
use crate::model::{Resolved, Step};

declare_rule!(
    /// A security step decided by a relational comparison over a variable that may be unset, with no test for the unset case.
    NullSensitiveSecurityCondition,
    "null-sensitive-security-condition",
    Condition,
    Warning,
    preview = true,
);

impl Rule for NullSensitiveSecurityCondition {
    fn check_step(&self, cx: &Context, _: BundleRef, step: &Step, _: &StepSite, out: &mut Vec<Diagnostic>) {
        let Some(condition) = &step.condition else {
            return;
        };
        let Some(expr) = cx.engine.parsed(condition) else {
            return;
        };
        let Some(Resolved::Found(id)) = cx.project.step_policy(step.id) else {
            return;
        };
        let policy = cx.project.policy(*id);
        // What such a step decides: a refusal, a check of the caller, a revocation.
        let decides = policy.facts().raises.is_some() || cx.engine.checks_caller(policy) || revokes_tokens(policy);
        if !decides || !cx.engine.step_may_run(step.id) {
            return;
        }
        let tested_for_null = tested_for_null(expr);
        for comparison in comparisons(expr).into_iter().filter(|c| relational(c.op) && !c.negated) {
            let Some(variable) = [&comparison.lhs, &comparison.rhs].into_iter().find_map(|o| match &o.kind {
                OperandKind::Variable { name, .. }
                    if cx.engine.may_be_unset_at(step.id, name) && !tested_for_null.iter().any(|t| t.eq_ignore_ascii_case(name)) =>
                {
                    Some(name.as_str())
                }
                _ => None,
            }) else {
                continue;
            };
            let written = &condition.text[comparison.lhs.span.start..comparison.rhs.span.end];
            let when_unset = match eval(&alone(comparison), &Unset(variable)) {
                Truth::True => "holds",
                Truth::False => "fails",
                Truth::Unknown => continue,
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span_of(comparison.lhs.span.start..comparison.rhs.span.end),
                    format!("`{}` is decided by `{written}`, which {when_unset} whenever `{variable}` is unset", step.name),
                )
                .primary_label(format!("{when_unset} when `{variable}` is unset"))
                .help(format!(
                    "say what an unset `{variable}` means: with `({variable} != null) and ({written})` the \
                     step does not run for it, with `({variable} = null) or ({written})` it does; Apigee's null \
                     rules make `null > x`, `null < x` and `null <= x` true and `null >= x` false, so a request \
                     that leaves it out is decided by them, not by this test"
                )),
            );
        }
    }
}

fn relational(op: Op) -> bool {
    matches!(
        op,
        Op::GreaterThan | Op::GreaterThanOrEquals | Op::LesserThan | Op::LesserThanOrEquals
    )
}

/// The variables the condition compares with `null` somewhere: their unset case is handled.
fn tested_for_null(expr: &Expr) -> Vec<&str> {
    comparisons(expr)
        .into_iter()
        .filter_map(|c| match (&c.lhs.kind, &c.rhs.kind) {
            (OperandKind::Variable { name, .. }, OperandKind::Null)
            | (OperandKind::Null, OperandKind::Variable { name, .. }) => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// The comparison as a condition of its own.
fn alone(comparison: &Comparison) -> Expr {
    Expr {
        kind: ExprKind::Compare(comparison.clone()),
        span: comparison.lhs.span.start..comparison.rhs.span.end,
        parenthesized: false,
    }
}

/// The named variable is unset; every other one unknown.
struct Unset<'v>(&'v str);

impl Env for Unset<'_> {
    fn lookup(&self, name: &str) -> Lookup {
        if name == self.0 {
            Lookup::Known(Value::Null)
        } else {
            Lookup::Unknown
        }
    }
}
