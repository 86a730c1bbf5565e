//! Lints the shared corpus of real bundles (`../shared/corpus/bundles`, beside the project) and
//! records every finding, so a change of verdict on real-world bundles is seen in review. Every
//! finding recorded here was checked by reading the XML (see the closing notes of the issues).
//! It is the shared group: ignored by default, run by `cargo test -- --ignored` (CI does).

mod common;

use oauthlint::model::ProblemKind;
use oauthlint::parse::load::load_paths;
use oauthlint::settings::Settings;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

fn findings(paths: &[PathBuf]) -> (usize, Vec<String>) {
    let corpus = common::shared_corpus().display().to_string();
    let project = load_paths(paths, &|_| false);
    assert!(
        !project
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Unreadable),
        "unreadable files in the corpus"
    );
    let lines = oauthlint::lint(&project, &Settings::default())
        .diagnostics
        .iter()
        .map(|d| {
            let at = project.sources.start(d.primary.span);
            let path = project
                .sources
                .path(d.primary.span.file)
                .trim_start_matches(&corpus);
            format!("{path}:{}:{} {} {}", at.line, at.column, d.rule, d.message)
        })
        .collect();
    (project.bundles.len(), lines)
}

#[test]
#[ignore = "needs ../shared beside the clone (the workspace corpus); run with `cargo test -- --ignored`"]
fn corpus_loads_and_its_findings_are_known() {
    let corpus = common::shared_corpus();
    let (bundles, all) = findings(std::slice::from_ref(&corpus));
    assert_eq!(bundles, 284, "every bundle of the corpus loads");

    // Each repository linted on its own, as its CI would.
    let mut per_repository = String::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut repositories: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    repositories.sort();
    for repository in repositories {
        let (_, lines) = findings(std::slice::from_ref(&repository));
        for line in &lines {
            let rule = line.split(' ').nth(1).unwrap().to_owned();
            *counts.entry(rule).or_default() += 1;
            writeln!(per_repository, "{line}").unwrap();
        }
    }
    let mut record = String::from("# whole corpus as one project\n");
    for line in &all {
        writeln!(record, "{line}").unwrap();
    }
    record.push_str("\n# each repository as its own project\n");
    record.push_str(&per_repository);
    record.push_str("\n# counts per rule, each repository as its own project\n");
    for (rule, count) in &counts {
        writeln!(record, "{rule}: {count}").unwrap();
    }
    insta::assert_snapshot!("corpus_findings", record);
}
