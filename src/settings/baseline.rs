//! A baseline: the findings a project had when it was written (`--write-baseline FILE`), so that
//! a run with `--baseline FILE` reports and fails only on new ones. Findings are matched by rule,
//! file and fingerprint, which survive line shifts; files are named from the baseline's folder,
//! so the folder oauthlint runs in does not matter. The file is sorted JSON, one entry per
//! finding, with the element path and message for whoever reviews it.

use super::Settings;
use crate::diagnostic::Diagnostic;
use crate::filter::BaselineCounts;
use crate::fingerprint::Fingerprints;
use crate::model::Project;
use miette::{miette, IntoDiagnostic};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// Sorted by file, then element path, then rule.
#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    element: String,
    rule: String,
    message: String,
    fingerprint: String,
}

/// A baseline read for a run.
pub struct Baseline {
    /// The baseline file's folder, canonical.
    dir: PathBuf,
    /// How many findings each (rule, file, fingerprint) had.
    counts: HashMap<(String, String, String), usize>,
}

impl Baseline {
    pub fn read(path: &Path) -> miette::Result<Baseline> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| {
            miette!(
                help = format!("write one with `oauthlint --write-baseline {shown}`"),
                "cannot read the baseline `{shown}`: {e}"
            )
        })?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|e| miette!("`{shown}` is not a baseline: {e}"))?;
        if file.version != VERSION {
            return Err(miette!(
                help = format!("re-write it with `oauthlint --write-baseline {shown}`"),
                "`{shown}` is a baseline of version {}, and this oauthlint reads version {VERSION}",
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for e in file.findings {
            *counts.entry((e.rule, e.file, e.fingerprint)).or_default() += 1;
        }
        Ok(Baseline {
            dir: folder_of(path)?,
            counts,
        })
    }

    /// Splits findings into the new ones, which are returned, and those the baseline knows.
    pub fn absorb(
        &self,
        project: &Project,
        settings: &Settings,
        diagnostics: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, BaselineCounts) {
        let mut left = self.counts.clone();
        let fingerprints = Fingerprints::of_project(project);
        let mut matched = 0;
        let new = diagnostics
            .into_iter()
            .filter(|d| {
                let e = entry(project, settings, &self.dir, &fingerprints, d);
                match left.get_mut(&(e.rule, e.file, e.fingerprint)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        matched += 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect();
        let gone = left.values().sum();
        (new, BaselineCounts { matched, gone })
    }
}

/// Writes the baseline of `diagnostics` to `path`; returns how many findings it holds.
pub fn write(
    path: &Path,
    project: &Project,
    settings: &Settings,
    diagnostics: &[Diagnostic],
) -> miette::Result<usize> {
    let dir = folder_of(path)?;
    let fingerprints = Fingerprints::of_project(project);
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .map(|d| entry(project, settings, &dir, &fingerprints, d))
        .collect();
    findings.sort();
    let count = findings.len();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).into_diagnostic()?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| miette!("cannot write the baseline `{}`: {e}", path.display()))?;
    Ok(count)
}

fn entry(
    project: &Project,
    settings: &Settings,
    dir: &Path,
    fingerprints: &Fingerprints,
    d: &Diagnostic,
) -> Entry {
    let file = settings.path_from(dir, project.sources.path(d.primary.span.file));
    Entry {
        element: fingerprints.element_path(d.primary.span),
        rule: d.rule.to_owned(),
        message: d.message.clone(),
        fingerprint: fingerprints.of_at(d, &file),
        file,
    }
}

/// The folder holding `path` (which need not exist yet), canonical.
fn folder_of(path: &Path) -> miette::Result<PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::canonicalize(parent).map_err(|e| miette!("cannot read `{}`: {e}", parent.display()))
}
