//! KeyValueMapOperations and MessageLogging: whether a run writes or sends something outside
//! the request, which depends on their elements.

use crate::parse::xml::Element;
use crate::source::Span;

/// A KeyValueMapOperations' first `<Put>` or `<Delete>`, if it writes.
#[derive(Clone, Debug)]
pub struct KeyValueMapView {
    pub write: Option<Span>,
}

impl KeyValueMapView {
    pub fn of(root: &Element) -> KeyValueMapView {
        KeyValueMapView {
            write: root
                .child("Put")
                .or(root.child("Delete"))
                .map(Element::head),
        }
    }
}

/// A MessageLogging's `<Syslog>`, if it sends to a syslog server.
#[derive(Clone, Debug)]
pub struct MessageLoggingView {
    pub syslog: Option<Span>,
}

impl MessageLoggingView {
    pub fn of(root: &Element) -> MessageLoggingView {
        MessageLoggingView {
            syslog: root.child("Syslog").map(Element::head),
        }
    }
}
