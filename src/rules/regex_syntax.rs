//! A light scan of Java regular expressions (RegularExpressionProtection's patterns): which bytes
//! are syntax, and the lookarounds that repeat without bound.

use super::Context;
use crate::model::{Policy, Valued};
use std::ops::Range;

/// The `<Pattern>`s of a RegularExpressionProtection that some request runs; none for other
/// policies, or one that never runs (it costs nothing: unattached-policy or unreachable-step
/// says so).
pub(super) fn screening_patterns<'p>(cx: &Context, policy: &'p Policy) -> &'p [Valued] {
    match policy.regex_protection() {
        Some(view) if cx.engine.policy_may_run(policy.id) => &view.patterns,
        _ => &[],
    }
}

/// The byte offsets of `pattern` that are regular-expression syntax: outside escapes (`\x`),
/// `\Q…\E` quotes and character classes (`[…]`, nested ones included, the brackets too).
pub(super) fn syntax_offsets(pattern: &str) -> Vec<usize> {
    let bytes = pattern.as_bytes();
    let mut offsets = Vec::new();
    let mut class_depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'Q') => {
                i = pattern[i + 2..]
                    .find("\\E")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                continue;
            }
            b'\\' => i += 1,
            b'[' => class_depth += 1,
            b']' if class_depth > 0 => class_depth -= 1,
            _ if class_depth > 0 => {}
            _ => offsets.push(i),
        }
        i += 1;
    }
    offsets
}

/// The lookaheads and lookbehinds (`(?=`, `(?!`, `(?<=`, `(?<!`) of a Java regular expression
/// whose body holds an unbounded quantifier (`*`, `+`, `{n,}`), as byte ranges from their `(`
/// to their `)`, in the order they open.
pub(super) fn unbounded_lookarounds(pattern: &str) -> Vec<Range<usize>> {
    // Open groups: where each lookaround began, `None` for other groups; and whether it repeats.
    let mut groups: Vec<(Option<usize>, bool)> = Vec::new();
    let mut found = Vec::new();
    for i in syntax_offsets(pattern) {
        match pattern.as_bytes()[i] {
            b'(' => {
                let rest = &pattern[i..];
                let lookaround = ["(?=", "(?!", "(?<=", "(?<!"]
                    .iter()
                    .any(|open| rest.starts_with(open));
                groups.push((lookaround.then_some(i), false));
            }
            b')' => {
                if let Some((Some(start), true)) = groups.pop() {
                    found.push(start..i + 1);
                }
            }
            b'*' | b'+' => repeats(&mut groups),
            b'{' if is_open_ended(&pattern[i..]) => repeats(&mut groups),
            _ => {}
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

/// A quantifier without bound inside every open group: the lookarounds among them repeat.
fn repeats(groups: &mut [(Option<usize>, bool)]) {
    for group in groups.iter_mut() {
        group.1 = true;
    }
}

/// Does `text` start with an open-ended `{n,}` quantifier?
fn is_open_ended(text: &str) -> bool {
    let Some(end) = text.find('}') else {
        return false;
    };
    text[1..end]
        .strip_suffix(',')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::{syntax_offsets, unbounded_lookarounds};

    fn found(pattern: &str) -> Vec<&str> {
        unbounded_lookarounds(pattern)
            .into_iter()
            .map(|r| &pattern[r])
            .collect()
    }

    #[test]
    fn escapes_quotes_and_classes_are_not_syntax() {
        let syntax = |p: &str| -> String {
            syntax_offsets(p)
                .into_iter()
                .map(|i| p.as_bytes()[i] as char)
                .collect()
        };
        assert_eq!(syntax("a\\.b"), "ab");
        assert_eq!(syntax("[.*]x"), "x");
        assert_eq!(syntax("[a[b]]*"), "*");
        assert_eq!(syntax("\\Q.*\\E.+"), ".+");
        assert_eq!(syntax("\\Q.*"), "");
    }

    #[test]
    fn lookarounds_that_repeat_without_bound_are_found() {
        assert_eq!(found("^(?=.*<script)"), ["(?=.*<script)"]);
        assert_eq!(found("(?!(a|b)+x)y"), ["(?!(a|b)+x)"]);
        assert_eq!(found("(?=a{2,})b"), ["(?=a{2,})"]);
        assert_eq!(found("(?!x*y)(?=.+)"), ["(?!x*y)", "(?=.+)"]);
        assert_eq!(found("(?=(?<=a)b+)"), ["(?=(?<=a)b+)"]);
    }

    #[test]
    fn other_constructs_are_not_lookarounds_that_repeat() {
        for pattern in [
            "(?<!\\\\)\"",
            "(?=select)",
            "(?=a{1,5})",
            "(?i)(select|drop).*",
            "(?<name>a+)",
            "\\(?=.*",
            "[(?=.*]",
            "\\Q(?=.*\\E",
            "(?/(@?[\\w_?\\w:\\*]+(\\[[^]]+\\])*)?)+",
        ] {
            assert!(found(pattern).is_empty(), "{pattern}");
        }
    }
}
