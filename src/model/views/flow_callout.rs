//! FlowCallout: the shared flow it runs.

use crate::model::Valued;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct FlowCalloutView {
    pub shared_flow_bundle: Option<Valued>,
}

impl FlowCalloutView {
    pub fn of(root: &Element) -> FlowCalloutView {
        FlowCalloutView {
            shared_flow_bundle: Valued::child_text(root, "SharedFlowBundle"),
        }
    }
}
