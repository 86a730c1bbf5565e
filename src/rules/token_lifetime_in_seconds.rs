use super::lifetime::{duration, human, lifetimes, looks_like_seconds, seconds_bound, Literal};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A lifetime that reads as seconds where Apigee takes milliseconds.
    TokenLifetimeInSeconds,
    "token-lifetime-in-seconds",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
);

impl Rule for TokenLifetimeInSeconds {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        // Whatever the operation: the number reads as seconds all the same.
        for lifetime in lifetimes(policy) {
            let Some((text, Literal::Millis(value))) = lifetime.literal() else {
                continue;
            };
            if !looks_like_seconds(value, seconds_bound(lifetime.tag)) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &Self::META,
                    text.span,
                    format!(
                        "<{}> of `{}` is {value}{}, which reads as {} in seconds, but Apigee takes \
                         milliseconds",
                        lifetime.tag,
                        policy.name,
                        lifetime.unless_resolved(),
                        duration(value * 1000),
                    ),
                )
                .primary_label(human(value))
                .help(format!(
                    "token responses report seconds, <{}> takes milliseconds: for {}, write {}",
                    lifetime.tag,
                    duration(value * 1000),
                    value * 1000,
                )),
            );
        }
    }
}
