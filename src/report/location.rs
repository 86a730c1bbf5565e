//! Where a label points, in the units every format shares: the path as the JSON format writes it,
//! 1-based lines and columns (columns count Unicode characters) and 0-based byte offsets.

use crate::diagnostic::Label;
use crate::source::SourceDb;
use serde::Serialize;
use std::fmt;

#[derive(Serialize)]
pub struct Location<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    /// The end is exclusive: the position just after the last character.
    pub end_line: usize,
    pub end_column: usize,
    pub offset: u32,
    pub end_offset: u32,
}

impl<'a> Location<'a> {
    pub fn of(sources: &'a SourceDb, label: &Label) -> Location<'a> {
        let start = sources.start(label.span);
        let end = sources.end(label.span);
        Location {
            file: sources.path(label.span.file),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            offset: label.span.start,
            end_offset: label.span.end,
        }
    }

    pub fn is_multiline(&self) -> bool {
        self.end_line > self.line
    }
}

/// `path:line:column`, the form compilers print and editors jump to.
impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
