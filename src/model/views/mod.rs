//! Typed views of the policy kinds whose meaning the engine and the rules read: one file each,
//! built from the policy's element tree when the model is, so that nothing above the model reads
//! XML.

mod assign_message;
mod body_parser;
mod cache;
mod cors;
mod data_capture;
mod extract_variables;
mod flow_callout;
mod generate_jwt;
mod hmac;
mod oauth_v2;
mod quota;
mod raise_fault;
mod regex_protection;
mod response_cache;
mod service_callout;
mod side_effect;
mod token_info;
mod verify_api_key;

pub use assign_message::*;
pub use body_parser::*;
pub use cache::*;
pub use cors::*;
pub use data_capture::*;
pub use extract_variables::*;
pub use flow_callout::*;
pub use generate_jwt::*;
pub use hmac::*;
pub use oauth_v2::*;
pub use quota::*;
pub use raise_fault::*;
pub use regex_protection::*;
pub use response_cache::*;
pub use service_callout::*;
pub use side_effect::*;
pub use token_info::*;
pub use verify_api_key::*;

use super::Valued;
use crate::parse::xml::Element;
use crate::source::Span;

/// Where a policy element takes its value: a `ref=` variable, literal text, or both (the text is
/// then the fallback when the variable does not resolve).
#[derive(Clone, Debug)]
pub struct ValueSource {
    pub reference: Option<Valued>,
    pub literal: Option<Valued>,
    /// The element's start tag name.
    pub span: Span,
}

impl ValueSource {
    pub fn of(parent: &Element, name: &str) -> Option<ValueSource> {
        parent.child(name).map(ValueSource::element)
    }

    pub fn element(e: &Element) -> ValueSource {
        ValueSource {
            reference: Valued::attribute(e, "ref"),
            literal: Valued::text_of(e),
            span: e.head(),
        }
    }
}
