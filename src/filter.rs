//! The filter stage: from what the rules found to what the run reports. Each finding takes the
//! level the settings give it (or is dropped where its rule is off), then suppression comments
//! remove the findings they cover, and the rules they name that covered nothing are reported;
//! last, a baseline removes the findings it knows.

use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::rules::{self, apigeelint, RuleMeta, UnusedSuppression};
use crate::settings::Settings;

/// What a run reports.
#[derive(Debug)]
pub struct Report {
    /// In output order: by file, position, rule and message, without duplicates.
    pub diagnostics: Vec<Diagnostic>,
    /// What the baseline did, when there is one.
    pub baseline: Option<BaselineCounts>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BaselineCounts {
    /// Findings the baseline knew, left out of the report.
    pub matched: usize,
    /// Findings of the baseline that no longer occur: fixed, most likely.
    pub gone: usize,
}

pub fn apply(project: &Project, settings: &Settings, mut found: Vec<Diagnostic>) -> Report {
    sort(project, &mut found);
    found.dedup();
    // For each suppression, what each rule it names did.
    let mut uses: Vec<Vec<Use>> = project
        .suppressions
        .iter()
        .map(|s| vec![Use::Unused; s.rules.len()])
        .collect();
    let mut diagnostics = Vec::new();
    for mut d in found {
        let path = project.sources.path(d.primary.span.file);
        let Some(level) = settings.level(meta(d.rule), path) else {
            continue;
        };
        d.level = level;
        let covering = covering(project, settings, &d);
        // The innermost suppression is the one that suppresses; the others only repeat it.
        for (i, &(s, r)) in covering.iter().enumerate() {
            let now = if i == 0 {
                Use::Suppressed
            } else {
                Use::Shadowed
            };
            uses[s][r] = uses[s][r].max(now);
        }
        if covering.is_empty() {
            diagnostics.push(d);
        }
    }
    diagnostics.extend(unused_suppressions(project, settings, &uses));
    sort(project, &mut diagnostics);
    let baseline = settings.baseline().map(|b| {
        let (new, counts) = b.absorb(project, settings, std::mem::take(&mut diagnostics));
        diagnostics = new;
        counts
    });
    Report {
        diagnostics,
        baseline,
    }
}

/// What a rule named in a suppression did, from least to most.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    Unused,
    /// It covered findings that a closer suppression suppressed.
    Shadowed,
    Suppressed,
}

fn meta(rule: &str) -> &'static RuleMeta {
    rules::find(rule)
        .expect("findings come from registered rules")
        .meta()
}

/// The suppressions that cover `d`, innermost first, each with the index of the name that
/// matched.
fn covering(project: &Project, settings: &Settings, d: &Diagnostic) -> Vec<(usize, usize)> {
    if !meta(d.rule).suppressible() {
        return Vec::new();
    }
    let at = d.primary.span;
    let honoured = settings.honours_apigeelint_comments(project.sources.path(at.file));
    let mut covering: Vec<(usize, usize, u32)> = project
        .suppressions
        .iter()
        .enumerate()
        .filter_map(|(s, suppression)| {
            let scope = suppression.scope?;
            let covers = suppression.takes_effect(honoured)
                && scope.file == at.file
                && scope.start <= at.start
                && at.end <= scope.end;
            let r = suppression
                .rules
                .iter()
                .position(|r| apigeelint::stands_for(&r.value, d.rule))?;
            covers.then_some((s, r, scope.end - scope.start))
        })
        .collect();
    covering.sort_by_key(|&(_, _, size)| size);
    covering.into_iter().map(|(s, r, _)| (s, r)).collect()
}

const REMOVE_NAME: &str =
    "remove the rule's name from the comment, or the comment when it names no other rule";

/// `unused-suppression` for every rule a suppression names that suppressed nothing, unless the
/// rule is off there (nothing can be said then) or `invalid-suppression` already reports it.
fn unused_suppressions(
    project: &Project,
    settings: &Settings,
    uses: &[Vec<Use>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (suppression, uses) in project.suppressions.iter().zip(uses) {
        let path = project.sources.path(suppression.span.file);
        if !suppression.takes_effect(settings.honours_apigeelint_comments(path)) {
            continue;
        }
        let Some(level) = settings.level(&UnusedSuppression::META, path) else {
            continue;
        };
        for (name, &used) in suppression.rules.iter().zip(uses) {
            if used == Use::Suppressed {
                continue;
            }
            // A name that stands for no rule is `invalid-suppression`'s to report.
            let Ok(stood_for) = apigeelint::rules_named(&name.value) else {
                continue;
            };
            if !stood_for
                .iter()
                .any(|rule| rule.suppressible() && settings.level(rule, path).is_some())
            {
                continue;
            }
            let rule = &name.value;
            let (message, help) = match (suppression.scope, used) {
                (None, _) => (
                    format!("this comment covers nothing, so it cannot suppress `{rule}`: no element follows it"),
                    "a suppression covers the element right after it: move it before the element it is about",
                ),
                (Some(_), Use::Shadowed) => (
                    format!("the `{rule}` findings this comment covers are suppressed by a closer comment"),
                    REMOVE_NAME,
                ),
                (Some(_), _) if suppression.is_apigeelint() => (
                    format!("the oauthlint rules that replace `{rule}` flag nothing that this apigeelint comment covers"),
                    "remove the ID from the comment once apigeelint no longer needs it (oauthlint honours these comments because `honour_apigeelint_comments` is set)",
                ),
                (Some(_), _) => (
                    format!("`{rule}` flags nothing that this comment covers"),
                    REMOVE_NAME,
                ),
            };
            let mut d = Diagnostic::new(&UnusedSuppression::META, name.span, message).help(help);
            d.level = level;
            out.push(d);
        }
    }
    out
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
