//! OAuthV2: one policy kind, many operations. Most elements name the variable that holds the
//! value, not the value (apigee-oauth-reference.md §1.2).

use super::ValueSource;
use crate::catalog::facts::{OperationElement, DEFAULT_GRANTS};
use crate::catalog::OAuthOperation;
use crate::model::{Enumerated, Flag, Valued};
use crate::parse::xml::Element;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct OAuthV2View {
    /// `None` when there is no `<Operation>` or it is empty.
    pub operation: Option<Enumerated<OAuthOperation>>,
    /// `None` when the element is absent (Apigee then allows authorization_code and implicit).
    pub supported_grant_types: Option<GrantTypes>,
    pub expires_in: Option<ValueSource>,
    pub refresh_token_expires_in: Option<ValueSource>,
    pub reuse_refresh_token: Option<Valued>,
    /// `<ExternalAuthorization>`: trust `oauth_external_authorization_status` instead of checking
    /// the client's credentials.
    pub external_authorization: Option<Flag>,
    /// `<GenerateResponse enabled="…">`: `None` without the element, an absent flag without the
    /// attribute.
    pub generate_response: Option<Option<Flag>>,
    /// The variable holding the request's grant type.
    pub grant_type: Option<Valued>,
    /// The variable holding the refresh token (RefreshAccessToken).
    pub refresh_token: Option<Valued>,
    /// The variable holding an externally minted refresh token to import.
    pub external_refresh_token: Option<Valued>,
    /// `<Tokens>/<Token>` of InvalidateToken and ValidateToken.
    pub tokens: Vec<TokenRef>,
    /// The variable holding the token VerifyAccessToken checks (default: the Authorization header).
    pub access_token: Option<Valued>,
    /// What VerifyAccessToken strips from the Authorization header (default `Bearer`).
    pub access_token_prefix: Option<Valued>,
    /// The variables holding the client id, the redirect URI, the scope, the authorization code
    /// and the resource owner's credentials of a token or code request.
    pub client_id: Option<Valued>,
    pub redirect_uri: Option<Valued>,
    pub scope: Option<Valued>,
    pub code: Option<Valued>,
    pub user_name: Option<Valued>,
    pub password: Option<Valued>,
}

/// `<Token type="accesstoken|refreshtoken" cascade="true|false">variable</Token>`.
#[derive(Clone, Debug)]
pub struct TokenRef {
    pub token_type: Option<Valued>,
    pub cascade: Option<Valued>,
    pub variable: Option<Valued>,
    /// The `<Token>` tag.
    pub span: Span,
}

/// Why a token policy accepts a grant type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted<'v> {
    /// `<SupportedGrantTypes>` lists it here.
    Listed(&'v Valued),
    /// There is no `<SupportedGrantTypes>`, and Apigee allows it by default.
    Default,
}

#[derive(Clone, Debug)]
pub struct GrantTypes {
    pub grants: Vec<Valued>,
    /// The `<SupportedGrantTypes>` tag.
    pub span: Span,
}

impl OAuthV2View {
    pub fn of(root: &Element) -> OAuthV2View {
        let text = |name: &str| Valued::child_text(root, name);
        OAuthV2View {
            operation: text("Operation").map(|raw| Enumerated::of(raw, OAuthOperation::from_name)),
            supported_grant_types: root.child("SupportedGrantTypes").map(|e| GrantTypes {
                grants: Valued::each(e, "GrantType"),
                span: e.head(),
            }),
            expires_in: ValueSource::of(root, "ExpiresIn"),
            refresh_token_expires_in: ValueSource::of(root, "RefreshTokenExpiresIn"),
            reuse_refresh_token: text("ReuseRefreshToken"),
            external_authorization: Flag::child(root, "ExternalAuthorization"),
            generate_response: root
                .child("GenerateResponse")
                .map(|e| Flag::attribute(e, "enabled")),
            grant_type: text("GrantType"),
            refresh_token: text("RefreshToken"),
            external_refresh_token: text("ExternalRefreshToken"),
            tokens: root
                .children_named("Tokens")
                .flat_map(|t| t.children_named("Token"))
                .map(|t| TokenRef {
                    token_type: Valued::attribute(t, "type"),
                    cascade: Valued::attribute(t, "cascade"),
                    variable: Valued::text_of(t),
                    span: t.head(),
                })
                .collect(),
            access_token: text("AccessToken"),
            access_token_prefix: text("AccessTokenPrefix"),
            client_id: text("ClientId"),
            redirect_uri: text("RedirectUri"),
            scope: text("Scope"),
            code: text("Code"),
            user_name: text("UserName"),
            password: text("PassWord"),
        }
    }

    /// Whether `<SupportedGrantTypes>` lets a token request use `grant`, and why; `None` also for
    /// an empty list, whose meaning no source gives. Whether the operation reads the list at all
    /// is the operation's fact ([`crate::catalog::facts::TokenAction::IssuesTokens`]).
    pub fn accepts_grant(&self, grant: &str) -> Option<Accepted<'_>> {
        match &self.supported_grant_types {
            None => DEFAULT_GRANTS.contains(&grant).then_some(Accepted::Default),
            Some(list) => list
                .grants
                .iter()
                .find(|g| g.value.trim() == grant)
                .map(Accepted::Listed),
        }
    }

    /// The tag of `element` when the policy gives it a value: a lifetime with text or `ref=`, a
    /// grant list with a grant (an empty `<SupportedGrantTypes/>` deploys on any operation).
    pub fn given(&self, element: OperationElement) -> Option<Span> {
        let lifetime = |v: &Option<ValueSource>| {
            v.as_ref()
                .filter(|v| v.reference.is_some() || v.literal.is_some())
                .map(|v| v.span)
        };
        match element {
            OperationElement::ExpiresIn => lifetime(&self.expires_in),
            OperationElement::RefreshTokenExpiresIn => lifetime(&self.refresh_token_expires_in),
            OperationElement::SupportedGrantTypes => self
                .supported_grant_types
                .as_ref()
                .filter(|list| !list.grants.is_empty())
                .map(|list| list.span),
        }
    }

    /// The operation `<Operation>` names, if it names one.
    pub fn operation(&self) -> Option<OAuthOperation> {
        self.operation.as_ref().and_then(|o| o.value)
    }
}
