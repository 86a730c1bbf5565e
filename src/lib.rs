//! oauthlint: static analysis of Apigee API proxy bundles for OAuth 2.0 antipatterns.
//!
//! Data flows one way: discover → parse → model → engine → rules → report.

pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod fingerprint;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
pub mod suggest;

use diagnostic::Diagnostic;
use model::Project;

/// Runs every rule over a loaded project and returns the findings in output order:
/// by file, position, rule and message, without duplicates.
pub fn lint(project: &Project) -> Vec<Diagnostic> {
    let engine = engine::Engine::new(project);
    let mut diagnostics = rules::check_all(project, &engine);
    let key = |d: &Diagnostic| {
        (
            project.sources.path(d.primary.span.file),
            d.primary.span.start,
            d.primary.span.end,
            d.rule,
        )
    };
    diagnostics.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message)));
    diagnostics.dedup();
    diagnostics
}
