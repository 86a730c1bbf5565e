//! Every cell of the documented null-operand table (reference §5.5), through every
//! way of writing a null operand: an unset variable and the `null` literal.

use super::*;
use Truth::{False as F, True as T, Unknown as U};

/// (operator, LHS null, RHS null, both null); `N/A` is `Unknown`.
const TABLE: &[(&str, Truth, Truth, Truth)] = &[
    ("=", F, F, T),
    ("==", F, F, T),
    (":=", F, F, T),
    ("=|", F, F, F),
    ("!=", T, T, F),
    (">", T, F, F),
    (">=", F, T, T),
    ("<", T, F, F),
    ("<=", T, F, T),
    ("~", F, U, F),
    ("~~", F, U, F),
    ("!~", T, F, F),
    ("~/", F, U, F),
];

fn env() -> MapEnv {
    MapEnv::new()
        .with("set", s("/a"))
        .with("num", Value::Int(5))
        .unknown("unk")
}

#[test]
fn lhs_null() {
    for &(op, cell, _, _) in TABLE {
        for rhs in ["\"/a\"", "5"] {
            for lhs in ["unset", "null"] {
                let text = format!("{lhs} {op} {rhs}");
                assert_eq!(ev(&text, &env()), cell, "{text}");
            }
        }
        // A variable pattern is only defined when the LHS is null (the table's cell).
        assert_eq!(
            ev(&format!("unset {op} set"), &env()),
            cell,
            "unset {op} set"
        );
    }
}

#[test]
fn rhs_null() {
    for &(op, _, cell, _) in TABLE {
        for lhs in ["set", "num", "\"/a\""] {
            for rhs in ["unset", "null", "NULL"] {
                let text = format!("{lhs} {op} {rhs}");
                assert_eq!(ev(&text, &env()), cell, "{text}");
            }
        }
    }
}

#[test]
fn both_null() {
    for &(op, _, _, cell) in TABLE {
        for (lhs, rhs) in [
            ("unset", "null"),
            ("unset", "unset2"),
            ("null", "null"),
            ("null", "unset"),
        ] {
            let text = format!("{lhs} {op} {rhs}");
            assert_eq!(ev(&text, &env()), cell, "{text}");
        }
    }
}

/// An unknown variable against null: known only where the row's "other side null" and
/// "both null" cells agree.
#[test]
fn unknown_against_null() {
    for &(op, lhs_null, rhs_null, both_null) in TABLE {
        let text = format!("unk {op} null");
        assert_eq!(ev(&text, &env()), rhs_null.agree(both_null), "{text}");
        let text = format!("null {op} unk");
        assert_eq!(ev(&text, &env()), lhs_null.agree(both_null), "{text}");
    }
    // Spot checks of the agreeing cells: `=|` is false whatever the unknown is.
    assert_eq!(ev("unk =| null", &env()), F);
    assert_eq!(ev("unk > null", &env()), F);
    assert_eq!(ev("unk = null", &env()), U);
    assert_eq!(ev("unk = \"x\"", &env()), U);
}

#[test]
fn null_checks_as_written_in_bundles() {
    let env = env();
    for (text, expected) in [
        ("unset is null", T),
        ("set is null", F),
        ("unset = null", T),
        ("set = null", F),
        ("unset != null", F),
        ("set != null", T),
        ("unset IsNot null", F),
        ("set IsNot null", T),
        ("unset is not null", F),
        ("set is not null", T),
        ("unk is not null", U),
        ("unk != null", U),
        ("!(set is null)", T),
        ("!(unset = null)", F),
    ] {
        assert_eq!(ev(text, &env), expected, "{text}");
    }
}

/// `is not null` must always agree with `!= null`; other negated comparisons with a
/// null operand are undocumented.
#[test]
fn negated_comparisons_with_null() {
    let env = env();
    for x in ["unset", "set", "num", "unk", "null", "\"\""] {
        let a = ev(&format!("{x} is not null"), &env);
        assert_eq!(a, ev(&format!("{x} != null"), &env), "{x}");
        assert_eq!(a, ev(&format!("{x} IsNot null"), &env), "{x}");
    }
    for text in [
        "unset not ~/ \"/a\"",
        "unset not =| \"a\"",
        "set not ~~ null",
        "unset not > 5",
    ] {
        assert_eq!(ev(text, &env), U, "{text}");
    }
}
