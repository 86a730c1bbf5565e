use super::token_policy::runs;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::model::{DeclaredKind, Flow, Policy, PolicyView, ProxyEndpoint, Step};

declare_rule!(
    /// CORS answered on the flows that run the authorization endpoint.
    CorsOnAuthorizationEndpoint,
    "cors-on-authorization-endpoint",
    OAuth,
    Warning,
);

impl Rule for CorsOnAuthorizationEndpoint {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let project = cx.project;
        let policy = |step: &Step| {
            let id = project.step_policy(step.id)?.first()?;
            Some(project.policy(id)).filter(|p| runs(cx, p))
        };
        let around: Vec<(&Step, bool)> = [&endpoint.flows.pre_flow, &endpoint.flows.post_flow]
            .into_iter()
            .flatten()
            .flat_map(|f| steps(f).into_iter().map(move |s| (s, f.condition.is_some())))
            .collect();
        for flow in &endpoint.flows.conditional {
            let own = steps(flow);
            let Some((authorize, authorizer)) = own
                .iter()
                .find_map(|s| policy(s).filter(|p| authorizes(p)).map(|p| (*s, p)))
            else {
                continue;
            };
            let cors = own
                .iter()
                .map(|s| (*s, false))
                .chain(around.iter().copied())
                .find_map(|(s, conditional)| {
                    policy(s).filter(|p| answers_cors(p)).map(|p| (s, p, conditional))
                });
            let Some((step, cors, conditional)) = cors else {
                continue;
            };
            let may = if conditional || step.condition.is_some() {
                "may answer"
            } else {
                "answers"
            };
            let flow_name = flow.name.as_deref().unwrap_or("(unnamed)");
            out.push(
                Diagnostic::new(
                    &Self::META,
                    step.name_span,
                    format!(
                        "`{}` {may} CORS on the authorization endpoint (flow `{flow_name}`, which runs `{}`)",
                        cors.name, authorizer.name
                    ),
                )
                .primary_label("CORS headers on the authorization endpoint's responses")
                .label(authorize.name_span, "the authorization endpoint")
                .help(
                    "keep CORS off the authorization flow: move the CORS step into the flows of the token \
                     and API paths, or give it a condition that excludes this flow. The authorization \
                     endpoint is reached by redirecting the browser, never by a script (RFC 9700 §2.6)",
                ),
            );
        }
    }
}

/// The authorization endpoint's operations: an authorization code, or an implicit token.
fn authorizes(policy: &Policy) -> bool {
    policy.operation().is_some_and(|o| {
        matches!(
            o.action(),
            TokenAction::IssuesCode | TokenAction::IssuesImplicitToken
        )
    })
}

/// A CORS policy, or an AssignMessage that sets `Access-Control-Allow-Origin`.
fn answers_cors(policy: &Policy) -> bool {
    match &policy.view {
        PolicyView::AssignMessage(view) => view
            .header_values("Access-Control-Allow-Origin")
            .next()
            .is_some(),
        _ => policy.kind == DeclaredKind::Known(PolicyKind::CORS),
    }
}

fn steps(flow: &Flow) -> Vec<&Step> {
    flow.request.iter().chain(&flow.response).collect()
}
