//! The one error type of the module.

use std::fmt;

use super::ast::ByteRange;

/// A condition that cannot be parsed. `span` points at the offending token (or, when
/// input ended too early, at the token that needed a continuation). Messages are
/// lowercase without a trailing period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: ByteRange,
    /// The text went past one of the parser's own limits (length, nesting): a limit of this
    /// module, not a mistake in the condition, which may well be valid.
    pub over_limit: bool,
}

impl SyntaxError {
    pub(super) fn new(message: impl Into<String>, span: ByteRange) -> Self {
        SyntaxError {
            message: message.into(),
            span,
            over_limit: false,
        }
    }

    pub(super) fn over_limit(message: impl Into<String>, span: ByteRange) -> Self {
        SyntaxError {
            over_limit: true,
            ..SyntaxError::new(message, span)
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}..{}",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for SyntaxError {}
