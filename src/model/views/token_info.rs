//! GetOAuthV2Info and DeleteOAuthV2Info: which token, code or client they look up; SetOAuthV2Info:
//! which attributes of which access token it sets.

use super::ValueSource;
use crate::model::{NamedValue, Valued};
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct TokenInfoView {
    pub access_token: Option<ValueSource>,
    pub refresh_token: Option<ValueSource>,
    pub authorization_code: Option<ValueSource>,
    pub client_id: Option<ValueSource>,
    /// GetOAuthV2Info: look an access token up whatever its status.
    pub ignore_access_token_status: Option<Valued>,
}

impl TokenInfoView {
    pub fn of(root: &Element) -> TokenInfoView {
        TokenInfoView {
            access_token: ValueSource::of(root, "AccessToken"),
            refresh_token: ValueSource::of(root, "RefreshToken"),
            authorization_code: ValueSource::of(root, "AuthorizationCode"),
            client_id: ValueSource::of(root, "ClientId"),
            ignore_access_token_status: Valued::child_text(root, "IgnoreAccessTokenStatus"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SetInfoView {
    pub access_token: Option<ValueSource>,
    /// `<Attributes><Attribute name="…" ref="…">`, in document order.
    pub attributes: Vec<NamedValue>,
}

impl SetInfoView {
    pub fn of(root: &Element) -> SetInfoView {
        SetInfoView {
            access_token: ValueSource::of(root, "AccessToken"),
            attributes: root
                .children_named("Attributes")
                .flat_map(|a| NamedValue::each(a, "Attribute"))
                .collect(),
        }
    }
}
