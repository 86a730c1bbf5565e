//! The condition lexer, parser, printer and evaluator on arbitrary text: never a panic, and a
//! parsed condition's printed form parses back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauthlint::engine::condition::{eval, parse, Env, Lookup, Value};

struct Mixed;

impl Env for Mixed {
    fn lookup(&self, name: &str) -> Lookup {
        match name.len() % 4 {
            0 => Lookup::Unknown,
            1 => Lookup::Other,
            2 => Lookup::Known(Value::Null),
            _ => Lookup::Known(Value::Str(name.chars().rev().collect())),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(Some(expr)) = parse(&text) {
        let printed = expr.to_string();
        let again = parse(&printed).expect("a printed condition parses").expect("not empty");
        assert!(expr.same_tree(&again), "{text:?} printed as {printed:?}");
        let _ = eval(&expr, &Mixed);
    }
});
