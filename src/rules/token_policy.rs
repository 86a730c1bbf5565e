//! What the OAuth rules ask alike of a policy: whether it runs, which operation it names, and
//! where it is attached.

use super::Context;
use crate::catalog::facts::{Sets, TokenAction};
use crate::catalog::OAuthOperation;
use crate::diagnostic::Diagnostic;
use crate::model::{Bundle, OAuthV2View, Policy, Valued};

/// The view and operation of an enabled OAuthV2 that some request may run, when its
/// `<Operation>` names an operation: a rule whose claim depends on the operation leaves a policy
/// without one alone.
pub(super) fn running_operation<'p>(
    cx: &Context,
    policy: &'p Policy,
) -> Option<(&'p OAuthV2View, OAuthOperation)> {
    let view = policy.oauth_v2()?;
    let operation = view.operation()?;
    runs(cx, policy).then_some((view, operation))
}

/// The view of a running OAuthV2 that issues tokens for the grants `<SupportedGrantTypes>` allows
/// (GenerateAccessToken and its JWT twin).
pub(super) fn running_token_policy<'p>(
    cx: &Context,
    policy: &'p Policy,
) -> Option<&'p OAuthV2View> {
    let (view, operation) = running_operation(cx, policy)?;
    (operation.action() == TokenAction::IssuesTokens).then_some(view)
}

/// The view of a running OAuthV2 that answers token requests (RFC 6749 §3.2): it issues tokens
/// for a grant or exchanges a refresh token.
pub(super) fn running_token_endpoint<'p>(
    cx: &Context,
    policy: &'p Policy,
) -> Option<&'p OAuthV2View> {
    let (view, operation) = running_operation(cx, policy)?;
    matches!(
        operation.action(),
        TokenAction::IssuesTokens | TokenAction::ExchangesRefreshToken
    )
    .then_some(view)
}

/// Whether some request may run the policy (never a disabled one).
pub(super) fn runs(cx: &Context, policy: &Policy) -> bool {
    cx.engine.policy_may_run(policy.id)
}

/// The finding with a label at each Step that attaches the policy.
pub(super) fn attached(mut diagnostic: Diagnostic, cx: &Context, policy: &Policy) -> Diagnostic {
    for &step in cx.project.attachments_of(policy.id) {
        diagnostic = diagnostic.label(cx.project.step(step).name_span, "attached here");
    }
    diagnostic
}

/// Prefixes of the variables through which a run of the policy can be told to have failed: its
/// own outcome (`{family}.{policy}.`, `{failure prefix}.{policy}.`), the kind's flag for any of its
/// policies (`{failure prefix}.failed`, such as `JWT.failed`), and what the kind sets for all its
/// policies alike (`jwt.`).
pub(super) fn failure_evidence_prefixes(policy: &Policy) -> Vec<String> {
    let facts = policy.facts();
    let failure = failure_prefix(policy);
    let mut prefixes: Vec<String> = facts
        .outcome
        .iter()
        .chain([&failure.as_str()])
        .map(|family| format!("{family}.{}.", policy.name))
        .collect();
    prefixes.push(format!("{failure}.failed"));
    if let Sets::Prefixed(shared) = facts.sets {
        prefixes.extend(shared.iter().map(|p| (*p).to_owned()));
    }
    prefixes
}

/// The prefix of `{prefix}.{policy}.failed`: the kind's own, else its name in lower case (✔ fault
/// handling).
pub(super) fn failure_prefix(policy: &Policy) -> String {
    policy
        .facts()
        .failure_prefix
        .map_or_else(|| policy.kind_name().to_ascii_lowercase(), str::to_owned)
}

/// Whether an element names a query parameter as the variable holding its value.
pub(super) fn from_query(variable: &Valued) -> bool {
    let value = variable.value.trim();
    value.len() > QUERY.len() && value[..QUERY.len()].eq_ignore_ascii_case(QUERY)
}

const QUERY: &str = "request.queryparam.";

/// The text of every `<Condition>` of the bundle: of flows, steps and route rules.
pub(super) fn condition_texts(bundle: &Bundle) -> impl Iterator<Item = &str> {
    let flows = bundle.all_flows().flat_map(|f| {
        let steps = f.request.iter().chain(&f.response);
        f.condition
            .iter()
            .chain(steps.filter_map(|s| s.condition.as_ref()))
    });
    let routes = bundle
        .proxy_endpoints
        .iter()
        .flat_map(|e| e.route_rules.iter().filter_map(|r| r.condition.as_ref()));
    flows.chain(routes).map(|c| c.text.as_str())
}
