use super::caller_check::report_unchecked;
use super::unverified_target_route::backend;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::looks_up_access_token;
use crate::catalog::facts::CREDENTIAL_HEADER;
use crate::model::{Bundle, EndpointRef, Policy, PolicyView, StepId, ValueSource};

declare_rule!(
    /// A policy that looks up an access token's details runs for requests no client check has run for.
    IntrospectionEndpointUnauthenticated,
    "introspection-endpoint-unauthenticated",
    OAuth,
    Warning,
    preview = true,
);

impl Rule for IntrospectionEndpointUnauthenticated {
    fn check_policy(&self, cx: &Context, bundle: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        // The caller's own bearer token is its credential (a userinfo endpoint), not a token
        // it asks about.
        match looks_up_access_token(policy) {
            Some(token) if !callers_own_token(&bundle, token) => {}
            _ => return,
        }
        // Before a backend, a lookup is a (mistaken) verification of the caller's token:
        // token-check-is-not-verification's finding.
        let attached = cx.project.attachments_of(policy.id);
        if !attached.iter().all(|&step| answers_itself(cx, step)) {
            return;
        }
        let any_status = matches!(&policy.view, PolicyView::GetOAuthV2Info(view)
            if view.ignore_access_token_status.as_ref().is_some_and(|v| v.value.trim().eq_ignore_ascii_case("true")));
        let whose = if any_status { ", revoked and expired ones too," } else { "" };
        report_unchecked(
            cx,
            policy,
            &Self::META,
            &format!(
                "`{}` looks up access tokens{whose} for requests that may reach it without any client check",
                policy.name
            ),
            "authorize the caller before answering (RFC 7662 §2.1: to prevent token scanning, the introspection \
             endpoint requires client authentication or a separate access token): run a VerifyAPIKey, a check \
             of the client_id and secret of the Authorization header, or a VerifyAccessToken of the caller's \
             own token earlier on this path",
            out,
        );
    }
}

/// Is the token read from the caller's `Authorization` header, directly or through an
/// ExtractVariables of the bundle?
fn callers_own_token(bundle: &Bundle, token: &ValueSource) -> bool {
    let Some(variable) = token.reference.as_ref().or(token.literal.as_ref()) else {
        return false;
    };
    let variable = variable.value.trim();
    let header = format!("request.header.{CREDENTIAL_HEADER}");
    variable.eq_ignore_ascii_case(&header)
        || bundle.policies.iter().any(|p| {
            matches!(&p.view, PolicyView::ExtractVariables(view) if view.from_headers.iter()
                .any(|(h, set)| h.eq_ignore_ascii_case(CREDENTIAL_HEADER) && set == variable))
        })
}

/// Is the Step in a ProxyEndpoint that answers every request itself, with null RouteRules only,
/// as an introspection endpoint does?
fn answers_itself(cx: &Context, step: StepId) -> bool {
    let flow = cx.project.step_place(step).flow;
    match cx.project.endpoint(cx.project.flow_place(flow).endpoint) {
        EndpointRef::Proxy(endpoint) => endpoint.route_rules.iter().all(|r| backend(r).is_none()),
        _ => false,
    }
}
