use super::regex_syntax::{screening_patterns, syntax_offsets, unbounded_lookarounds};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use std::ops::Range;

declare_rule!(
    /// A RegularExpressionProtection pattern with a greedy `.*` or `.+` that more pattern follows.
    RegexGreedyWildcard,
    "regex-greedy-wildcard",
    Bundle,
    Warning,
    preview = true,
    policy_kinds = [RegularExpressionProtection],
);

impl Rule for RegexGreedyWildcard {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        for pattern in screening_patterns(cx, policy) {
            let Some(wildcard) = backtracking_wildcards(&pattern.value).into_iter().next() else {
                continue;
            };
            let wildcard = &pattern.value[wildcard];
            out.push(
                Diagnostic::new(
                    &Self::META,
                    pattern.span,
                    format!(
                        "the greedy `{wildcard}` of this pattern reads to the end of the text and \
                         backs off one character at a time to match what follows"
                    ),
                )
                .primary_label("a greedy wildcard before more pattern")
                .help(format!(
                    "a greedy quantifier first takes the whole text, then gives it back until the \
                     rest of the pattern matches, and tries again from each position: the work \
                     grows with the payload the client sends. Use the reluctant `{wildcard}?` or \
                     the possessive `{wildcard}+`, or drop the wildcard where the pattern is \
                     searched for anywhere (Apigee antipattern: greedy quantifiers in \
                     RegularExpressionProtection)"
                )),
            );
        }
    }
}

/// The greedy `.*` and `.+` of `pattern` that more pattern follows, as byte ranges, in order. A
/// wildcard at the end of the pattern or of an alternative never gives text back; one that is
/// reluctant (`.*?`) or possessive (`.*+`) does not backtrack; one inside a lookaround that
/// repeats is regex-lookaround's.
fn backtracking_wildcards(pattern: &str) -> Vec<Range<usize>> {
    let bytes = pattern.as_bytes();
    let lookarounds = unbounded_lookarounds(pattern);
    syntax_offsets(pattern)
        .into_iter()
        .filter(|&i| bytes[i] == b'.' && matches!(bytes.get(i + 1), Some(b'*' | b'+')))
        .filter(|&i| !matches!(bytes.get(i + 2), Some(b'?' | b'+')))
        .filter(|&i| !ends_alternative(&pattern[i + 2..]))
        .filter(|&i| !lookarounds.iter().any(|l| l.contains(&i)))
        .map(|i| i..i + 2)
        .collect()
}

/// Does the text after a wildcard end its alternative: nothing, `$` or `)`s, then the end or `|`?
fn ends_alternative(rest: &str) -> bool {
    let rest = rest.trim_start_matches([')', '$']);
    rest.is_empty() || rest.starts_with('|')
}

#[cfg(test)]
mod tests {
    use super::backtracking_wildcards;

    fn found(pattern: &str) -> Vec<&str> {
        backtracking_wildcards(pattern)
            .into_iter()
            .map(|r| &pattern[r])
            .collect()
    }

    #[test]
    fn greedy_wildcards_before_more_pattern_are_found() {
        assert_eq!(found(".*Exception in thread.*"), [".*"]);
        assert_eq!(found("^(.+)@(.*)\\.com$"), [".+", ".*"]);
        assert_eq!(found("(.*)x|y"), [".*"]);
    }

    #[test]
    fn wildcards_that_do_not_backtrack_are_silent() {
        for pattern in [
            "select.*",
            "^drop.*$",
            "(a.*)|b",
            ".*?Exception in thread.*",
            ".*+Exception",
            "\\.*x",
            "[.*]x",
            "\\Q.*\\Ex",
            "[\\s]*(?i)((delete)|(exec))",
            "^(?=.*<script)",
        ] {
            assert!(found(pattern).is_empty(), "{pattern}");
        }
    }
}
