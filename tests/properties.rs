//! Properties of the condition language, over generated conditions:
//! - a condition's printed form parses back to the same tree;
//! - three-valued evaluation is sound: where it answers true (false) with some variables unknown,
//!   no completion of those variables answers false (true).

use oauthlint::engine::condition::{eval, parse, Env, Lookup, Truth, Value};
use proptest::prelude::*;
use std::collections::HashMap;

const VARIABLES: [&str; 5] = [
    "a",
    "b",
    "request.verb",
    "proxy.pathsuffix",
    "request.header.x-mode",
];
const OPERATORS: [&str; 18] = [
    "=",
    "!=",
    ":=",
    ">",
    "<",
    ">=",
    "<=",
    "~~",
    "~",
    "~/",
    "=|",
    "Equals",
    "NotEquals",
    "MatchesPath",
    "StartsWith",
    "JavaRegex",
    "Like",
    "GreaterThan",
];
const LITERALS: [&str; 12] = [
    "\"x\"",
    "\"GET\"",
    "\"get\"",
    "\"/a/**\"",
    "\"/a/b\"",
    "\"/a/*\"",
    "3",
    "10",
    "null",
    "true",
    "\"a*\"",
    "\"/c.*t\"",
];
/// Values a variable may take when a property completes the unknown ones.
const VALUES: [Option<&str>; 8] = [
    None,
    Some("x"),
    Some("GET"),
    Some("get"),
    Some("/a/b"),
    Some("/a/b/c"),
    Some("3"),
    Some(""),
];

fn comparison() -> impl Strategy<Value = String> {
    (
        0..VARIABLES.len(),
        0..OPERATORS.len(),
        0..LITERALS.len(),
        any::<bool>(),
    )
        .prop_map(|(v, o, l, negated)| {
            let not = if negated { "not " } else { "" };
            format!("{not}{} {} {}", VARIABLES[v], OPERATORS[o], LITERALS[l])
        })
}

fn condition() -> impl Strategy<Value = String> {
    comparison().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop_oneof![
                    Just(" and "),
                    Just(" or "),
                    Just(" && "),
                    Just(" || "),
                    Just(" AND ")
                ],
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a}{op}{b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.prop_map(|a| format!("!({a})")),
        ]
    })
}

struct Assignment(HashMap<&'static str, Lookup>);

impl Env for Assignment {
    fn lookup(&self, name: &str) -> Lookup {
        self.0
            .get(name)
            .cloned()
            .unwrap_or(Lookup::Known(Value::Null))
    }
}

fn value(v: Option<&str>) -> Lookup {
    Lookup::Known(v.map_or(Value::Null, |s| Value::Str(s.to_owned())))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_conditions_parse_back_to_the_same_tree(text in condition()) {
        let expr = parse(&text).expect("generated conditions are valid").expect("not empty");
        let printed = expr.to_string();
        let again = parse(&printed).expect("the printed form parses").expect("not empty");
        prop_assert!(expr.same_tree(&again), "{text}\nprinted: {printed}");
        prop_assert_eq!(again.to_string(), printed);
    }

    #[test]
    fn unknown_never_hides_a_contradiction(
        text in condition(),
        known in proptest::collection::vec(0..VALUES.len(), VARIABLES.len()),
        unknown_mask in 0u8..32,
    ) {
        let expr = parse(&text).unwrap().unwrap();
        let unknown: Vec<usize> = (0..VARIABLES.len()).filter(|i| unknown_mask & (1 << i) != 0).collect();
        let mut partial = HashMap::new();
        for (i, name) in VARIABLES.iter().enumerate() {
            partial.insert(*name, if unknown.contains(&i) { Lookup::Unknown } else { value(VALUES[known[i]]) });
        }
        let verdict = eval(&expr, &Assignment(partial.clone()));
        if verdict == Truth::Unknown {
            return Ok(());
        }
        // Every completion of the unknown variables over the value set.
        let completions = VALUES.len().pow(unknown.len() as u32);
        for mut code in 0..completions {
            let mut full = partial.clone();
            for &i in &unknown {
                full.insert(VARIABLES[i], value(VALUES[code % VALUES.len()]));
                code /= VALUES.len();
            }
            let concrete = eval(&expr, &Assignment(full));
            prop_assert!(concrete != !verdict || concrete == Truth::Unknown,
                "{text}: {verdict:?} with unknowns, {concrete:?} for a completion");
        }
    }
}
