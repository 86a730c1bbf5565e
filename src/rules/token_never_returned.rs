use super::token_policy::attached;
use super::{declare_rule, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::diagnostic::Diagnostic;
use crate::model::{BundleId, Policy};
use crate::source::Span;

declare_rule!(
    /// A policy that issues a token or code without writing the response, where nothing else
    /// reads what it issued.
    TokenNeverReturned,
    "token-never-returned",
    OAuth,
    Warning,
    preview = true,
);

impl Rule for TokenNeverReturned {
    fn check_project(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let project = cx.project;
        let policies = || {
            project
                .bundle_ids()
                .flat_map(move |b| project.bundle(b).policies.iter().map(move |p| (b, p)))
        };
        // Code may read any variable: in the issuer's bundle, or in a shared flow it may call.
        let runs_code = |b: BundleId| project.bundle(b).policies.iter().any(|p| p.facts().runs_code);
        let shared_code = project
            .bundle_ids()
            .any(|b| !project.bundle(b).shared_flows.is_empty() && runs_code(b));
        let calls_shared = |b: BundleId| {
            let policies = &project.bundle(b).policies;
            policies.iter().any(|p| p.flow_callout().is_some())
        };
        // Another issuer that answers: this one may only check the client's credentials, as
        // Apigee's oauth-validate-key-secret sample does before its password grant.
        let answering_issuer = |b: BundleId| {
            let policies = &project.bundle(b).policies;
            policies.iter().any(|p| p.enabled && p.operation().is_some() && silent_issuer(p).is_none() && issued(p).is_some())
        };
        let mentions: Vec<String> = policies()
            .flat_map(|(_, p)| p.mentioned_names())
            .map(str::to_ascii_lowercase)
            .collect();
        for (bundle, policy) in policies() {
            let Some(silent) = silent_issuer(policy) else {
                continue;
            };
            if runs_code(bundle) || (shared_code && calls_shared(bundle)) || answering_issuer(bundle) {
                continue;
            }
            let placements = cx.engine.placements(policy.id);
            if placements.is_empty() {
                continue;
            }
            let prefixes: Vec<String> = policy
                .facts()
                .outcome
                .iter()
                .map(|family| format!("{family}.{}.", policy.name))
                .collect();
            let lower: Vec<String> = prefixes.iter().map(|p| p.to_ascii_lowercase()).collect();
            let mentioned = mentions.iter().any(|m| lower.iter().any(|p| m.contains(p.as_str())));
            // The engine knows which conditions after it read its variables.
            let read = placements
                .into_iter()
                .any(|p| !cx.engine.outcome_use(p).reads.is_empty());
            if mentioned || read {
                continue;
            }
            let diagnostic = Diagnostic::new(
                &Self::META,
                policy.name_span,
                format!(
                    "`{}` issues a {} but writes no response, and nothing reads it from `{}*`",
                    policy.name, silent.what, prefixes[0]
                ),
            )
            .primary_label("the client never receives what it asked for")
            .label(silent.span, "no response written here");
            out.push(attached(diagnostic, cx, policy).help(
                "set <GenerateResponse enabled=\"true\"/> so that the policy answers with the token, or \
                 build the response from its variables in an AssignMessage after it",
            ));
        }
    }
}

struct Silent {
    what: &'static str,
    /// The `enabled="false"` that turns the response off.
    span: Span,
}

/// An issuer whose `<GenerateResponse>` is `enabled="false"` (an absent element, or one without the
/// attribute, is left alone: only secondary sources say what Apigee does then).
fn silent_issuer(policy: &Policy) -> Option<Silent> {
    let view = policy.oauth_v2()?;
    let what = issued(policy)?;
    match &view.generate_response {
        Some(Some(flag)) if flag.value == Some(false) => Some(Silent {
            what,
            span: flag.raw.span,
        }),
        _ => None,
    }
}

/// What the policy's operation issues, if it issues something.
fn issued(policy: &Policy) -> Option<&'static str> {
    match policy.operation()?.action() {
        TokenAction::IssuesCode => Some("authorization code"),
        TokenAction::IssuesTokens
        | TokenAction::IssuesImplicitToken
        | TokenAction::ExchangesRefreshToken => Some("token"),
        _ => None,
    }
}
