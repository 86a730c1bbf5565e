use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::condition::{matches_path, Truth};
use crate::engine::Arrival;
use crate::model::{Bundle, EndpointRef, Policy, ProxyEndpoint, Resolved, RouteRule, Step};
use serde::{Deserialize, Serialize};
use std::any::Any;

declare_rule!(
    /// A request can reach a backend without a credential verification having run first.
    UnverifiedTargetRoute,
    "unverified-target-route",
    OAuth,
    Error,
    preview = true,
    options = Verification,
);

#[derive(Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Verification {
    pub verification: Vec<String>,
    pub public_paths: Vec<String>,
}

impl Rule for UnverifiedTargetRoute {
    /// The engine records only the policies it knows check the caller; the ones the user names
    /// must be recorded too, or they could never count.
    fn declared_caller_checks(&self, options: &(dyn Any + Send + Sync)) -> Vec<String> {
        options
            .downcast_ref::<Verification>()
            .map(|o| o.verification.clone())
            .unwrap_or_default()
    }

    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        // A Step naming a policy the bundle lacks may have meant the verification; Apigee
        // refuses such a bundle, and unknown-policy-reference says so.
        let missing = |step: &Step| matches!(cx.project.step_policy(step.id), Some(Resolved::Missing));
        if bundle.all_steps().any(missing) {
            return;
        }
        let options = Self::options(cx);
        let guarded =
            |policy: &Policy| answers_for_caller(policy) || options.verification.contains(&policy.name);
        // A build may add the verification the model does not have.
        let templated = |rule: &RouteRule| {
            endpoint.structure.template_adds_elements
                || matches!(cx.project.route_target(rule.id), Some(Resolved::Found(t))
                    if matches!(cx.project.endpoint(*t), EndpointRef::Target(e) if e.structure.template_adds_elements))
        };
        // A chain to a proxy of the project: its backends are judged at that proxy's RouteRules,
        // whose arrivals carry what ran here.
        let chained = |rule: &RouteRule| {
            matches!(cx.project.route_target(rule.id), Some(Resolved::Found(t))
                if matches!(cx.project.chained_endpoint(*t), Some(Resolved::Found(_))))
        };
        for rule in endpoint.route_rules.iter().filter(|r| !templated(r) && !chained(r)) {
            let public = |a: &&Arrival| {
                a.paths.as_ref().is_some_and(|paths| {
                    paths.iter().all(|path| {
                        options
                            .public_paths
                            .iter()
                            .any(|glob| matches_path(glob, path) == Truth::True)
                    })
                })
            };
            let open: Vec<&Arrival> = cx
                .engine
                .routed_without(rule.id, guarded)
                .into_iter()
                // Where the way there passes a condition or outcome the engine cannot decide
                // (a verification guarded by one, say), the claim is not certain: silent.
                .filter(|a| a.certain && !public(a) && !preflight_maybe_answered(cx, &bundle, a))
                .collect();
            if let Some(diagnostic) = finding(rule, &open) {
                out.push(diagnostic);
            }
        }
    }
}

/// After running such a policy, a request is no unverified call to a backend: it verified a
/// credential, or it is a token request to an OAuth endpoint, or it ran a FlowCallout whose
/// shared flow the engine did not follow (outside the linted paths), or a policy that checks
/// a credential the reference does not describe (OAuthV1, HMAC, SAML), which may verify.
pub(super) fn answers_for_caller(policy: &Policy) -> bool {
    policy.verifies_credential()
        || policy.operation().is_some_and(|o| o.serves_oauth_endpoint())
        || policy.flow_callout().is_some()
        || policy.may_verify_credential()
}

/// Are the arrival's requests preflights a CORS policy of the bundle may answer itself (○)?
pub(super) fn preflight_maybe_answered(cx: &Context, bundle: &Bundle, arrival: &Arrival) -> bool {
    let options_only = arrival.verbs.as_deref().is_some_and(|v| v.iter().all(|v| v.eq_ignore_ascii_case("OPTIONS")));
    options_only
        && bundle
            .policies
            .iter()
            .any(|p| p.may_answer_preflight() && cx.engine.policy_may_run(p.id))
}

/// Who reaches the backend, for messages: a request of the arrival, or its classes.
pub(super) fn who(arrival: &Arrival) -> String {
    match (&arrival.request, arrival.class.as_str()) {
        (Some(request), _) => request.clone(),
        (None, "any request") => "every request".to_owned(),
        (None, class) => format!("a request with {class}"),
    }
}

/// The backend a RouteRule sends requests to, for messages.
pub(super) fn backend(rule: &RouteRule) -> Option<String> {
    match (&rule.target_endpoint, &rule.url) {
        (Some(target), _) => Some(format!("target `{}`", target.value)),
        (None, Some(url)) => Some(format!("URL `{}`", url.value)),
        (None, None) => None,
    }
}

fn finding(rule: &RouteRule, open: &[&Arrival]) -> Option<Diagnostic> {
    let first = open.first()?;
    let backend = backend(rule)?;
    let who = who(first);
    let diagnostic = Diagnostic::new(
        &UnverifiedTargetRoute::META,
        rule.span,
        format!("{who} reaches {backend} without credential verification"),
    )
    .primary_label(format!("routes {} here", classes(open)));
    Some(diagnostic.help(
        "verify the credential (VerifyAccessToken, VerifyJWT, VerifyAPIKey) unconditionally in the \
         ProxyEndpoint PreFlow, or add the verification to the flow these requests take; a public \
         path can be allow-listed with the `public-paths` option",
    ))
}

/// At most this many request classes are named in the label, to keep the finding short.
const MAX_CLASSES: usize = 3;

fn classes(open: &[&Arrival]) -> String {
    let described: Vec<&str> = open.iter().map(|a| a.class.as_str()).collect();
    if described == ["any request"] {
        return "every request".to_owned();
    }
    let mut text = format!(
        "requests with {}",
        described[..described.len().min(MAX_CLASSES)].join("; or ")
    );
    if described.len() > MAX_CLASSES {
        text.push_str(&format!(" (and {} more groups)", described.len() - MAX_CLASSES));
    }
    text
}
