use super::lifetime::{human, lifetimes, Literal};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A lifetime read from `flow.variable`, the placeholder of Apigee's documentation.
    TokenLifetimePlaceholderRef,
    "token-lifetime-placeholder-ref",
    OAuth,
    Warning,
    preview = true,
    policy_kinds = [OAuthV2],
);

/// The variable name Apigee's OAuthV2 reference writes in its samples of `ref=`.
const PLACEHOLDER: &str = "flow.variable";

impl Rule for TokenLifetimePlaceholderRef {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        // Whatever the operation: the name is a placeholder all the same.
        for lifetime in lifetimes(policy) {
            let Some(reference) = lifetime.reference().filter(|r| r.value == PLACEHOLDER) else {
                continue;
            };
            let instead = match lifetime.literal() {
                Some((_, Literal::Millis(ms))) => format!("its text ({})", human(ms)),
                Some((text, _)) => format!("its text (`{}`)", text.value),
                None => "the platform's default".to_owned(),
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    reference.span,
                    format!(
                        "<{}> of `{}` reads `{PLACEHOLDER}`, the placeholder of Apigee's \
                         documentation: unless a policy sets it, {instead} applies",
                        lifetime.tag, policy.name
                    ),
                )
                .primary_label("the documentation's placeholder")
                .help(format!(
                    "name the variable that holds the lifetime in ref=, or remove ref= to use \
                     {instead}"
                )),
            );
        }
    }
}
