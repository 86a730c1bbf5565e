use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::{
    consumes_refresh_token, outcome_variable_prefixes, reads_refresh_token,
};
use crate::engine::pipeline::Program;
use crate::engine::VariableRead;
use crate::model::{Condition, Policy};

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
    fn check_policy(
        &self,
        cx: &Context,
        bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(token) = reads_refresh_token(policy).filter(|_| policy.enabled) else {
            return;
        };
        let prefixes = outcome_variable_prefixes(policy);
        // Places it runs from where its outcome decides the request and nothing
        // exchanges or revokes the refresh token afterwards.
        let mut places = Vec::new();
        let mut reads: Vec<VariableRead> = Vec::new();
        for (program, at) in cx.engine.placements(bundle.id, &policy.name) {
            if !can_run(cx, program, at) || consumed_later(cx, program, at) {
                continue;
            }
            let here = cx.engine.reads(conditions_after(program, at), &prefixes);
            if policy.continue_on_error && here.is_empty() {
                continue;
            }
            places.push(program.steps[at].step.name_span);
            for read in here {
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
        .primary_label(if policy.continue_on_error {
            "validates a refresh token without exchanging it"
        } else {
            "validates a refresh token without exchanging it: with continueOnError false, \
             an unknown or expired token ends the request"
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

/// Can some request run the step placed at `at`?
fn can_run(cx: &Context, program: &Program, at: usize) -> bool {
    cx.engine
        .visits()
        .step(program.steps[at].step)
        .is_some_and(|v| v.condition_held)
}

/// Can a policy that exchanges or revokes refresh tokens run after step `at`?
fn consumed_later(cx: &Context, program: &Program, at: usize) -> bool {
    program.steps.iter().enumerate().any(|(later, placed)| {
        placed
            .policy
            .is_some_and(|p| consumes_refresh_token(p.policy))
            && program.may_follow(at, later)
            && can_run(cx, program, later)
    })
}

/// Conditions evaluated after step `at` runs: of later steps and flows, of the error path, and
/// of the endpoint's route rules.
fn conditions_after<'p>(program: &Program<'p>, at: usize) -> Vec<&'p Condition> {
    let mut conditions: Vec<&Condition> = Vec::new();
    for (later, placed) in program.steps.iter().enumerate() {
        if program.may_follow(at, later) || (later != at && placed.stage.is_error_path()) {
            conditions.extend(placed.guards.iter().copied());
        }
    }
    if let Some(endpoint) = program.endpoint {
        conditions.extend(
            endpoint
                .route_rules
                .iter()
                .filter_map(|r| r.condition.as_ref()),
        );
    }
    conditions.sort_by_key(|c| c.span);
    conditions.dedup_by_key(|c| c.span);
    conditions
}
