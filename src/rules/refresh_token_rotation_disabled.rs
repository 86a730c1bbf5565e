use super::token_policy::{attached, running_operation};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::TokenAction;
use crate::diagnostic::Diagnostic;
use crate::model::{Flag, Policy};
use serde::{Deserialize, Serialize};

declare_rule!(
    /// A RefreshAccessToken that returns the same refresh token instead of a new one.
    RefreshTokenRotationDisabled,
    "refresh-token-rotation-disabled",
    OAuth,
    Warning,
    policy_kinds = [OAuthV2],
    options = RotationOptions,
);

#[derive(Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RotationOptions {
    client_type: ClientType,
}

/// Who holds the refresh tokens: the bundle does not say.
#[derive(Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum ClientType {
    /// Some clients cannot keep a secret (mobile and browser apps): their refresh tokens must
    /// rotate or be sender-constrained (RFC 9700 §4.14.2).
    #[default]
    Public,
    /// Every client authenticates when it refreshes, which binds its refresh tokens to it.
    Confidential,
}

impl Rule for RefreshTokenRotationDisabled {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        if Self::options(cx).client_type == ClientType::Confidential {
            return;
        }
        let Some((view, operation)) = running_operation(cx, policy) else {
            return;
        };
        if operation.action() != TokenAction::ExchangesRefreshToken {
            return;
        }
        let Some(reuse) = view.reuse_refresh_token.clone().map(Flag::of) else {
            return;
        };
        if !reuse.is_true() {
            return;
        }
        let diagnostic = Diagnostic::new(
            &Self::META,
            reuse.raw.span,
            format!(
                "`{}` returns the same refresh token on every refresh: <ReuseRefreshToken> is true",
                policy.name
            ),
        )
        .primary_label("a stolen refresh token stays usable until it expires")
        .label(policy.name_span, "exchanges refresh tokens");
        out.push(attached(diagnostic, cx, policy).help(
            "remove <ReuseRefreshToken> (or set it to false): Apigee then issues a new refresh token \
             on each refresh and the old one stops working, so a leaked token is good for one use \
             (RFC 9700 §4.14.2); if every client is confidential, set client-type = \"confidential\" \
             for this rule in oauthlint.toml",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RefreshTokenRotationDisabled;
    use crate::engine::Engine;
    use crate::parse::load::load_memory;
    use crate::rules::{run, Plan, Rule};

    /// The findings on a proxy whose refresh policy reuses its tokens, with these options.
    fn findings(options: &str) -> usize {
        let file = |path: &str, text: &str| (path.to_owned(), Ok(text.as_bytes().to_vec()));
        let project = load_memory(vec![
            file("p/apiproxy/p.xml", "<APIProxy name=\"p\"/>"),
            file(
                "p/apiproxy/proxies/default.xml",
                "<ProxyEndpoint name=\"default\"><PreFlow><Request><Step><Name>R</Name></Step>\
                 </Request></PreFlow><RouteRule name=\"r\"/></ProxyEndpoint>",
            ),
            file(
                "p/apiproxy/policies/R.xml",
                "<OAuthV2 name=\"R\"><Operation>RefreshAccessToken</Operation>\
                 <ReuseRefreshToken>true</ReuseRefreshToken></OAuthV2>",
            ),
        ]);
        let engine = Engine::new(&project);
        let meta = &RefreshTokenRotationDisabled::META;
        let plan = Plan {
            profile: None,
            projects: Vec::new(),
            rules: vec![(
                &RefreshTokenRotationDisabled as &dyn Rule,
                meta.options.build(toml::from_str(options).unwrap()).unwrap(),
            )],
        };
        run(&project, &engine, &plan, 1).len()
    }

    #[test]
    fn public_clients_by_default_and_confidential_ones_turn_it_off() {
        assert_eq!(findings(""), 1);
        assert_eq!(findings("client-type = \"public\""), 1);
        assert_eq!(findings("client-type = \"confidential\""), 0);
        let meta = &RefreshTokenRotationDisabled::META;
        assert!(meta
            .options
            .build(toml::from_str("client-type = \"mixed\"").unwrap())
            .is_err());
    }
}
