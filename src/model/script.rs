//! A JavaScript policy's script, as the JavaScript rules need it: whether it parses, and the
//! calls the antipattern rules look for. Built by [`crate::parse::javascript`] when a rule first
//! asks ([`super::Resource::script`]).

use crate::source::Span;

pub struct Script {
    pub syntax: Syntax,
    /// Each call of `waitForComplete()` (`exchange.waitForComplete()`, `waitForComplete(500)`).
    pub wait_for_complete: Vec<Span>,
    /// Each URL written as a string where the script calls out: the first argument of
    /// `httpClient.get(…)`, `httpClient.send(…)` and `new Request(…)`, and the value of
    /// `context.setVariable("target.url", …)`.
    pub outbound_urls: Vec<OutboundUrl>,
}

pub struct OutboundUrl {
    /// The string's value, unescaped.
    pub url: String,
    /// The string literal, quotes included.
    pub span: Span,
}

pub enum Syntax {
    Valid,
    /// The parser's first error and where it stopped.
    Invalid {
        message: String,
        span: Span,
    },
    /// The parser stopped at syntax only Rhino reads (E4X, `for each`), which Apigee Edge runs:
    /// the script is not judged, and its calls may be missing.
    RhinoExtension {
        span: Span,
    },
}
