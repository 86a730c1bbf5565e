//! DataCapture: what each `<Capture>` collects, and from which message.

use crate::model::Valued;
use crate::parse::xml::Element;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct DataCaptureView {
    /// Each `<Capture><Collect>`, in document order.
    pub collects: Vec<Collect>,
}

/// A `<Collect>` that reads a message (a `ref=` variable reads none).
#[derive(Clone, Debug)]
pub struct Collect {
    /// `<Source>`: the message read (`request`, `response`, …), empty when the element is;
    /// without it, `message`.
    pub source: Option<Valued>,
    /// The parts of the message it reads, with their start tags.
    pub parts: Vec<(MessagePart, Span)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessagePart {
    UriPath,
    QueryParam,
    Header,
    FormParam,
    JsonPayload,
    XmlPayload,
}

const PARTS: [(&str, MessagePart); 6] = [
    ("URIPath", MessagePart::UriPath),
    ("QueryParam", MessagePart::QueryParam),
    ("Header", MessagePart::Header),
    ("FormParam", MessagePart::FormParam),
    ("JSONPayload", MessagePart::JsonPayload),
    ("XMLPayload", MessagePart::XmlPayload),
];

impl MessagePart {
    /// Only a request has a path and a query.
    pub fn request_only(self) -> bool {
        matches!(self, MessagePart::UriPath | MessagePart::QueryParam)
    }

    pub fn tag_name(self) -> &'static str {
        PARTS
            .iter()
            .find(|(_, part)| *part == self)
            .map_or("", |(name, _)| name)
    }
}

impl DataCaptureView {
    pub fn of(root: &Element) -> DataCaptureView {
        let collects = root
            .children_named("Capture")
            .flat_map(|c| c.children_named("Collect"))
            .map(|collect| Collect {
                source: Valued::present(collect, "Source"),
                parts: collect
                    .elements()
                    .filter_map(|e| {
                        let (_, part) = PARTS.iter().find(|(name, _)| *name == e.name)?;
                        Some((*part, e.head()))
                    })
                    .collect(),
            })
            .filter(|c| !c.parts.is_empty())
            .collect();
        DataCaptureView { collects }
    }
}
