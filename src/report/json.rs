//! `--format json`: one object, `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use super::location::Location;
use super::{Output, Summary};
use crate::diagnostic::{Diagnostic, Level};
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

fn convert<'a>(sources: &'a SourceDb, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: d.rule,
        level: d.level,
        message: &d.message,
        location: Location::of(sources, &d.primary),
        labels: d
            .secondary
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                location: Location::of(sources, l),
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
