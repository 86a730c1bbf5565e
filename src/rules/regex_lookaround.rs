use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use std::ops::Range;

declare_rule!(
    /// A RegularExpressionProtection pattern with a lookahead or lookbehind that repeats without
    /// bound, which the regular-expression engine runs again at every position of the text.
    RegexLookaround,
    "regex-lookaround",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO018],
    policy_kinds = [RegularExpressionProtection],
);

impl Rule for RegexLookaround {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let Some(view) = policy.regex_protection() else {
            return;
        };
        // A policy no request runs costs nothing: unattached-policy or unreachable-step says so.
        if !cx.engine.policy_may_run(policy.id) {
            return;
        }
        for pattern in &view.patterns {
            let Some(range) = unbounded_lookarounds(&pattern.value).into_iter().next() else {
                continue;
            };
            let lookaround = &pattern.value[range];
            out.push(
                Diagnostic::new(
                    &Self::META,
                    pattern.span,
                    format!(
                        "the lookaround `{lookaround}` of this pattern repeats without bound, at \
                         every position of the text it screens"
                    ),
                )
                .primary_label("a lookaround with `*`, `+` or `{n,}` inside")
                .help(
                    "a lookaround is tried again at each position of the text, and one that \
                     repeats without bound may scan to the end each time: the cost grows with \
                     the square of the payload, which is what an attacker controls. Match the \
                     text without the lookaround, or bound its repetition ({0,100}) \
                     (Apigee antipattern: greedy quantifiers in RegularExpressionProtection)",
                ),
        );
        }
    }
}

/// The lookaheads and lookbehinds (`(?=`, `(?!`, `(?<=`, `(?<!`) of a Java regular expression
/// whose body holds an unbounded quantifier (`*`, `+`, `{n,}`), as byte ranges from their `(`
/// to their `)`, in the order they open. Escapes, `\Q…\E` and character classes are skipped.
fn unbounded_lookarounds(pattern: &str) -> Vec<Range<usize>> {
    let bytes = pattern.as_bytes();
    // Open groups: where each lookaround began, `None` for other groups; and whether it repeats.
    let mut groups: Vec<(Option<usize>, bool)> = Vec::new();
    let mut found = Vec::new();
    let mut class_depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'Q') => {
                i = pattern[i + 2..].find("\\E").map_or(bytes.len(), |e| i + 2 + e + 2);
                continue;
            }
            b'\\' => i += 1,
            b'[' => class_depth += 1,
            b']' if class_depth > 0 => class_depth -= 1,
            _ if class_depth > 0 => {}
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
        i += 1;
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
    use super::unbounded_lookarounds;

    fn found(pattern: &str) -> Vec<&str> {
        unbounded_lookarounds(pattern)
            .into_iter()
            .map(|r| &pattern[r])
            .collect()
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
