//! Lints the shared corpus of real bundles (`../shared/corpus/bundles`, beside the project) and
//! records every finding, so a change of verdict on real-world bundles is seen in review. Every
//! finding recorded here was checked by reading the XML (see the closing notes of the issues).
//! It is the shared group: ignored by default, run by `cargo test -- --ignored` (CI does).

mod common;

use oauthlint::model::{BundleKind, ProblemKind};
use oauthlint::parse::load::load_paths;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// The number of bundles, and each finding: its rule, and its line of the record.
fn findings(paths: &[PathBuf]) -> (usize, Vec<(&'static str, String)>) {
    let corpus = common::shared_corpus().display().to_string();
    let project = load_paths(paths, &|_| false);
    assert!(
        !project
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Unreadable),
        "unreadable files in the corpus"
    );
    // The preview rules too: their findings on the corpus are what takes them out of preview.
    let lines = oauthlint::lint(&project, &common::with_preview())
        .diagnostics
        .iter()
        .map(|d| {
            let at = project.sources.start(d.primary.span);
            let path = project
                .sources
                .path(d.primary.span.file)
                .trim_start_matches(&corpus);
            let line = format!("{path}:{}:{} {} {}", at.line, at.column, d.rule, d.message);
            (d.rule, line)
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
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut repositories: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    repositories.sort();
    for repository in repositories {
        let (_, lines) = findings(std::slice::from_ref(&repository));
        for (rule, line) in &lines {
            *counts.entry(rule).or_default() += 1;
            writeln!(per_repository, "{line}").unwrap();
        }
    }
    let mut record = String::from("# whole corpus as one project\n");
    for (_, line) in &all {
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

/// How a reference resolved, for the record.
fn verdict<T>(resolved: Option<&oauthlint::model::Resolved<T>>) -> Option<&'static str> {
    use oauthlint::model::Resolved;
    Some(match resolved? {
        Resolved::Found(_) => "found",
        Resolved::Ambiguous(_) => "ambiguous",
        Resolved::Missing => "missing",
        Resolved::Dynamic => "dynamic",
    })
}

/// The model resolves references as a scan by name finds them: a Step's policy, a FlowCallout's
/// shared flow (what the engine follows). How each kind of reference resolves across the corpus is recorded.
#[test]
#[ignore = "needs ../shared beside the clone (the workspace corpus); run with `cargo test -- --ignored`"]
fn corpus_references_resolve_as_the_engine_follows_them() {
    use oauthlint::model::Resolved;
    let project = load_paths(&[common::shared_corpus()], &|_| false);
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut count = |kind, verdict: Option<&'static str>| {
        if let Some(verdict) = verdict {
            *counts.entry((kind, verdict)).or_default() += 1;
        }
    };
    for bundle in &project.bundles {
        for step in bundle.all_steps() {
            let resolved = project.step_policy(step.id);
            let first = resolved.and_then(Resolved::first);
            assert_eq!(
                first,
                bundle
                    .policies
                    .iter()
                    .find(|p| p.name == step.name)
                    .map(|p| p.id),
                "{}",
                step.name
            );
            count("step -> policy", verdict(resolved));
        }
        for policy in &bundle.policies {
            let resolved = project.callout_bundle(policy.id);
            // The first shared flow bundle of that name, as a scan by name finds it.
            let named = policy
                .flow_callout()
                .and_then(|c| c.shared_flow_bundle.as_ref());
            let scanned = named.and_then(|name| {
                project
                    .bundles
                    .iter()
                    .find(|b| b.kind == BundleKind::SharedFlow && b.name == name.value)
                    .map(|b| b.id)
            });
            assert_eq!(
                resolved.and_then(Resolved::first),
                scanned,
                "{}",
                policy.name
            );
            count("flow callout -> shared flow bundle", verdict(resolved));
        }
        for rule in bundle.proxy_endpoints.iter().flat_map(|e| &e.route_rules) {
            count(
                "route rule -> target endpoint",
                verdict(project.route_target(rule.id)),
            );
        }
        for target in &bundle.target_endpoints {
            let resolved = project.chained_endpoint(target.id);
            count(
                "local target connection -> proxy endpoint",
                verdict(resolved),
            );
        }
    }
    let mut record = String::new();
    for ((kind, verdict), n) in counts {
        writeln!(record, "{kind}: {verdict} {n}").unwrap();
    }
    insta::assert_snapshot!("corpus_references", record);
}

/// The whole corpus as one project gives the same report, byte for byte, on one thread and on
/// several (the cheap formats' and fixtures' check is `threads_do_not_change_the_report` in
/// tests/cli.rs).
#[test]
#[ignore = "needs ../shared beside the clone (the workspace corpus); run with `cargo test -- --ignored`"]
fn corpus_report_is_the_same_on_one_thread_and_several() {
    let corpus = common::shared_corpus();
    let run = |threads: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_oauthlint"))
            .args([
                "--no-config",
                "--preview",
                "--format",
                "json",
                "--threads",
                threads,
            ])
            .arg(&corpus)
            .output()
            .expect("the binary runs");
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let one = run("1");
    assert!(run("4") == one, "--threads 4 differs from --threads 1");
}
