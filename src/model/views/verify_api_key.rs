//! VerifyAPIKey: where it reads the key.

use super::ValueSource;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct VerifyApiKeyView {
    /// `<APIKey ref="…">`: the variable holding the key.
    pub api_key: Option<ValueSource>,
}

impl VerifyApiKeyView {
    pub fn of(root: &Element) -> VerifyApiKeyView {
        VerifyApiKeyView {
            api_key: ValueSource::of(root, "APIKey"),
        }
    }
}
