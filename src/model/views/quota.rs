//! Quota: whether its count is shared by Apigee's message processors, with other Quotas, and
//! where it takes its limits.

use super::ValueSource;
use crate::model::{Flag, Valued};
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct QuotaView {
    /// `<Distributed>`: each message processor counts on its own unless it is true.
    pub distributed: Option<Flag>,
    /// `<SharedName>`: the counter the Quotas of a proxy with that name share.
    pub shared_name: Option<Valued>,
    /// `<CountOnly>`: a shared counter's Quota that counts and never rejects.
    pub count_only: Option<Flag>,
    /// `<EnforceOnly>`: a shared counter's Quota that rejects and never counts.
    pub enforce_only: Option<Flag>,
    /// `<UseQuotaConfigInAPIProduct stepName="…">`: the policy that verified the API key or
    /// token, whose API product gives the limits.
    pub product_step: Option<Valued>,
    /// `<Identifier ref="…">`: the variable whose value names the counter a request is counted
    /// in (without it, one counter for every request).
    pub identifier: Option<ValueSource>,
}

impl QuotaView {
    pub fn of(root: &Element) -> QuotaView {
        QuotaView {
            distributed: Flag::child(root, "Distributed"),
            shared_name: Valued::present(root, "SharedName"),
            count_only: Flag::child(root, "CountOnly"),
            enforce_only: Flag::child(root, "EnforceOnly"),
            product_step: root
                .child("UseQuotaConfigInAPIProduct")
                .and_then(|e| Valued::attribute(e, "stepName")),
            identifier: ValueSource::of(root, "Identifier"),
        }
    }
}
