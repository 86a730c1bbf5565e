//! KeyValueMapOperations and MessageLogging: whether a run writes or sends something outside
//! the request, which depends on their elements (and which map a KeyValueMapOperations names).

use crate::model::Valued;
use crate::parse::xml::Element;
use crate::source::Span;

/// A KeyValueMapOperations' first `<Put>` or `<Delete>`, if it writes, and how it names its map.
#[derive(Clone, Debug)]
pub struct KeyValueMapView {
    pub write: Option<Span>,
    /// The root's `mapIdentifier` attribute: the map's name.
    pub map_identifier: Option<Valued>,
    /// `<MapName>`'s tag: the map's name, or the variable holding it (Apigee X).
    pub map_name: Option<Span>,
}

impl KeyValueMapView {
    pub fn of(root: &Element) -> KeyValueMapView {
        KeyValueMapView {
            write: root
                .child("Put")
                .or(root.child("Delete"))
                .map(Element::head),
            map_identifier: Valued::attribute(root, "mapIdentifier"),
            map_name: root.child("MapName").map(Element::head),
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
