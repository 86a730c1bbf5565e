//! Output formats: each turns the sorted findings into bytes, seeing only diagnostics and sources.

mod human;
mod json;

use crate::diagnostic::{Diagnostic, Level};
use crate::filter::BaselineCounts;
use crate::source::SourceDb;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings with their source lines, and a summary.
    Human,
    /// One JSON object for editors and tools (see README).
    Json,
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
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
}

pub fn render(format: Format, output: &Output, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(output, color, out),
        Format::Json => json::render(output, out),
    }
}
