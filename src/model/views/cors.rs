//! CORS: which origins it allows, and whether with credentials.

use crate::model::{Flag, Valued};
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct CorsView {
    /// Each `<AllowOrigins>`, in document order (a kind takes one; a second is kept to be seen).
    pub allow_origins: Vec<Valued>,
    /// Each `<AllowCredentials>`, in document order.
    pub allow_credentials: Vec<Flag>,
}

impl CorsView {
    pub fn of(root: &Element) -> CorsView {
        CorsView {
            allow_origins: Valued::each(root, "AllowOrigins"),
            allow_credentials: root
                .children_named("AllowCredentials")
                .filter_map(|e| Valued::text_of(e).map(Flag::of))
                .collect(),
        }
    }
}
