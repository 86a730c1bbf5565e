use super::token_policy::{
    attached, condition_texts, failure_evidence_prefixes, failure_prefix, runs,
};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::{Credential, Guard, TokenAction};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// An OAuth or credential-checking policy with `continueOnError="true"` whose failure nothing
    /// reads.
    OAuthPolicyContinuesOnError,
    "oauth-policy-continues-on-error",
    OAuth,
    Warning,
);

impl Rule for OAuthPolicyContinuesOnError {
    fn check_policy(
        &self,
        cx: &Context,
        bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        if !policy.continue_on_error || !runs(cx, policy) {
            return;
        }
        let Some(what) = gate(policy) else {
            return;
        };
        // The engine knows where the policy's own outcome is read after it runs.
        let placements = cx.engine.placements(policy.id);
        if placements
            .into_iter()
            .any(|p| cx.engine.outcome_use(p).decides_request())
        {
            return;
        }
        // The kind's flags for all its policies (`JWT.failed`), and conditions that do not parse,
        // are looked for in the text: a mention is enough to stay silent.
        let prefixes: Vec<String> = failure_evidence_prefixes(policy)
            .into_iter()
            .map(|p| p.to_ascii_lowercase())
            .collect();
        let mentioned = condition_texts(&bundle).any(|text| {
            let text = text.to_ascii_lowercase();
            prefixes.iter().any(|p| text.contains(p.as_str()))
        });
        if mentioned {
            return;
        }
        let diagnostic = Diagnostic::new(
            &Self::META,
            policy.name_span,
            format!(
                "`{}` continues on error, and no condition reads whether it failed",
                policy.name
            ),
        )
        .primary_label(format!(
            "continueOnError=\"true\": when its {what} fails, the request goes on as if it had succeeded"
        ));
        out.push(attached(diagnostic, cx, policy).help(format!(
            "remove continueOnError=\"true\" and handle the fault in a FaultRule, or follow the step \
             with a RaiseFault whose condition is `{}.{}.failed = true`",
            failure_prefix(policy),
            policy.name
        )));
    }
}

/// What the policy decides for the request, when a failure of it should stop the request: an
/// OAuthV2 that verifies a token or issues one (a revocation may fail quietly: RFC 7009 §2.2
/// answers 200 for an invalid token, and ValidateToken re-approves), and the API key, JWT and JWS
/// verifications. GetOAuthV2Info only looks a token up, and an OAuthV2 without `<Operation>` may
/// be a revocation.
fn gate(policy: &Policy) -> Option<String> {
    if policy.oauth_v2().is_some() {
        let operation = policy.operation()?;
        return match operation.action() {
            TokenAction::RevokesTokens | TokenAction::ReapprovesTokens => None,
            _ => Some(operation.name().to_owned()),
        };
    }
    match policy.facts().guard {
        Some(Guard::Verifies(credential)) if credential != Credential::OAuth => {
            Some(format!("{} check", policy.kind_name()))
        }
        _ => None,
    }
}
