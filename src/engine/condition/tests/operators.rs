//! Every operator spelling parses to the right `Op`, with its text and span.

use super::*;

#[test]
fn every_operator_spelling() {
    let table: &[(&str, Op)] = &[
        ("=", Op::Equals),
        ("==", Op::Equals),
        ("Equals", Op::Equals),
        ("EQUALS", Op::Equals),
        ("equals", Op::Equals),
        ("Is", Op::Equals),
        ("is", Op::Equals),
        ("IS", Op::Equals),
        ("!=", Op::NotEquals),
        ("NotEquals", Op::NotEquals),
        ("notequals", Op::NotEquals),
        ("IsNot", Op::NotEquals),
        ("isnot", Op::NotEquals),
        ("ISNOT", Op::NotEquals),
        (":=", Op::EqualsCaseInsensitive),
        ("EqualsCaseInsensitive", Op::EqualsCaseInsensitive),
        ("equalscaseinsensitive", Op::EqualsCaseInsensitive),
        (">", Op::GreaterThan),
        ("GreaterThan", Op::GreaterThan),
        ("greaterthan", Op::GreaterThan),
        (">=", Op::GreaterThanOrEquals),
        ("GreaterThanOrEquals", Op::GreaterThanOrEquals),
        ("GREATERTHANOREQUALS", Op::GreaterThanOrEquals),
        ("<", Op::LesserThan),
        ("LesserThan", Op::LesserThan),
        ("lesserthan", Op::LesserThan),
        ("<=", Op::LesserThanOrEquals),
        ("LesserThanOrEquals", Op::LesserThanOrEquals),
        ("lesserThanOrEquals", Op::LesserThanOrEquals),
        ("~~", Op::JavaRegex),
        ("JavaRegex", Op::JavaRegex),
        ("javaregex", Op::JavaRegex),
        ("~", Op::Matches),
        ("Matches", Op::Matches),
        ("matches", Op::Matches),
        ("Like", Op::Matches),
        ("LIKE", Op::Matches),
        ("~/", Op::MatchesPath),
        ("MatchesPath", Op::MatchesPath),
        ("matchespath", Op::MatchesPath),
        ("LikePath", Op::MatchesPath),
        ("likepath", Op::MatchesPath),
        ("=|", Op::StartsWith),
        ("StartsWith", Op::StartsWith),
        ("startswith", Op::StartsWith),
        ("!~", Op::NotMatches),
    ];
    for &(op_text, op) in table {
        for sep in [" ", ""] {
            let is_symbol = !op_text.starts_with(|c: char| c.is_ascii_alphabetic());
            if sep.is_empty() && !is_symbol {
                continue;
            }
            let text = format!("a.b{sep}{op_text}{sep}\"v\"");
            let e = parse_ok(&text);
            let c = comparison(&e);
            assert_eq!(c.op, op, "{text}");
            assert_eq!(c.op_text, op_text, "{text}");
            assert_eq!(&text[c.op_span.clone()], op_text, "{text}");
            assert!(!c.negated, "{text}");
            assert_eq!(
                c.lhs.kind,
                OperandKind::Variable {
                    name: "a.b".into(),
                    quoted: false
                }
            );
            assert_eq!(c.rhs.kind, OperandKind::Str("v".into()));
            assert_eq!(e.span, 0..text.len());
        }
    }
}

#[test]
fn logical_spellings() {
    for and in ["and", "AND", "And", "&&"] {
        let e = parse_ok(&format!("a {and} b"));
        assert!(matches!(e.kind, ExprKind::And(..)), "{and}");
    }
    for or in ["or", "OR", "Or", "||"] {
        let e = parse_ok(&format!("a {or} b"));
        assert!(matches!(e.kind, ExprKind::Or(..)), "{or}");
    }
    for not in ["not ", "NOT ", "Not ", "!", "! "] {
        let e = parse_ok(&format!("{not}a"));
        assert!(matches!(e.kind, ExprKind::Not(..)), "{not}");
    }
    // Symbols need no spaces around them.
    let e = parse_ok("a=\"1\"&&b=\"2\"||!c");
    assert_eq!(e.to_string(), "(a = \"1\" and b = \"2\") or !c");
}

#[test]
fn infix_not() {
    for (text, op) in [
        ("x not MatchesPath \"/a/**\"", Op::MatchesPath),
        ("x NOT StartsWith \"a\"", Op::StartsWith),
        ("x not ~~ \"a.*\"", Op::JavaRegex),
        ("x not Like \"a*\"", Op::Matches),
        ("x is not null", Op::Equals),
        ("x IS NOT null", Op::Equals),
    ] {
        let e = parse_ok(text);
        let c = comparison(&e);
        assert_eq!((c.op, c.negated), (op, true), "{text}");
    }
    let e = parse_ok("x is not null");
    let c = comparison(&e);
    assert_eq!((c.op_text.as_str(), c.op_span.clone()), ("is", 2..4));
    assert_eq!(e.to_string(), "x not = null");
}

#[test]
fn operands() {
    use Number::*;
    let table: &[(&str, OperandKind)] = &[
        ("\"\"", OperandKind::Str(String::new())),
        (
            "\"a b 'c' = and\"",
            OperandKind::Str("a b 'c' = and".into()),
        ),
        ("null", OperandKind::Null),
        ("NULL", OperandKind::Null),
        ("Null", OperandKind::Null),
        ("true", OperandKind::Bool(true)),
        ("TRUE", OperandKind::Bool(true)),
        ("False", OperandKind::Bool(false)),
        ("400", OperandKind::Number(Int(400))),
        ("-5", OperandKind::Number(Int(-5))),
        ("0", OperandKind::Number(Int(0))),
        ("1.5", OperandKind::Number(Double(1.5))),
        ("-0.25", OperandKind::Number(Double(-0.25))),
        ("7l", OperandKind::Number(Long(7))),
        ("7L", OperandKind::Number(Long(7))),
        ("2f", OperandKind::Number(Float(2.0))),
        ("2.5F", OperandKind::Number(Float(2.5))),
        ("3d", OperandKind::Number(Double(3.0))),
        ("3.5D", OperandKind::Number(Double(3.5))),
        ("9223372036854775807", OperandKind::Number(Int(i64::MAX))),
        (
            "POST",
            OperandKind::Variable {
                name: "POST".into(),
                quoted: false,
            },
        ),
        (
            "request.header.Content-Type",
            OperandKind::Variable {
                name: "request.header.Content-Type".into(),
                quoted: false,
            },
        ),
        (
            "oauthV2.OA-Verify.failed",
            OperandKind::Variable {
                name: "oauthV2.OA-Verify.failed".into(),
                quoted: false,
            },
        ),
        (
            "_x-1.y_2",
            OperandKind::Variable {
                name: "_x-1.y_2".into(),
                quoted: false,
            },
        ),
        (
            "null.x",
            OperandKind::Variable {
                name: "null.x".into(),
                quoted: false,
            },
        ),
        (
            "not-a-keyword",
            OperandKind::Variable {
                name: "not-a-keyword".into(),
                quoted: false,
            },
        ),
        (
            "'request.header.help!me'",
            OperandKind::Variable {
                name: "request.header.help!me".into(),
                quoted: true,
            },
        ),
        (
            "'and'",
            OperandKind::Variable {
                name: "and".into(),
                quoted: true,
            },
        ),
        (
            "'true'",
            OperandKind::Variable {
                name: "true".into(),
                quoted: true,
            },
        ),
    ];
    for (rhs, kind) in table {
        let text = format!("x = {rhs}");
        let e = parse_ok(&text);
        let c = comparison(&e);
        assert_eq!(&c.rhs.kind, kind, "{text}");
        assert_eq!(&text[c.rhs.span.clone()], *rhs, "{text}");
    }
}

#[test]
fn number_next_to_operators() {
    let e = parse_ok("x>=-1");
    let c = comparison(&e);
    assert_eq!(
        (c.op, &c.rhs.kind),
        (
            Op::GreaterThanOrEquals,
            &OperandKind::Number(Number::Int(-1))
        )
    );
    // A hyphen inside a name is part of the name, never a minus.
    let e = parse_ok("request.header.X-1=1");
    let c = comparison(&e);
    assert_eq!(
        c.lhs.kind,
        OperandKind::Variable {
            name: "request.header.X-1".into(),
            quoted: false
        }
    );
}

#[test]
fn bare_operands() {
    for (text, kind) in [
        (
            "flow.cachehit",
            OperandKind::Variable {
                name: "flow.cachehit".into(),
                quoted: false,
            },
        ),
        ("true", OperandKind::Bool(true)),
        ("\"x\"", OperandKind::Str("x".into())),
    ] {
        let e = parse_ok(text);
        assert_eq!(
            e.kind,
            ExprKind::Bare(Operand {
                kind,
                span: 0..text.len()
            })
        );
    }
}

#[test]
fn printed_forms() {
    for (text, printed) in [
        ("a Equals \"x\"", "a = \"x\""),
        ("a IsNot null", "a != null"),
        ("a LesserThanOrEquals 5L", "a <= 5L"),
        ("a Like \"*x\"", "a ~ \"*x\""),
        ("a = 1.0", "a = 1.0"),
        ("a = 2F", "a = 2.0f"),
        ("a = 3d", "a = 3.0"),
        ("'help!me' = x", "'help!me' = x"),
        ("'plain' = x", "plain = x"),
        ("not a = \"x\"", "!(a = \"x\")"),
        ("!!a", "!!a"),
        ("((a))", "a"),
        ("a or (b or c)", "a or (b or c)"),
        ("(a or b) or c", "a or b or c"),
        ("a and (b and c)", "a and (b and c)"),
        ("a or b and c", "a or (b and c)"),
        ("(a or b) and c", "(a or b) and c"),
        ("!(a and b)", "!(a and b)"),
    ] {
        assert_eq!(parse_ok(text).to_string(), printed, "{text}");
    }
}

#[test]
fn empty_conditions() {
    for text in ["", " ", "\n\t  \r\n"] {
        assert_eq!(parse(text), Ok(None), "{text:?}");
        assert_eq!(eval_condition(None, &MapEnv::new()), Truth::True);
    }
}

#[test]
fn variables_in_source_order() {
    let e = parse_ok("(a = b) and !c or \"x\" = 'd e' or f ~~ \"g\"");
    let names: Vec<_> = e
        .variables()
        .iter()
        .map(|o| match &o.kind {
            OperandKind::Variable { name, .. } => name.as_str(),
            other => panic!("not a variable: {other:?}"),
        })
        .collect();
    assert_eq!(names, ["a", "b", "c", "d e", "f"]);
}
