//! `--format gitlab`: GitLab's Code Quality report, a JSON array that merge requests show as
//! new and fixed findings, matched across runs by fingerprint.

use super::location::Location;
use super::{fingerprints, Output};
use crate::diagnostic::Level;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// Errors stop the run and most would stop a deployment; warnings are OAuth and flow mistakes
/// worth a reviewer's eye; info is information.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "critical",
        Level::Warning => "major",
        Level::Info => "info",
    }
}

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    let issues: Vec<Issue> = output
        .diagnostics
        .iter()
        .zip(fingerprints(output))
        .map(|(d, fingerprint)| {
            let at = Location::of(output.sources, &d.primary);
            Issue {
                description: &d.message,
                check_name: d.rule,
                fingerprint,
                severity: severity(d.level),
                location: IssueLocation {
                    path: at.file,
                    lines: Lines { begin: at.line },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
