//! Whether a condition holds for no value of its variables at all, wherever it is: a literal
//! `false`, or a variable equal to two different strings.
//!
//! A variable compared only by `=`, `!=` and `:=` with string literals or `null` takes few
//! values that matter: each literal, a different-case spelling of one (for `:=`), unset, and any
//! other text. Every value is compared with a string as its `toString` (reference §5.4), so these
//! cover all. The condition is evaluated for each combination; it never holds when every
//! evaluation is certainly false. Any other variable stays unknown, so a comparison the engine
//! cannot settle keeps the condition possible.

use super::condition::{eval, Env, Expr, ExprKind, Lookup, Op, Operand, OperandKind, Truth, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Beyond this many combinations the condition is left possible, unjudged.
const MAX_COMBINATIONS: usize = 4096;

/// Is the condition false for every value of every variable it reads?
pub(super) fn never_holds(expr: &Expr) -> bool {
    let mut literals: BTreeMap<&str, Option<BTreeSet<&str>>> = BTreeMap::new();
    collect(expr, &mut literals);
    let choices: Vec<(&str, Vec<Lookup>)> = literals
        .into_iter()
        .filter_map(|(name, texts)| Some((name, candidates(&texts?))))
        .collect();
    let combinations = choices
        .iter()
        .try_fold(1usize, |n, (_, c)| n.checked_mul(c.len()))
        .filter(|&n| n <= MAX_COMBINATIONS);
    let Some(combinations) = combinations else {
        return false;
    };
    (0..combinations).all(|mut k| {
        let mut env = Chosen(BTreeMap::new());
        for (name, values) in &choices {
            env.0.insert(*name, values[k % values.len()].clone());
            k /= values.len();
        }
        eval(expr, &env) == Truth::False
    })
}

/// For each variable, the string literals it is compared with, or `None` when some comparison
/// of it is of another kind (it then stays unknown).
fn collect<'e>(expr: &'e Expr, out: &mut BTreeMap<&'e str, Option<BTreeSet<&'e str>>>) {
    match &expr.kind {
        ExprKind::Or(a, b) | ExprKind::And(a, b) => {
            collect(a, out);
            collect(b, out);
        }
        ExprKind::Not(e) => collect(e, out),
        ExprKind::Bare(o) => {
            if let OperandKind::Variable { name, .. } = &o.kind {
                out.entry(name).or_insert_with(|| Some(BTreeSet::new()));
            }
        }
        ExprKind::Compare(c) => {
            let equality = matches!(c.op, Op::Equals | Op::NotEquals | Op::EqualsCaseInsensitive);
            for (side, other) in [(&c.lhs, &c.rhs), (&c.rhs, &c.lhs)] {
                let OperandKind::Variable { name, .. } = &side.kind else {
                    continue;
                };
                let entry = out.entry(name).or_insert_with(|| Some(BTreeSet::new()));
                match (equality, string_or_null(other)) {
                    (true, Some(text)) => {
                        if let (Some(set), Some(text)) = (entry.as_mut(), text) {
                            set.insert(text);
                        }
                    }
                    _ => *entry = None,
                }
            }
        }
    }
}

/// `Some(Some(text))` for a string literal, `Some(None)` for `null`, `None` otherwise.
fn string_or_null(o: &Operand) -> Option<Option<&str>> {
    match &o.kind {
        OperandKind::Str(s) => Some(Some(s)),
        OperandKind::Null => Some(None),
        _ => None,
    }
}

/// The values that matter for a variable compared with `texts`: each of them, a spelling of
/// each that differs from all of them only in case, unset, and any other text.
fn candidates(texts: &BTreeSet<&str>) -> Vec<Lookup> {
    let mut out: Vec<Lookup> = texts
        .iter()
        .map(|t| Lookup::Known(Value::Str((*t).to_owned())))
        .collect();
    out.extend(
        texts
            .iter()
            .filter_map(|t| other_case(t, texts))
            .map(|t| Lookup::Known(Value::Str(t))),
    );
    out.push(Lookup::Known(Value::Null));
    out.push(Lookup::Other);
    out
}

/// A spelling of `text` that differs from every one of `texts` only in the case of ASCII
/// letters, if there is one among the lower-case, upper-case and case-flipped spellings and those
/// that flip one letter.
fn other_case(text: &str, texts: &BTreeSet<&str>) -> Option<String> {
    let flip = |c: char| {
        if c.is_ascii_lowercase() {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        }
    };
    let mut spellings = vec![
        text.to_ascii_lowercase(),
        text.to_ascii_uppercase(),
        text.chars().map(flip).collect(),
    ];
    spellings.extend(
        text.char_indices()
            .filter(|(_, c)| c.is_ascii_alphabetic())
            .map(|(i, c)| format!("{}{}{}", &text[..i], flip(c), &text[i + 1..])),
    );
    spellings
        .into_iter()
        .find(|s| s != text && !texts.contains(s.as_str()))
}

/// One combination of values; the variables left out are unknown.
struct Chosen<'e>(BTreeMap<&'e str, Lookup>);

impl Env for Chosen<'_> {
    fn lookup(&self, name: &str) -> Lookup {
        self.0.get(name).cloned().unwrap_or(Lookup::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::never_holds;
    use crate::engine::condition::parse;

    fn never(text: &str) -> bool {
        never_holds(&parse(text).unwrap().unwrap())
    }

    #[test]
    fn contradictions_never_hold() {
        for text in [
            "false",
            "(false AND fault.name = \"FailedToResolveAPIKey\")",
            "request.verb = \"GET\" and request.verb = \"POST\"",
            "request.verb = \"GET\" and request.verb != \"GET\"",
            "a = null and a = \"x\"",
            "a := \"x\" and a := \"y\"",
            "not (a = \"x\" or a != \"x\")",
            "\"a\" = \"b\"",
        ] {
            assert!(never(text), "{text}");
        }
    }

    #[test]
    fn satisfiable_conditions_may_hold() {
        for text in [
            "true",
            "request.verb = \"GET\" or request.verb = \"POST\"",
            "request.verb = \"GET\" and request.header.x = \"POST\"",
            // "get" satisfies both.
            "v := \"GET\" and v != \"GET\"",
            "v := \"GET\" and v != \"GET\" and v != \"get\" and v != \"Get\"",
            "a = \"x\" and a > \"y\"",
            "a = \"1\" and a = b",
            "a ~~ \"x\" and a ~~ \"y\"",
            "a is not null and a = \"x\"",
            "flag and flag = \"x\"",
        ] {
            assert!(!never(text), "{text}");
        }
    }
}
