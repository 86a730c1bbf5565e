//! ServiceCallout: the message variables it sends and fills.

use crate::model::{HttpTargetConnection, Valued};
use crate::parse::xml::Element;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct ServiceCalloutView {
    /// `<Request variable="…">`: the message the callout sends (and changes with its
    /// `<Set>`, `<Add>`, `<Remove>` and `clearPayload`).
    pub request_variable: Option<Valued>,
    /// `<Response>`: the variable the callout's response is stored in.
    pub response_variable: Option<Valued>,
    /// The `<Response>` start tag, when the element is there (with a name or without).
    pub response_tag: Option<Span>,
    /// `<HTTPTargetConnection>`: where the callout sends its request over the network.
    pub http: Option<Box<HttpTargetConnection>>,
}

impl ServiceCalloutView {
    pub fn of(root: &Element) -> ServiceCalloutView {
        ServiceCalloutView {
            request_variable: root
                .child("Request")
                .and_then(|r| Valued::attribute(r, "variable")),
            response_variable: Valued::child_text(root, "Response"),
            response_tag: root.child("Response").map(Element::head),
            http: root
                .child("HTTPTargetConnection")
                .map(|h| Box::new(HttpTargetConnection::of(h))),
        }
    }
}
