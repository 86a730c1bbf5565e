use super::project::{in_bundle, why_never_runs};
use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{issues_tokens, revokes_tokens};
use crate::model::Policy;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// Tokens are issued, but no policy of the project that may run revokes them.
    NoTokenRevocation,
    "no-token-revocation",
    OAuth,
    Info,
    options = Revocation,
);

#[derive(Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Revocation {
    /// The URL of a revocation endpoint the repository does not hold; set, the rule is silent.
    pub revocation_endpoint: String,
}

impl Rule for NoTokenRevocation {
    fn check_project_wide(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        if !Self::options(cx).revocation_endpoint.is_empty() {
            return;
        }
        let policies = || cx.policies();
        let runs = |p: &Policy| cx.engine.policy_may_run(p.id);
        // An OAuthV2 without <Operation> may revoke (see `may_exchange_refresh_tokens`).
        let may_revoke = |p: &Policy| {
            revokes_tokens(p) || p.oauth_v2().is_some_and(|v| v.operation.is_none())
        };
        let revokers: Vec<&Policy> = policies().filter(|p| may_revoke(p)).collect();
        if revokers.iter().any(|p| runs(p)) {
            return;
        }
        // One finding for the project, at its first issuer; the others are labelled.
        let issuers: Vec<&Policy> = policies().filter(|p| issues_tokens(p) && runs(p)).collect();
        let Some(first) = issuers.first() else {
            return;
        };
        let others = match issuers.len() {
            1 => String::new(),
            2 => " (and 1 more issuer)".to_owned(),
            n => format!(" (and {} more issuers)", n - 1),
        };
        let mut diagnostic = Diagnostic::new(
            &Self::META,
            first.name_span,
            format!(
                "`{}`{others} issues tokens, but no policy in the project revokes them",
                first.name
            ),
        )
        .primary_label("issues tokens");
        for (i, issuer) in issuers.iter().enumerate() {
            if i > 0 {
                diagnostic = diagnostic.label(issuer.name_span, "issues tokens too");
            }
            for &step in cx.project.attachments_of(issuer.id) {
                let span = cx.project.step(step).name_span;
                diagnostic = diagnostic.label(span, format!("`{}` attached here", issuer.name));
            }
        }
        for revoker in &revokers {
            let why = why_never_runs(cx, revoker).unwrap_or_default();
            let label = format!("{} would revoke them, but {why}", in_bundle(cx, revoker));
            diagnostic = diagnostic.label(revoker.name_span, label);
        }
        out.push(diagnostic.help(
                "give clients a revocation endpoint (RFC 7009): a flow for POST /revoke that authenticates \
                 the client and runs an OAuthV2 policy with <Operation>InvalidateToken</Operation> \
                 (<Token type=\"refreshtoken\" cascade=\"true\">); revocation takes up to 180 s to take \
                 effect; if the endpoint lives in another repository, set `revocation-endpoint` of this rule",
        ));
    }
}
