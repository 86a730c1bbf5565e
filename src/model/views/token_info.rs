//! GetOAuthV2Info and DeleteOAuthV2Info: which token, code or client they look up.

use super::ValueSource;
use crate::model::Valued;
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
