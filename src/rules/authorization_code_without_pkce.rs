use super::token_policy::{attached, condition_texts, running_operation};
use super::{declare_rule, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// Authorization codes issued in a project where nothing handles a PKCE code challenge.
    AuthorizationCodeWithoutPkce,
    "authorization-code-without-pkce",
    OAuth,
    Warning,
    preview = true,
);

/// What any PKCE implementation names somewhere: the request parameters, or the word itself in
/// a policy's, script's or cache key's name.
const PKCE_WORDS: [&str; 3] = ["code_challenge", "code_verifier", "pkce"];

impl Rule for AuthorizationCodeWithoutPkce {
    fn check_project(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let project = cx.project;
        let names_pkce = |text: &str| {
            let text = text.to_ascii_lowercase();
            PKCE_WORDS.iter().any(|w| text.contains(w))
        };
        let mentioned = project.bundles.iter().any(|bundle| {
            condition_texts(bundle).any(names_pkce)
                || bundle.policies.iter().any(|p| {
                    names_pkce(&p.name) || p.mentioned_names().into_iter().any(names_pkce)
                })
        });
        if mentioned {
            return;
        }
        for policy in project.bundles.iter().flat_map(|b| &b.policies) {
            let Some((view, operation)) = running_operation(cx, policy) else {
                continue;
            };
            if operation.action() != TokenAction::IssuesCode {
                continue;
            }
            let at = view.operation.as_ref().map_or(policy.name_span, |o| o.raw.span);
            let diagnostic = Diagnostic::new(
                &Self::META,
                at,
                format!(
                    "`{}` issues authorization codes, and nothing in the project handles a PKCE code_challenge",
                    policy.name
                ),
            )
            .primary_label("a stolen or injected code can be exchanged by whoever holds it");
            out.push(attached(diagnostic, cx, policy).help(
                "Apigee has no built-in PKCE: store request.queryparam.code_challenge (S256 only) with the \
                 code at the authorization endpoint (an <Attribute> of this policy, or a cache), and at the \
                 token endpoint refuse the exchange unless BASE64URL(SHA-256(code_verifier)) equals it \
                 (RFC 9700 §2.1.1, RFC 7636)",
            ));
        }
    }
}
