//! Typed views of the policy kinds whose meaning the engine needs.

use super::Valued;
use crate::parse::xml::Element;
use crate::source::Span;

/// Where a policy element takes its value: a `ref=` variable, literal text, or both (the text is
/// then the fallback when the variable does not resolve).
#[derive(Clone, Debug)]
pub struct ValueSource {
    pub reference: Option<Valued>,
    pub literal: Option<Valued>,
    /// The element's start tag name.
    pub span: Span,
}

impl ValueSource {
    pub fn of(parent: &Element, name: &str) -> Option<ValueSource> {
        parent.child(name).map(ValueSource::element)
    }

    pub fn element(e: &Element) -> ValueSource {
        ValueSource {
            reference: Valued::attribute(e, "ref"),
            literal: Valued::text_of(e),
            span: e.head(),
        }
    }
}

/// OAuthV2: one policy kind, many operations.
#[derive(Clone, Debug)]
pub struct OAuthV2View {
    pub operation: Option<Valued>,
    /// `None` when the element is absent (Apigee then allows authorization_code and implicit).
    pub supported_grant_types: Option<GrantTypes>,
    pub expires_in: Option<ValueSource>,
    pub refresh_token_expires_in: Option<ValueSource>,
    pub reuse_refresh_token: Option<Valued>,
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
}

/// `<Token type="accesstoken|refreshtoken" cascade="true|false">variable</Token>`.
#[derive(Clone, Debug)]
pub struct TokenRef {
    pub token_type: Option<Valued>,
    pub cascade: Option<Valued>,
    pub variable: Option<Valued>,
}

#[derive(Clone, Debug)]
pub struct GrantTypes {
    pub grants: Vec<Valued>,
    /// The `<SupportedGrantTypes>` tag.
    pub span: Span,
}

/// GetOAuthV2Info and DeleteOAuthV2Info: which token, code or client they look up.
#[derive(Clone, Debug)]
pub struct TokenInfoView {
    pub access_token: Option<ValueSource>,
    pub refresh_token: Option<ValueSource>,
    pub authorization_code: Option<ValueSource>,
    pub client_id: Option<ValueSource>,
}

#[derive(Clone, Debug)]
pub struct FlowCalloutView {
    pub shared_flow_bundle: Option<Valued>,
}

impl OAuthV2View {
    pub fn of(root: &Element) -> OAuthV2View {
        OAuthV2View {
            operation: Valued::child_text(root, "Operation"),
            supported_grant_types: root.child("SupportedGrantTypes").map(|e| GrantTypes {
                grants: e
                    .children_named("GrantType")
                    .filter_map(Valued::text_of)
                    .collect(),
                span: e.head(),
            }),
            expires_in: ValueSource::of(root, "ExpiresIn"),
            refresh_token_expires_in: ValueSource::of(root, "RefreshTokenExpiresIn"),
            reuse_refresh_token: Valued::child_text(root, "ReuseRefreshToken"),
            grant_type: Valued::child_text(root, "GrantType"),
            refresh_token: Valued::child_text(root, "RefreshToken"),
            external_refresh_token: Valued::child_text(root, "ExternalRefreshToken"),
            tokens: root
                .children_named("Tokens")
                .flat_map(|t| t.children_named("Token"))
                .map(|t| TokenRef {
                    token_type: Valued::attribute(t, "type"),
                    cascade: Valued::attribute(t, "cascade"),
                    variable: Valued::text_of(t),
                })
                .collect(),
            access_token: Valued::child_text(root, "AccessToken"),
        }
    }

    pub fn operation(&self) -> Option<&str> {
        self.operation.as_ref().map(|o| o.value.as_str())
    }
}

impl TokenInfoView {
    pub fn of(root: &Element) -> TokenInfoView {
        TokenInfoView {
            access_token: ValueSource::of(root, "AccessToken"),
            refresh_token: ValueSource::of(root, "RefreshToken"),
            authorization_code: ValueSource::of(root, "AuthorizationCode"),
            client_id: ValueSource::of(root, "ClientId"),
        }
    }
}

impl FlowCalloutView {
    pub fn of(root: &Element) -> FlowCalloutView {
        FlowCalloutView {
            shared_flow_bundle: Valued::child_text(root, "SharedFlowBundle"),
        }
    }
}
