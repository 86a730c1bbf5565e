//! Syntax errors: message and exact span.

use super::*;

#[test]
fn syntax_errors() {
    let table: &[(&str, &str, std::ops::Range<usize>)] = &[
        ("(a = \"1\"", "unclosed parenthesis", 0..1),
        ("((a = \"1\")", "unclosed parenthesis", 0..1),
        ("a = \"abc", "unterminated string", 4..8),
        ("a = 'abc", "unterminated quoted variable name", 4..8),
        ("a = ''", "empty quoted variable name", 4..6),
        ("a = \"1\" and", "expected a condition after `and`", 8..11),
        ("a = \"1\" ||", "expected a condition after `||`", 8..10),
        ("not", "expected a condition after `not`", 0..3),
        (
            "a = \"1\" and or b",
            "expected a condition after `and`, found `or`",
            12..14,
        ),
        ("= \"x\"", "expected a condition, found `=`", 0..1),
        (
            "a and = \"x\"",
            "expected a condition after `and`, found `=`",
            6..7,
        ),
        ("a = \"1\")", "unmatched closing parenthesis", 7..8),
        ("a)", "unmatched closing parenthesis", 1..2),
        (")", "expected a condition, found `)`", 0..1),
        ("a = ", "expected a value after `=`", 2..3),
        ("a Equals", "expected a value after `Equals`", 2..8),
        ("a is not", "expected a value after `not`", 5..8),
        ("a = and", "expected a value after `=`, found `and`", 4..7),
        ("a = )", "expected a value after `=`, found `)`", 4..5),
        ("a = (b)", "expected a value after `=`, found `(`", 4..5),
        ("()", "empty parentheses", 0..2),
        ("a and ( )", "empty parentheses", 6..9),
        (
            "a b",
            "expected `and`, `or` or end of condition, found a variable",
            2..3,
        ),
        (
            "a = \"1\" \"2\"",
            "expected `and`, `or` or end of condition, found a string",
            8..11,
        ),
        (
            "a = b = c",
            "expected `and`, `or` or end of condition, found `=`",
            6..7,
        ),
        (
            "(a b)",
            "expected `and`, `or` or `)`, found a variable",
            3..4,
        ),
        ("a not b", "expected an operator after `not`", 2..5),
        ("a & b", "unexpected character `&`", 2..3),
        ("a | b", "unexpected character `|`", 2..3),
        ("a : b", "unexpected character `:`", 2..3),
        ("a = b + 1", "unexpected character `+`", 6..7),
        ("a = -x", "unexpected character `-`", 4..5),
        ("a = é", "unexpected character `é`", 4..6),
        ("a = 12ab", "invalid number `12ab`", 4..8),
        ("a = 1.5L", "invalid number `1.5L`", 4..8),
        ("a = 1.2.3", "invalid number `1.2.3`", 4..9),
        (
            "a = 99999999999999999999",
            "number `99999999999999999999` out of range",
            4..24,
        ),
        ("a &lt; 5", "unexpected character `&`", 2..3),
        ("a === b", "expected a value after `==`, found `=`", 4..5),
        ("a =< b", "expected a value after `=`, found `<`", 3..4),
    ];
    for (text, message, span) in table {
        match parse(text) {
            Err(e) => assert_eq!(
                (e.message.as_str(), e.span.clone()),
                (*message, span.clone()),
                "{text}"
            ),
            Ok(e) => panic!("{text:?} parsed as {e:?}"),
        }
    }
}

#[test]
fn error_display() {
    let e = parse("(a").unwrap_err();
    assert_eq!(e.to_string(), "unclosed parenthesis at 0..1");
}
