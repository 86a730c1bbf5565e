//! The policies that parse a whole message body (format conversions, XSLT, structure threat
//! checks, message validation; see `PolicyKind::parses_message_body`): which message they parse.

use crate::model::Valued;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct BodyParserView {
    /// `<Source>`: the message it parses; absent, the flow's `message`.
    pub source: Option<Valued>,
}

impl BodyParserView {
    pub fn of(root: &Element) -> BodyParserView {
        BodyParserView {
            source: Valued::child_text(root, "Source"),
        }
    }
}
