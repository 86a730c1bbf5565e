//! RaiseFault: the response it sends.

use super::MessageChange;
use crate::model::build::exactly;
use crate::model::{ChangeAction, Valued};
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct RaiseFaultView {
    /// `<FaultResponse>`'s `<Add>`, `<Copy>`, `<Remove>` and `<Set>`, in document order.
    pub changes: Vec<MessageChange>,
}

impl RaiseFaultView {
    pub fn of(root: &Element) -> RaiseFaultView {
        RaiseFaultView {
            changes: exactly(
                root.children_named("FaultResponse")
                    .flat_map(MessageChange::each),
            ),
        }
    }

    /// The `<StatusCode>` of its last `<Set>` that gives one: the status the response leaves
    /// with (without one, Apigee's default for a RaiseFault).
    pub fn status_code(&self) -> Option<&Valued> {
        self.changes
            .iter()
            .rev()
            .filter(|c| c.action == ChangeAction::Set)
            .find_map(|c| c.status_code.as_ref())
    }
}
