//! No input panics or exhausts the stack.

use super::*;

/// Past the parser's limits the error says so, and is marked as a limit of the parser rather
/// than a mistake in the condition.
#[test]
fn deep_nesting_is_over_a_limit() {
    let deep = "condition nests `(` and `not` deeper than oauthlint's limit of 256";
    let high = "condition is more than 512 levels of `and`, `or` and `not` deep, oauthlint's limit";
    for (text, message) in [
        // Under the byte limit, the structural limits apply.
        ("(".repeat(4_000) + "a" + &")".repeat(4_000), deep),
        ("(".repeat(8_000), deep),
        ("!".repeat(8_000) + "a", deep),
        ("not ".repeat(4_000) + "a", deep),
        (
            "not ".repeat(200) + "(" + &vec!["a"; 511].join(" and ") + ")",
            high,
        ),
        (vec!["a"; 2_000].join(" and "), high),
        (vec!["a = \"1\""; 1_000].join(" || "), high),
        // Over it, nothing is parsed.
        (
            "(".repeat(100_000),
            "condition is 100000 bytes long, over oauthlint's limit of 16384 bytes (16 KiB)",
        ),
    ] {
        let err = parse(&text).expect_err("must be rejected");
        assert_eq!(err.message, message);
        assert!(err.over_limit, "{message}");
        assert!(err.span.end <= text.len());
    }
    // A mistake is not a limit, even in a long condition.
    let err = parse(&(vec!["a = \"1\""; 500].join(" or ") + " or (")).unwrap_err();
    assert!(!err.over_limit, "{}", err.message);
    // Within the limits, deep trees work end to end.
    let text = "(".repeat(200) + "x" + &")".repeat(200);
    parse_ok(&text);
    let text = vec!["x = \"1\""; 500].join(" or ");
    let e = parse_ok(&text);
    assert_eq!(eval(&e, &MapEnv::new().with("x", s("1"))), Truth::True);
}

/// Every prefix and every single-byte deletion of a set of conditions either parses or
/// errors with a span inside the text and on char boundaries.
#[test]
fn mutations_never_panic() {
    let seeds = [
        "(a.b-c = \"x\") and !(p ~/ \"/a/**\") or 'q r' :=\"Ä\" && n >= -1.5f || m =| \"é\"",
        "x is not null and y IsNot null or z !~ \"*\" and w ~~ \"(?i)a+\"",
        "é'ü\"ö(ä)",
    ];
    let env = MapEnv::new().with("a.b-c", s("x")).with("p", s("/a/b"));
    for seed in seeds {
        let mut variants: Vec<String> = Vec::new();
        for (i, _) in seed.char_indices() {
            variants.push(seed[..i].to_string());
            let mut deleted = seed.to_string();
            deleted.remove(i);
            variants.push(deleted);
        }
        for text in variants {
            match parse(&text) {
                Ok(Some(e)) => {
                    parse_ok(&text);
                    eval(&e, &env);
                }
                Ok(None) => {}
                Err(err) => {
                    assert!(
                        err.span.start <= err.span.end && err.span.end <= text.len(),
                        "{text:?}: {err:?}"
                    );
                    assert!(
                        text.is_char_boundary(err.span.start)
                            && text.is_char_boundary(err.span.end),
                        "{text:?}"
                    );
                    assert!(!err.message.is_empty() && !err.message.ends_with('.'));
                }
            }
        }
    }
}

/// Pseudo-random token soup (deterministic, no dependency).
#[test]
fn token_soup_never_panics() {
    let pieces = [
        "(", ")", "and", "or", "not", "!", "=", "==", "!=", ":=", ">", ">=", "<", "<=", "~", "~~",
        "~/", "=|", "!~", "&&", "||", "\"s\"", "'v'", "x", "1", "-2.5", "null", "true", "is", " ",
        "\"", "'", "é", "&", "|", "-",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let env = MapEnv::new().with("x", s("s"));
    for _ in 0..5_000 {
        let mut text = String::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            text.push(' ');
        }
        seed = seed.wrapping_add(1);
        if let Ok(Some(e)) = parse(&text) {
            parse_ok(&text);
            eval(&e, &env);
        }
    }
}

#[test]
fn pattern_matchers_handle_long_inputs() {
    let long = "/a".repeat(20_000);
    assert_eq!(matches_path("/**/**/**/b", &long), Truth::False);
    assert_eq!(matches_path("/a/**", &long), Truth::True);
    assert_eq!(
        glob_matches(&"*a".repeat(100), &"a".repeat(5_000)),
        Truth::True
    );
    assert_eq!(
        java_regex_matches("(a|aa)*b", &"a".repeat(50_000)),
        Truth::False
    );
    assert_eq!(java_regex_matches(&"(".repeat(10_000), "a"), Truth::Unknown);
}

#[test]
fn overlong_conditions_are_refused() {
    let long = format!(
        "a = \"{}\"",
        "x".repeat(super::super::parser::MAX_CONDITION_BYTES)
    );
    let error = super::super::parse(&long).unwrap_err();
    assert!(error.over_limit);
    assert!(
        error
            .message
            .contains("over oauthlint's limit of 16384 bytes"),
        "{}",
        error.message
    );
}
