//! Kleene logic and Unknown propagation.

use super::*;
use Truth::{False as F, True as T, Unknown as U};

#[test]
fn kleene_tables() {
    for (a, b, and, or) in [
        (T, T, T, T),
        (T, F, F, T),
        (T, U, U, T),
        (F, F, F, F),
        (F, U, F, U),
        (U, U, U, U),
    ] {
        assert_eq!((a.and(b), b.and(a)), (and, and), "{a:?} and {b:?}");
        assert_eq!((a.or(b), b.or(a)), (or, or), "{a:?} or {b:?}");
    }
    assert_eq!((!T, !F, !U), (F, T, U));
    assert_eq!((T.agree(T), T.agree(F), F.agree(U)), (T, U, U));
}

#[test]
fn unknown_propagation() {
    let env = MapEnv::new()
        .with("verb", s("GET"))
        .unknown("unk")
        .unknown("unk2");
    for (text, expected) in [
        ("unk = \"x\"", U),
        ("unk != \"x\"", U),
        ("unk ~~ \"x\"", U),
        ("\"x\" = unk", U),
        ("unk = unk2", U),
        ("unk = \"x\" and verb = \"POST\"", F),
        ("verb = \"POST\" and unk = \"x\"", F),
        ("unk = \"x\" or verb = \"GET\"", T),
        ("verb = \"GET\" or unk = \"x\"", T),
        ("unk = \"x\" and verb = \"GET\"", U),
        ("unk = \"x\" or verb = \"POST\"", U),
        ("!(unk = \"x\")", U),
        ("not unk", U),
        ("(unk = \"a\" or unk = \"b\") and verb = \"PUT\"", F),
        ("verb = \"GET\" and (unk or true)", T),
    ] {
        assert_eq!(ev(text, &env), expected, "{text}");
    }
}

#[test]
fn precedence_changes_the_result() {
    // a = false, c = true: the runtime's (a and b) or c is true, apigeelint's reading
    // a and (b or c) is false.
    let env = MapEnv::new()
        .with("c", Value::Bool(true))
        .with("a", Value::Bool(false));
    assert_eq!(ev("a and b or c", &env), T);
    assert_eq!(ev("a and (b or c)", &env), F);
    assert_eq!(ev("c or b and a", &env), T);
    assert_eq!(ev("(c or b) and a", &env), F);
}

#[test]
fn eval_condition_wraps_eval() {
    let env = MapEnv::new().with("x", s("1"));
    let e = parse_ok("x = 1");
    assert_eq!(eval_condition(Some(&e), &env), T);
    assert_eq!(eval_condition(None, &env), T);
    let e = parse_ok("x = 2");
    assert_eq!(eval_condition(Some(&e), &env), F);
}

#[test]
fn other_value_answers_only_equality_with_literals() {
    let env = MapEnv::new()
        .other("verb")
        .other("path")
        .with("known", s("GET"));
    for (text, expected) in [
        ("verb = \"GET\"", F),
        ("verb != \"GET\"", T),
        ("verb := \"get\"", F),
        ("\"GET\" = verb", F),
        ("verb = null", F),
        ("verb != null", T),
        ("verb is not null", T),
        ("verb not = \"GET\"", T),
        ("verb =| \"G\"", U),
        ("path ~/ \"/a/**\"", U),
        ("path ~ \"/a*\"", U),
        ("path ~~ \"/a.*\"", U),
        ("verb > 3", U),
        ("verb = known", U),
        ("verb = path", U),
    ] {
        assert_eq!(ev(text, &env), expected, "{text}");
    }
}
