use super::lifetime::lifetimes;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A lifetime read from the request, so that the caller chooses how long its token lives.
    TokenLifetimeClientControlled,
    "token-lifetime-client-controlled",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
);

/// The variables that hold what the caller sent.
const FROM_THE_CALLER: [&str; 3] = [
    "request.queryparam.",
    "request.header.",
    "request.formparam.",
];

impl Rule for TokenLifetimeClientControlled {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        for lifetime in lifetimes(policy) {
            let (Some(token), Some(reference)) = (lifetime.token, lifetime.reference()) else {
                continue;
            };
            let name = reference.value.to_ascii_lowercase();
            if !FROM_THE_CALLER.iter().any(|p| name.starts_with(p)) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &Self::META,
                    reference.span,
                    format!(
                        "<{}> of `{}` is read from `{}`: the caller chooses how long its {} lives",
                        lifetime.tag,
                        policy.name,
                        reference.value,
                        token.noun(),
                    ),
                )
                .primary_label("sent by the caller")
                .help(
                    "take the lifetime from what the caller cannot set: a literal, a key value \
                     map, or an attribute of the app or API product",
                ),
            );
        }
    }
}
