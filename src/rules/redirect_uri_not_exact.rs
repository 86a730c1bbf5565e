use super::condition_walk::comparisons;
use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::condition::{Op, OperandKind};
use crate::engine::ParsedCondition;

declare_rule!(
    /// A condition that checks a redirect URI by prefix, pattern or without case, not exactly.
    RedirectUriNotExact,
    "redirect-uri-not-exact",
    OAuth,
    Warning,
);

impl Rule for RedirectUriNotExact {
    fn check_condition(&self, _: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let condition = parsed.condition;
        for comparison in comparisons(expr) {
            if !matches!(
                comparison.op,
                Op::StartsWith
                    | Op::Matches
                    | Op::NotMatches
                    | Op::JavaRegex
                    | Op::MatchesPath
                    | Op::EqualsCaseInsensitive
            ) {
                continue;
            }
            let redirect = [&comparison.lhs, &comparison.rhs].into_iter().find(|o| {
                matches!(&o.kind, OperandKind::Variable { name, .. }
                    if name.to_ascii_lowercase().ends_with("redirect_uri"))
            });
            let Some(redirect) = redirect else {
                continue;
            };
            let variable = &condition.text[redirect.span.clone()];
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span_of(comparison.op_span.clone()),
                    format!(
                        "`{variable}` is checked with {}, not compared exactly",
                        comparison.op.word()
                    ),
                )
                .primary_label("any redirect URI that passes this check receives codes and tokens")
                .label(condition.span_of(redirect.span.clone()), "the redirect URI")
                .help(
                    "compare the whole URI with `=` or `!=` against the registered callback, or leave the \
                     check to GenerateAuthorizationCode, which matches the app's callback URLs: a prefix or a \
                     pattern lets an attacker's URI on the same host, or a look-alike, receive the code \
                     (RFC 9700 §2.1, §4.1.3)",
                ),
            );
        }
    }
}
