//! `--format concise`: one line a finding, `path:line:col: level[rule] message`, then the summary.

use super::escape::one_line;
use super::location::Location;
use super::{summary_line, Output};
use crate::diagnostic::Diagnostic;
use crate::source::SourceDb;
use std::io::{self, Write};

/// The finding's line, also the first line of the JUnit failure text.
pub fn line(sources: &SourceDb, d: &Diagnostic) -> String {
    format!(
        "{}: {}[{}] {}",
        Location::of(sources, &d.primary),
        d.level.as_str(),
        d.rule,
        one_line(&d.message)
    )
}

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    for d in output.diagnostics {
        writeln!(out, "{}", line(output.sources, d))?;
    }
    writeln!(out, "{}", summary_line(&output.summary))
}
