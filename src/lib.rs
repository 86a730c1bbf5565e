//! oauthlint: static analysis of Apigee API proxy bundles for OAuth 2.0 antipatterns.
//!
//! Data flows one way: discover → parse → model → engine → rules → filter → report.

pub mod catalog;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod filter;
pub mod fingerprint;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod threads;

pub use filter::Report;
use model::Project;
use settings::Settings;

/// Runs the rules `settings` turn on over a loaded project, then keeps and levels the findings as
/// they say.
pub fn lint(project: &Project, settings: &Settings) -> Report {
    let plan = settings.plan(project);
    let checks = plan.declared_caller_checks();
    let engine = engine::Engine::on_threads(project, checks, settings.threads());
    let found = rules::run(project, &engine, &plan, settings.threads());
    // Freeing the engine's graphs is a few percent of what the calling thread does: with threads,
    // it is done on one of its own while the findings are filtered.
    std::thread::scope(|scope| {
        if settings.threads() > 1 {
            scope.spawn(move || drop(engine));
        } else {
            drop(engine);
        }
        filter::apply(project, settings, found)
    })
}
