use super::regex_syntax::{screening_patterns, unbounded_lookarounds};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

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
        for pattern in screening_patterns(cx, policy) {
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
