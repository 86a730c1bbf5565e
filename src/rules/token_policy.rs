//! What the OAuth rules ask alike of a policy: whether it runs, which operation it names, and
//! where it is attached.

use super::{BundleRef, Context};
use crate::catalog::facts::TokenAction;
use crate::catalog::OAuthOperation;
use crate::diagnostic::Diagnostic;
use crate::model::{OAuthV2View, Policy};

/// The view and operation of an enabled OAuthV2 that some request may run, when its
/// `<Operation>` names an operation: a rule whose claim depends on the operation leaves a policy
/// without one alone.
pub(super) fn running_operation<'p>(
    cx: &Context,
    bundle: BundleRef,
    policy: &'p Policy,
) -> Option<(&'p OAuthV2View, OAuthOperation)> {
    let view = policy.oauth_v2()?;
    let operation = view.operation()?;
    runs(cx, bundle, policy).then_some((view, operation))
}

/// The view of a running OAuthV2 that issues tokens for the grants `<SupportedGrantTypes>` allows
/// (GenerateAccessToken and its JWT twin).
pub(super) fn running_token_policy<'p>(
    cx: &Context,
    bundle: BundleRef,
    policy: &'p Policy,
) -> Option<&'p OAuthV2View> {
    let (view, operation) = running_operation(cx, bundle, policy)?;
    (operation.action() == TokenAction::IssuesTokens).then_some(view)
}

/// Whether the policy is enabled and some request may run it.
pub(super) fn runs(cx: &Context, bundle: BundleRef, policy: &Policy) -> bool {
    policy.enabled && cx.engine.may_run(bundle.id, &policy.name)
}

/// The finding with a label at each Step that attaches the policy.
pub(super) fn attached(
    mut diagnostic: Diagnostic,
    cx: &Context,
    bundle: BundleRef,
    policy: &Policy,
) -> Diagnostic {
    for step in cx.engine.attachments(bundle.id, &policy.name) {
        diagnostic = diagnostic.label(step.name_span, "attached here");
    }
    diagnostic
}
