//! ResponseCache: whether it keeps error responses out of the cache.

use crate::model::Flag;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct ResponseCacheView {
    /// `<ExcludeErrorResponse>`: Apigee caches responses of every status code unless it is true.
    pub exclude_error_response: Option<Flag>,
}

impl ResponseCacheView {
    pub fn of(root: &Element) -> ResponseCacheView {
        ResponseCacheView {
            exclude_error_response: Flag::child(root, "ExcludeErrorResponse"),
        }
    }
}
