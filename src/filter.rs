//! The filter stage: from what the rules found to what the run reports, by the settings' levels.

use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rules;
use crate::settings::Settings;

/// What a run reports.
#[derive(Debug)]
pub struct Report {
    /// In output order: by file, position, rule and message, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn apply(project: &Project, settings: &Settings, mut found: Vec<Diagnostic>) -> Report {
    sort(project, &mut found);
    found.dedup();
    let diagnostics = found
        .into_iter()
        .filter_map(|mut d| {
            let rule = rules::find(d.rule).expect("findings come from registered rules");
            d.level = settings.level(rule.meta(), project.sources.path(d.primary.span.file))?;
            Some(d)
        })
        .collect();
    Report { diagnostics }
}

fn sort(project: &Project, diagnostics: &mut [Diagnostic]) {
    let key = |d: &Diagnostic| {
        (
            project.sources.path(d.primary.span.file),
            d.primary.span.start,
            d.primary.span.end,
            d.rule,
        )
    };
    diagnostics.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message)));
}
