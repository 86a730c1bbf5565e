//! Java precedence (`not` > comparison > `and` > `or`), associativity, parentheses, and
//! the and/or-mixing query.

use super::*;

/// Each pair must parse to the same tree (the second is explicitly parenthesised).
#[test]
fn precedence_equivalences() {
    for (text, explicit) in [
        (
            "a = \"1\" and b = \"2\" or c = \"3\"",
            "(a = \"1\" and b = \"2\") or c = \"3\"",
        ),
        ("a or b and c", "a or (b and c)"),
        ("a and b or c and d", "(a and b) or (c and d)"),
        ("a or b or c", "(a or b) or c"),
        ("a and b and c", "(a and b) and c"),
        (
            "not a = \"x\" and b = \"y\"",
            "(not (a = \"x\")) and (b = \"y\")",
        ),
        ("!a = \"x\" or b", "(!(a = \"x\")) or b"),
        ("not not a", "not (not a)"),
        ("a || b && !c", "a or (b and (not c))"),
    ] {
        let (e, x) = (parse_ok(text), parse_ok(explicit));
        assert!(e.same_tree(&x), "{text}: got {e}, expected {x}");
    }
}

#[test]
fn parentheses_override() {
    let e = parse_ok("a and (b or c)");
    let ExprKind::And(_, rhs) = &e.kind else {
        panic!("{e:?}")
    };
    assert!(matches!(rhs.kind, ExprKind::Or(..)) && rhs.parenthesized);
    assert_eq!(rhs.span, 6..14);
    let e = parse_ok("(a or b) and c");
    assert!(matches!(e.kind, ExprKind::And(..)));
    let e = parse_ok("not (a = \"x\" and b)");
    let ExprKind::Not(inner) = &e.kind else {
        panic!("{e:?}")
    };
    assert!(matches!(inner.kind, ExprKind::And(..)));
    assert_eq!(e.span, 0..19);
    // Different readings are different trees.
    assert!(!parse_ok("a and b or c").same_tree(&parse_ok("a and (b or c)")));
}

#[test]
fn tree_shape_and_spans() {
    let text = "a = \"1\" and b = \"2\" or c = \"3\"";
    let e = parse_ok(text);
    let ExprKind::Or(l, r) = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(e.span, 0..text.len());
    assert!(matches!(l.kind, ExprKind::And(..)));
    assert_eq!(&text[l.span.clone()], "a = \"1\" and b = \"2\"");
    assert_eq!(&text[r.span.clone()], "c = \"3\"");
    assert!(!l.parenthesized);
}

#[test]
fn mixes_and_or_without_parens() {
    for (text, expected) in [
        ("a and b or c", Some(0..12)),
        ("a or b and c", Some(0..12)),
        ("x and (a or b and c)", Some(6..20)),
        ("(a and b) or c", None),
        ("a or (b and c)", None),
        ("a and b and c", None),
        ("a or b or c", None),
        ("a and (b or c)", None),
        ("!(a and b or c)", Some(1..15)),
        ("a = \"1\"", None),
    ] {
        assert_eq!(
            parse_ok(text).mixes_and_or_without_parens(),
            expected,
            "{text}"
        );
    }
    // The canonical print never mixes without parentheses.
    let printed = parse_ok("a and b or c and d or e").to_string();
    assert_eq!(
        parse_ok(&printed).mixes_and_or_without_parens(),
        None,
        "{printed}"
    );
}
