//! `--format json`: one object, `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use super::{Output, Summary};
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::source::SourceDb;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    level: Level,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
}

/// 1-based lines and columns (columns count Unicode characters) and 0-based byte offsets.
#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: u32,
    end_offset: u32,
}

fn location<'a>(sources: &'a SourceDb, label: &Label) -> Location<'a> {
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

fn convert<'a>(sources: &'a SourceDb, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: d.rule,
        level: d.level,
        message: &d.message,
        location: location(sources, &d.primary),
        labels: d
            .secondary
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                location: location(sources, l),
            })
            .collect(),
        help: d.help.as_deref(),
    }
}

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: 1,
        diagnostics: output
            .diagnostics
            .iter()
            .map(|d| convert(output.sources, d))
            .collect(),
        summary: output.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
