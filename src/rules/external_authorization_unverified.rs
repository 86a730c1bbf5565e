use super::token_policy::{attached, runs};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyView, Valued};

declare_rule!(
    /// `oauth_external_authorization_status` set to a literal true where no credential check runs
    /// first, for an OAuthV2 that trusts it instead of checking the client.
    ExternalAuthorizationUnverified,
    "external-authorization-unverified",
    OAuth,
    Error,
    preview = true,
    policy_kinds = [AssignMessage],
);

/// The variable an OAuthV2 with `<ExternalAuthorization>true` reads instead of checking the
/// client's credentials (apigee-oauth-reference.md §1.2).
const STATUS: &str = "oauth_external_authorization_status";

impl Rule for ExternalAuthorizationUnverified {
    fn check_policy(
        &self,
        cx: &Context,
        bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(value) = literal_true_status(policy) else {
            return;
        };
        let trusting: Vec<&Policy> = bundle
            .policies
            .iter()
            .filter(|p| trusts_external_authorization(p) && runs(cx, p))
            .collect();
        if trusting.is_empty() || !runs(cx, policy) {
            return;
        }
        // Silent when a credential check may run before it, on some path.
        let project = cx.project;
        let checked = project.bundle_ids().any(|b| {
            project.bundle(b).policies.iter().any(|guard| {
                guard.facts().guard.is_some()
                    && !trusts_external_authorization(guard)
                    && cx
                        .engine
                        .placements(guard.id)
                        .into_iter()
                        .any(|at| cx.engine.may_run_after(at, |p| p.id == policy.id))
            })
        });
        if checked {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &Self::META,
            value.span,
            format!(
                "`{}` sets {STATUS} to true with no credential check before it",
                policy.name
            ),
        )
        .primary_label("every caller is taken as authenticated");
        for trusting in &trusting {
            diagnostic = diagnostic.label(
                trusting.name_span,
                format!("`{}` issues tokens on this variable's word", trusting.name),
            );
        }
        out.push(attached(diagnostic, cx, policy).help(format!(
            "check the caller first (a ServiceCallout to the identity provider whose answer is tested, \
             VerifyJWT, BasicAuthentication and a comparison, VerifyAPIKey) and set {STATUS} from its \
             result (`<Ref>`), or remove <ExternalAuthorization> so that Apigee checks the client \
             credentials itself (RFC 9700 §2.5)"
        )));
    }
}

/// The literal `true` an `<AssignVariable>` of the policy gives the status variable.
fn literal_true_status(policy: &Policy) -> Option<&Valued> {
    let PolicyView::AssignMessage(view) = &policy.view else {
        return None;
    };
    view.assign_variables.iter().find_map(|a| {
        let named = a.name.as_ref()?.value.trim() == STATUS;
        let literal = a.reference.is_none() && a.template.is_none();
        let value = a.value.as_ref()?;
        (named && literal && value.value.trim().eq_ignore_ascii_case("true")).then_some(value)
    })
}

fn trusts_external_authorization(policy: &Policy) -> bool {
    policy
        .oauth_v2()
        .and_then(|v| v.external_authorization.as_ref())
        .is_some_and(|f| f.is_true())
}
