use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{consumes_refresh_token, reads_refresh_token};
use crate::engine::VariableRead;
use crate::model::Policy;

declare_rule!(
    /// GetOAuthV2Info used to decide whether a refresh token is good, instead of exchanging it.
    GetOAuthV2InfoValidatesRefreshToken,
    "getoauthv2info-validates-refresh-token",
    OAuth,
    Warning,
    policy_kinds = [GetOAuthV2Info],
);

/// At most this many places where the outcome is read are labelled, to keep the finding short.
const MAX_READ_LABELS: usize = 3;

impl Rule for GetOAuthV2InfoValidatesRefreshToken {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let Some(token) = reads_refresh_token(policy) else {
            return;
        };
        // Places it runs from where its outcome decides the request and nothing exchanges or
        // revokes the refresh token afterwards.
        let mut places = Vec::new();
        let mut reads: Vec<VariableRead> = Vec::new();
        let mut failure_ends_request = false;
        for placement in cx.engine.placements(policy.id) {
            if cx.engine.may_run_after(placement, consumes_refresh_token) {
                continue;
            }
            let outcome = cx.engine.outcome_use(placement);
            if !outcome.decides_request() {
                continue;
            }
            failure_ends_request = outcome.failure_ends_request;
            places.push(cx.project.step(placement.step).name_span);
            for read in outcome.reads {
                if !reads.iter().any(|r| r.span == read.span) {
                    reads.push(read);
                }
            }
        }
        if places.is_empty() {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &Self::META,
            policy.name_span,
            format!(
                "`{}` looks up a refresh token with GetOAuthV2Info to decide the request, \
                 and nothing exchanges or revokes the token afterwards",
                policy.name
            ),
        )
        .primary_label(if failure_ends_request {
            "validates a refresh token without exchanging it: with continueOnError false, \
             an unknown or expired token ends the request"
        } else {
            "validates a refresh token without exchanging it"
        })
        .label(token.span, "the refresh token looked up");
        reads.sort_by_key(|r| r.span);
        for read in reads.iter().take(MAX_READ_LABELS) {
            diagnostic = diagnostic.label(
                read.span,
                format!("`{}` decides what happens next", read.variable),
            );
        }
        for span in places {
            diagnostic = diagnostic.label(span, "runs here; no RefreshAccessToken follows");
        }
        out.push(diagnostic.help(
            "exchange the token with an OAuthV2 policy whose <Operation> is RefreshAccessToken: GetOAuthV2Info \
             returns refresh token data regardless of its status (a revoked token still reads as found) and \
             never rotates the token, so a stolen refresh token stays usable; reading attributes is fine when \
             a RefreshAccessToken runs after it on the same path",
        ));
    }
}
