use super::project::{in_bundle, why_never_runs};
use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::catalog::facts::DEFAULT_GRANTS;
use crate::engine::catalog::{
    exchanges_refresh_tokens, may_exchange_refresh_tokens, refresh_token_issuance, Issuance,
};
use crate::catalog::facts::TokenFormat;
use crate::catalog::OAuthOperation;
use crate::model::Policy;

declare_rule!(
    /// Refresh tokens are issued, but no policy of the project ever exchanges one.
    RefreshTokenNeverRefreshed,
    "refresh-token-never-refreshed",
    OAuth,
    Warning
);

impl Rule for RefreshTokenNeverRefreshed {
    fn check_project_wide(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let project = cx.project;
        let policies = || cx.policies();
        let runs = |p: &Policy| cx.engine.policy_may_run(p.id);
        let refreshers: Vec<&Policy> = policies()
            .filter(|p| may_exchange_refresh_tokens(p))
            .collect();
        let format = |p: &Policy| p.operation().and_then(OAuthOperation::token_format);
        for policy in policies().filter(|p| runs(p)) {
            // A refresh policy for the other format of access token may not take these.
            let (takes, other): (Vec<&Policy>, Vec<&Policy>) =
                refreshers.iter().partition(|r| match (format(r), format(policy)) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                });
            if takes.iter().any(|p| runs(p)) {
                continue;
            }
            let (what, evidence) = match refresh_token_issuance(policy) {
                Issuance::No | Issuance::Unknown => continue,
                Issuance::Grants {
                    defaulted: true, ..
                } => (
                    format!(
                        "issues refresh tokens (without <SupportedGrantTypes> it accepts {})",
                        DEFAULT_GRANTS.join(" and ")
                    ),
                    None,
                ),
                Issuance::Grants { grants, .. } => {
                    let names: Vec<&str> = grants.iter().map(|g| g.value.as_str()).collect();
                    let label = format!("the {} grant mints refresh tokens", names[0]);
                    let noun = if names.len() == 1 { "grant" } else { "grants" };
                    (
                        format!(
                            "issues refresh tokens for the {} {noun}",
                            names.join(" and ")
                        ),
                        Some((grants[0].span, label)),
                    )
                }
                Issuance::Import(element) => (
                    "imports refresh tokens minted elsewhere".to_owned(),
                    Some((element.span, "imported here".to_owned())),
                ),
            };
            let refresh = match format(policy) {
                Some(TokenFormat::Jwt) => OAuthOperation::RefreshJWTAccessToken,
                _ => OAuthOperation::RefreshAccessToken,
            }
            .name();
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                policy.name_span,
                format!(
                    "`{}` {what}, but no {refresh} in the project ever exchanges them",
                    policy.name
                ),
            )
            .primary_label("issues refresh tokens");
            if let Some((span, label)) = evidence {
                diagnostic = diagnostic.label(span, label);
            }
            for &step in project.attachments_of(policy.id) {
                diagnostic = diagnostic.label(project.step(step).name_span, "attached here");
            }
            for refresher in other.iter().filter(|r| runs(r)) {
                let (theirs, ours) = (format(refresher), format(policy));
                let (Some(theirs), Some(ours)) = (theirs, ours) else { continue };
                diagnostic = diagnostic.label(
                    refresher.name_span,
                    format!(
                        "{} exchanges the refresh tokens of {} access tokens; these accompany {} ones, which it may not take",
                        in_bundle(cx, refresher),
                        theirs.describe(),
                        ours.describe()
                    ),
                );
            }
            for refresher in takes.iter().filter(|r| !runs(r)) {
                let why = why_never_runs(cx, refresher).unwrap_or_else(|| "no request reaches it".to_owned());
                // Without <Operation> it only may (see `may_exchange_refresh_tokens`).
                let would = if exchanges_refresh_tokens(refresher) {
                    "would"
                } else {
                    "might"
                };
                diagnostic = diagnostic.label(
                    refresher.name_span,
                    format!("{} {would} exchange them, but {why}", in_bundle(cx, refresher)),
                );
            }
            out.push(diagnostic.help(format!(
                "attach an OAuthV2 policy with <Operation>{refresh}</Operation> to a flow that handles \
                 grant_type=refresh_token; if clients never refresh, allow only client_credentials in \
                 <SupportedGrantTypes>, which issues no refresh tokens",
            )));
        }
    }
}
