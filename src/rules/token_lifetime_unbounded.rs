use super::lifetime::{lifetimes, Literal, Issued};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A lifetime of -1: the token lives as long as the platform lets it.
    TokenLifetimeUnbounded,
    "token-lifetime-unbounded",
    OAuth,
    Error,
    policy_kinds = [OAuthV2],
);

impl Rule for TokenLifetimeUnbounded {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        for lifetime in lifetimes(policy) {
            let (Some(token), Some((_, Literal::Unbounded))) =
                (lifetime.token, lifetime.literal())
            else {
                continue;
            };
            // -1 is "infinite" on Edge (✔); on X it is believed to be the platform's maximum (○),
            // so only Edge is told more than that no bound is set.
            let lives = match cx.profile {
                Some(Profile::Edge) => "never expire",
                _ => "live as long as the platform allows",
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    lifetime.source.span,
                    format!(
                        "`{}` sets no lifetime for its {}s{}: with -1 they {lives}",
                        policy.name,
                        token.noun(),
                        lifetime.unless_resolved(),
                    ),
                )
                .primary_label("-1: no bound of its own")
                .help(format!(
                    "give <{}> a lifetime in milliseconds, such as {}",
                    lifetime.tag,
                    suggested(token)
                )),
            );
        }
    }
}

/// A lifetime to start from, with its source.
fn suggested(token: Issued) -> &'static str {
    match token {
        Issued::AccessToken => "1800000 (30 minutes, as Apigee suggests)",
        Issued::RefreshToken => "86400000 (1 day, where Apigee suggests starting)",
        Issued::AuthorizationCode => "600000 (10 minutes, RFC 6749's most)",
    }
}
