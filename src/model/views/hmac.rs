//! HMAC: where its secret key comes from.

use super::ValueSource;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct HmacView {
    /// `<SecretKey ref="…">`: the variable holding the key.
    pub secret_key: Option<ValueSource>,
}

impl HmacView {
    pub fn of(root: &Element) -> HmacView {
        HmacView {
            secret_key: ValueSource::of(root, "SecretKey"),
        }
    }
}
