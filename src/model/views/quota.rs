//! Quota: whether its count is shared by Apigee's message processors.

use crate::model::Flag;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct QuotaView {
    /// `<Distributed>`: each message processor counts on its own unless it is true.
    pub distributed: Option<Flag>,
}

impl QuotaView {
    pub fn of(root: &Element) -> QuotaView {
        QuotaView {
            distributed: Flag::child(root, "Distributed"),
        }
    }
}
