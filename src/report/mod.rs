//! Output formats: each turns the sorted findings into bytes, seeing only diagnostics and sources.

mod checkstyle;
mod concise;
mod escape;
mod excerpt;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod location;
mod sarif;

use crate::diagnostic::{Diagnostic, Level};
use crate::filter::BaselineCounts;
use crate::fingerprint::Fingerprints;
use crate::model::Outlines;
use crate::source::SourceDb;
use std::collections::HashMap;
use std::io::{self, Write};

pub use human::summary_line;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with their source lines, and a summary.
    Human,
    /// One line a finding, `path:line:col: level[rule] message`, and a summary.
    Concise,
    /// One JSON object for editors and tools (see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML, a testsuite per rule, for Jenkins and Azure Pipelines.
    Junit,
    /// Checkstyle XML, for Jenkins' warnings plugin, SonarQube and reviewdog.
    Checkstyle,
    /// GitLab Code Quality JSON, for merge requests.
    Gitlab,
}

impl Format {
    /// Machine formats must stay parseable, so the summary line goes elsewhere (stderr).
    pub fn is_machine_readable(self) -> bool {
        !matches!(self, Format::Human | Format::Concise)
    }
}

/// Counts for the closing line and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Summary {
    pub bundles: usize,
    pub files: usize,
    /// Files the configuration left out of the run.
    pub excluded: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// What the baseline did, when the run had one.
    pub baseline: Option<BaselineCounts>,
}

impl Summary {
    pub fn new(bundles: usize, files: usize, diagnostics: &[Diagnostic]) -> Summary {
        let count = |level| diagnostics.iter().filter(|d| d.level == level).count();
        Summary {
            bundles,
            files,
            excluded: 0,
            errors: count(Level::Error),
            warnings: count(Level::Warning),
            infos: count(Level::Info),
            baseline: None,
        }
    }
}

pub struct Output<'a> {
    pub sources: &'a SourceDb,
    /// The files' outlines, which findings' fingerprints name elements of.
    pub outlines: &'a Outlines,
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
}

pub fn render(format: Format, output: &Output, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(output, color, out),
        Format::Concise => concise::render(output, out),
        Format::Json => json::render(output, out),
        Format::Sarif => sarif::render(output, out),
        Format::Github => github::render(output, out),
        Format::Junit => junit::render(output, out),
        Format::Checkstyle => checkstyle::render(output, out),
        Format::Gitlab => gitlab::render(output, out),
    }
}

/// What follows the message where a format carries a body (GitHub, JUnit): each secondary label
/// as `path:line:col: message`, then the help, each on one line.
fn details(sources: &SourceDb, d: &Diagnostic) -> Vec<String> {
    let labels = d.secondary.iter().map(|l| {
        let at = location::Location::of(sources, l);
        format!("{at}: {}", escape::one_line(&l.message))
    });
    let help = d
        .help
        .iter()
        .map(|h| format!("help: {}", escape::one_line(h)));
    labels.chain(help).collect()
}

/// Each finding's [`Fingerprints`] identity, for SARIF and GitLab. Two findings of one run may
/// share it (one rule, one element, the same text); the later ones get `-2`, `-3`…, since GitLab
/// would show only one finding per fingerprint.
fn fingerprints(output: &Output) -> Vec<String> {
    let identity = Fingerprints::new(output.sources, output.outlines);
    let mut seen: HashMap<String, usize> = HashMap::new();
    output
        .diagnostics
        .iter()
        .map(|d| {
            let fingerprint = identity.of(d);
            let n = seen.entry(fingerprint.clone()).or_default();
            *n += 1;
            match *n {
                1 => fingerprint,
                n => format!("{fingerprint}-{n}"),
            }
        })
        .collect()
}
