//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. The rules come
//! from the registry, with their pages as help; results carry a region, the secondary labels as
//! related locations, and the finding's fingerprint.

use super::escape::uri;
use super::location::Location;
use super::{fingerprints, Output};
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::rules::{RuleMeta, ALL};
use crate::source::SourceDb;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Our columns count Unicode characters, not SARIF's default UTF-16 code units.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    short_description: Text<'static>,
    full_description: Text<'static>,
    help: Help,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: OwnedText,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: Fingerprint,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
struct Fingerprint {
    /// Versioned, so that a change of identity can never match old alerts by accident.
    #[serde(rename = "oauthlint/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

/// SARIF's end column is exclusive, as ours is.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    let results = output
        .diagnostics
        .iter()
        .zip(fingerprints(output))
        .map(|(d, fingerprint)| result(output.sources, d, fingerprint))
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "oauthlint",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: ALL.iter().map(|r| descriptor(r.meta())).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

fn descriptor(meta: &'static RuleMeta) -> Descriptor {
    Descriptor {
        id: meta.name,
        short_description: Text {
            text: meta.summary(),
        },
        full_description: Text {
            text: section(meta.page, "What it flags").unwrap_or(meta.summary()),
        },
        help: Help {
            text: meta.page,
            markdown: meta.page,
        },
        default_configuration: Configuration {
            level: level(meta.level),
        },
        properties: Properties {
            tags: [meta.category.as_str()],
        },
    }
}

/// The text of a page's `## heading` section.
fn section<'a>(page: &'a str, heading: &str) -> Option<&'a str> {
    let start = page.find(&format!("\n## {heading}\n"))? + heading.len() + 5;
    let rest = &page[start..];
    Some(rest[..rest.find("\n## ").unwrap_or(rest.len())].trim())
}

fn result<'a>(sources: &'a SourceDb, d: &'a Diagnostic, fingerprint: String) -> SarifResult<'a> {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    SarifResult {
        rule_id: d.rule,
        rule_index: ALL.iter().position(|r| r.meta().name == d.rule),
        level: level(d.level),
        message: OwnedText { text: message },
        locations: [location(sources, &d.primary, None)],
        related_locations: (d.secondary.iter().enumerate())
            .map(|(i, l)| location(sources, l, Some(i + 1)))
            .collect(),
        partial_fingerprints: Fingerprint { v1: fingerprint },
    }
}

fn location<'a>(sources: &SourceDb, label: &'a Label, id: Option<usize>) -> SarifLocation<'a> {
    let at = Location::of(sources, label);
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(at.file) },
            region: Region {
                start_line: at.line,
                start_column: at.column,
                end_line: at.end_line,
                end_column: at.end_column,
            },
        },
        message: (!label.message.is_empty()).then_some(Text {
            text: &label.message,
        }),
    }
}
