use super::lifetime::{lifetimes, Literal};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A lifetime whose text is not a number, such as a variable name where `ref=` was meant.
    TokenLifetimeNotANumber,
    "token-lifetime-not-a-number",
    OAuth,
    Error,
    policy_kinds = [OAuthV2],
);

impl Rule for TokenLifetimeNotANumber {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        // Whatever the operation: Apigee refuses the text all the same.
        for lifetime in lifetimes(policy) {
            let Some((text, Literal::NotANumber)) = lifetime.literal() else {
                continue;
            };
            let help = if names_a_variable(&text.value) && lifetime.reference().is_none() {
                format!(
                    "to read the lifetime from the variable `{}`, write <{} ref=\"{}\"/>: the \
                     element's text is taken as a number",
                    text.value, lifetime.tag, text.value
                )
            } else {
                format!(
                    "write <{}> as a whole number of milliseconds, or -1: 1800000 for 30 minutes",
                    lifetime.tag
                )
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    text.span,
                    format!(
                        "<{}> of `{}` holds `{}`, not a number of milliseconds{}",
                        lifetime.tag,
                        policy.name,
                        text.value,
                        lifetime.unless_resolved(),
                    ),
                )
                .primary_label("Apigee takes only a positive integer or -1 here")
                .help(help),
            );
        }
    }
}

/// A dotted or underscored name (`token_expiry`, `app.attr.ttl`), not a duration with a unit
/// (`30m`) or a stray word.
fn names_a_variable(text: &str) -> bool {
    text.contains(['.', '_'])
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}
