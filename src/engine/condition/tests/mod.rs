//! Table tests for the condition module. Every condition parsed through [`parse_ok`] is
//! also checked to survive a print → parse round trip.

use std::collections::HashMap;

use super::*;

mod corpus;
mod errors;
mod eval_logic;
mod null_table;
mod operators;
mod patterns;
mod precedence;
mod real_world;
mod robustness;
mod values;

/// Parses `text`, failing the test on error or empty input, and checks that the
/// canonical print parses back to the same tree and prints identically.
fn parse_ok(text: &str) -> Expr {
    let e = match parse(text) {
        Ok(Some(e)) => e,
        Ok(None) => panic!("{text:?}: parsed as empty"),
        Err(err) => panic!("{text:?}: {err}"),
    };
    let printed = e.to_string();
    let again = match parse(&printed) {
        Ok(Some(again)) => again,
        other => panic!("{text:?} printed as {printed:?}, which parses as {other:?}"),
    };
    assert!(
        e.same_tree(&again),
        "{text:?} printed as {printed:?}, which parses differently"
    );
    assert_eq!(
        again.to_string(),
        printed,
        "printing is not stable for {text:?}"
    );
    e
}

/// The comparison at the root of `e`, looking through parentheses.
fn comparison(e: &Expr) -> &Comparison {
    match &e.kind {
        ExprKind::Compare(c) => c,
        other => panic!("expected a comparison, got {other:?}"),
    }
}

/// Variables from a table; everything else is unset (`Null`), names listed in
/// `unknown` cannot be known.
#[derive(Default)]
struct MapEnv {
    values: HashMap<String, Value>,
    unknown: Vec<String>,
    other: Vec<String>,
}

impl MapEnv {
    fn new() -> Self {
        Self::default()
    }

    fn with(mut self, name: &str, value: Value) -> Self {
        self.values.insert(name.to_string(), value);
        self
    }

    fn unknown(mut self, name: &str) -> Self {
        self.unknown.push(name.to_string());
        self
    }

    fn other(mut self, name: &str) -> Self {
        self.other.push(name.to_string());
        self
    }
}

impl Env for MapEnv {
    fn lookup(&self, name: &str) -> Lookup {
        if self.unknown.iter().any(|n| n == name) {
            return Lookup::Unknown;
        }
        if self.other.iter().any(|n| n == name) {
            return Lookup::Other;
        }
        Lookup::Known(self.values.get(name).cloned().unwrap_or(Value::Null))
    }
}

fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

/// Evaluates `text` in `env`.
fn ev(text: &str, env: &MapEnv) -> Truth {
    eval(&parse_ok(text), env)
}
