//! `--format checkstyle`: Checkstyle's XML, read by Jenkins' Warnings Next Generation, SonarQube
//! and reviewdog: a `<file name>` for each file with findings, an `<error>` for each finding.

use super::escape::xml_attr;
use super::location::Location;
use super::Output;
use crate::diagnostic::Diagnostic;
use std::io::{self, Write};

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    // Diagnostics come sorted by file, so each file's findings are together.
    let path = |d: &Diagnostic| output.sources.path(d.primary.span.file);
    for group in output.diagnostics.chunk_by(|a, b| path(a) == path(b)) {
        writeln!(out, r#"  <file name="{}">"#, xml_attr(path(&group[0])))?;
        for d in group {
            let at = Location::of(output.sources, &d.primary);
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="oauthlint.{}"/>"#,
                at.line,
                at.column,
                d.level.as_str(),
                xml_attr(&d.message),
                xml_attr(d.rule)
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
