//! Three-valued evaluation of a parsed condition against an environment.

use super::ast::{Comparison, Expr, ExprKind, Op, Operand, OperandKind};
use super::java_regex::java_regex_matches;
use super::pattern::{glob_matches, matches_path, starts_with};
use super::truth::Truth;
use super::value::{values_equal, values_equal_ignore_case, values_order, Value};

/// What is known statically about a flow variable.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// The value; `Value::Null` for a variable that is certainly unset.
    Known(Value),
    /// The value cannot be known statically (it may also be null).
    Unknown,
    /// Some present value equal to none of the literals this variable is compared with
    /// anywhere (with or without regard to case); nothing else is known about it. The engine
    /// uses it for "any other request" beside its concrete samples.
    Other,
}

/// Source of variable values for evaluation; looking up has no effect (see [`eval`]).
pub trait Env {
    fn lookup(&self, name: &str) -> Lookup;

    /// For a variable that looks up as [`Lookup::Other`]: whether it satisfies `op` against
    /// this literal, when the caller keeps track of that (the same test then gets the same answer
    /// in every condition).
    fn other_satisfies(&self, _name: &str, _op: Op, _literal: &str) -> Option<bool> {
        None
    }
}

/// The text of a literal operand, as the engine keys pattern tests by it.
pub fn literal_text(o: &Operand) -> Option<String> {
    match &o.kind {
        OperandKind::Str(s) => Some(s.clone()),
        OperandKind::Number(n) => Some(n.to_string()),
        OperandKind::Bool(b) => Some(b.to_string()),
        OperandKind::Null | OperandKind::Variable { .. } => None,
    }
}

/// A missing condition (`None`) is always true; otherwise [`eval`].
pub fn eval_condition(cond: Option<&Expr>, env: &dyn Env) -> Truth {
    cond.map_or(Truth::True, |e| eval(e, env))
}

/// Evaluates with Kleene logic: `False and Unknown` is `False`, `True or Unknown` is
/// `True`. Lookups have no effects, so a side that decides alone leaves the other unread.
pub fn eval(expr: &Expr, env: &dyn Env) -> Truth {
    match &expr.kind {
        ExprKind::Or(a, b) => match eval(a, env) {
            Truth::True => Truth::True,
            first => first.or(eval(b, env)),
        },
        ExprKind::And(a, b) => match eval(a, env) {
            Truth::False => Truth::False,
            first => first.and(eval(b, env)),
        },
        ExprKind::Not(e) => !eval(e, env),
        ExprKind::Compare(c) => eval_comparison(c, env),
        // A lone operand's truthiness is undocumented (○) beyond a literal boolean value;
        // the strings "true"/"false" are not assumed to convert.
        ExprKind::Bare(o) => match operand_value(o, env) {
            Lookup::Known(Value::Bool(b)) => Truth::from(b),
            _ => Truth::Unknown,
        },
    }
}

fn operand_value(o: &Operand, env: &dyn Env) -> Lookup {
    Lookup::Known(match &o.kind {
        OperandKind::Variable { name, .. } => return env.lookup(name),
        OperandKind::Str(s) => Value::Str(s.clone()),
        OperandKind::Number(n) => Value::from(*n),
        OperandKind::Null => Value::Null,
        OperandKind::Bool(b) => Value::Bool(*b),
    })
}

fn eval_comparison(c: &Comparison, env: &dyn Env) -> Truth {
    let lhs = operand_value(&c.lhs, env);
    let rhs = operand_value(&c.rhs, env);
    let rhs_literal = !matches!(c.rhs.kind, OperandKind::Variable { .. });
    match (&lhs, &rhs) {
        (Lookup::Known(l), Lookup::Known(r)) => compare(c.op, c.negated, l, r, rhs_literal),
        (Lookup::Other, Lookup::Known(r)) if rhs_literal => {
            let tracked = match (&c.lhs.kind, literal_text(&c.rhs)) {
                (OperandKind::Variable { name, .. }, Some(literal)) => {
                    env.other_satisfies(name, c.op, &literal)
                }
                _ => None,
            };
            match tracked {
                Some(b) if c.negated => !Truth::from(b),
                Some(b) => Truth::from(b),
                None => other_cell(c.op, c.negated, r),
            }
        }
        (Lookup::Known(l), Lookup::Other) if is_literal(&c.lhs) => other_cell(c.op, c.negated, l),
        // One side unknown, the other null: the table gives the answer when the
        // unknown side being null or not makes no difference.
        (Lookup::Unknown, Lookup::Known(Value::Null)) => {
            null_cell(c.op, c.negated, false, true).agree(null_cell(c.op, c.negated, true, true))
        }
        (Lookup::Known(Value::Null), Lookup::Unknown) => {
            null_cell(c.op, c.negated, true, false).agree(null_cell(c.op, c.negated, true, true))
        }
        _ => Truth::Unknown,
    }
}

fn is_literal(o: &Operand) -> bool {
    !matches!(o.kind, OperandKind::Variable { .. })
}

/// A comparison between [`Lookup::Other`] and a literal: it is present and equal to no
/// literal, so only the (in)equality operators have an answer.
fn other_cell(op: Op, negated: bool, literal: &Value) -> Truth {
    if *literal == Value::Null {
        return null_cell(op, negated, false, true);
    }
    let base = match op {
        Op::Equals | Op::EqualsCaseInsensitive => Truth::False,
        Op::NotEquals => Truth::True,
        _ => Truth::Unknown,
    };
    if negated {
        !base
    } else {
        base
    }
}

/// Compares two known values.
fn compare(op: Op, negated: bool, l: &Value, r: &Value, rhs_literal: bool) -> Truth {
    let (l_null, r_null) = (*l == Value::Null, *r == Value::Null);
    if l_null || r_null {
        return null_cell(op, negated, l_null, r_null);
    }
    let base = compare_non_null(op, l, r, rhs_literal);
    if negated {
        !base
    } else {
        base
    }
}

/// The documented null-operand table ([AX-COND] ✔, reference §5.5), at least one side
/// null. `N/A` cells (a null pattern) are `Unknown`.
///
/// Infix `not` with a null operand is undocumented, and the `!~` row shows that
/// negation does not simply flip cells; only negated `=` is answered (`x is not null`),
/// as the flip of `=`, which is exactly the documented `!=` row.
fn null_cell(op: Op, negated: bool, l_null: bool, r_null: bool) -> Truth {
    use Truth::{False as F, True as T, Unknown as U};
    let (lhs_null, rhs_null, both_null) = match op {
        Op::Equals | Op::EqualsCaseInsensitive => (F, F, T),
        Op::StartsWith => (F, F, F),
        Op::NotEquals => (T, T, F),
        Op::GreaterThan => (T, F, F),
        Op::GreaterThanOrEquals => (F, T, T),
        Op::LesserThan => (T, F, F),
        Op::LesserThanOrEquals => (T, F, T),
        Op::Matches | Op::JavaRegex | Op::MatchesPath => (F, U, F),
        Op::NotMatches => (T, F, F),
    };
    let cell = match (l_null, r_null) {
        (true, true) => both_null,
        (true, false) => lhs_null,
        _ => rhs_null,
    };
    match (negated, op) {
        (false, _) => cell,
        (true, Op::Equals) => !cell,
        (true, _) => Truth::Unknown,
    }
}

fn compare_non_null(op: Op, l: &Value, r: &Value, rhs_literal: bool) -> Truth {
    let order = |accept: fn(std::cmp::Ordering) -> bool| {
        values_order(l, r).map_or(Truth::Unknown, |o| Truth::from(accept(o)))
    };
    let strings = || match (l, r) {
        (Value::Str(a), Value::Str(b)) => Some((a.as_str(), b.as_str())),
        _ => None,
    };
    // Pattern operators take a literal pattern (apigeelint requires one; the runtime's
    // handling of a variable pattern is undocumented ○). All string operators are
    // `Unknown` on non-string values: whether the runtime converts them is undocumented.
    let pattern = |f: fn(&str, &str) -> Truth| match strings() {
        Some((value, pat)) if rhs_literal => f(pat, value),
        _ => Truth::Unknown,
    };
    match op {
        Op::Equals => values_equal(l, r),
        Op::NotEquals => !values_equal(l, r),
        Op::EqualsCaseInsensitive => values_equal_ignore_case(l, r),
        Op::GreaterThan => order(|o| o.is_gt()),
        Op::GreaterThanOrEquals => order(|o| o.is_ge()),
        Op::LesserThan => order(|o| o.is_lt()),
        Op::LesserThanOrEquals => order(|o| o.is_le()),
        Op::StartsWith => {
            strings().map_or(Truth::Unknown, |(value, prefix)| starts_with(prefix, value))
        }
        Op::Matches => pattern(glob_matches),
        Op::NotMatches => !pattern(glob_matches),
        Op::JavaRegex => pattern(java_regex_matches),
        Op::MatchesPath => pattern(matches_path),
    }
}
