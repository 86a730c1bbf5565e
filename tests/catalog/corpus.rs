//! Runs the catalog's validator over every policy, proxy endpoint, target endpoint and shared
//! flow of the corpus (`../shared/corpus/bundles`, beside the project) and records what it
//! finds, so that every structure problem on real, deployed bundles is one read and judged.
//! Part of the shared group: ignored by default, run by `cargo test -- --ignored` (CI does).

use oauthlint::catalog::{validate, Platforms, Problem, StructureProblem};
use oauthlint::parse::decode::decode;
use oauthlint::parse::xml::parse;
use oauthlint::source::{FileId, SourceDb};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The folders of a bundle whose files have a kind in the catalog.
const PARTS: [&str; 4] = ["policies", "proxies", "targets", "sharedflows"];

#[test]
#[ignore = "needs ../shared beside the clone (the workspace corpus); run with `cargo test -- --ignored`"]
fn corpus_structure_problems_are_known() {
    let corpus = super::common::shared_corpus();
    let mut files = Vec::new();
    super::common::files_below(&corpus, &corpus, &mut files);
    files.retain(|relative| has_a_kind(relative));
    files.sort();
    let mut sources = SourceDb::default();
    let mut found: Vec<(FileId, String, StructureProblem)> = Vec::new();
    let mut on_one_platform: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked = 0;
    for relative in &files {
        let text = decode(&std::fs::read(corpus.join(relative)).unwrap()).text;
        let shown = relative.display().to_string();
        let id = sources.add(shown, text.clone());
        let Ok(document) = parse(id, &text) else {
            continue;
        };
        checked += 1;
        let kind = document.root.name.clone();
        // A bundle was deployed to one platform: what is a problem on one platform only is
        // counted apart; what is one on all is wrong wherever it is deployed.
        for problem in validate(&document.root) {
            if let Problem::NotOnProfile { name, platforms } = &problem.problem {
                *on_one_platform
                    .entry(format!("{kind} {name} ({platforms:?} only)"))
                    .or_default() += 1;
            } else if problem.platforms == Platforms::All {
                found.push((id, kind.clone(), problem));
            }
        }
    }
    insta::assert_snapshot!(
        "corpus_structure_problems",
        record(&sources, checked, &found, &on_one_platform)
    );
}

fn record(
    sources: &SourceDb,
    checked: usize,
    found: &[(FileId, String, StructureProblem)],
    on_one_platform: &BTreeMap<String, usize>,
) -> String {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_element: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut lines = String::new();
    for (file, kind, problem) in found {
        *by_kind.entry(kind).or_default() += 1;
        *by_element
            .entry((
                kind,
                format!("{} {}", problem.path, label(&problem.problem)),
            ))
            .or_default() += 1;
        let at = sources.start(problem.span);
        writeln!(
            lines,
            "{}:{}:{} {} {:?}",
            sources.path(*file),
            at.line,
            at.column,
            problem.path,
            problem.problem
        )
        .unwrap();
    }
    let mut out = format!(
        "{checked} files checked, {} problems\n\n# by kind\n",
        found.len()
    );
    for (kind, count) in &by_kind {
        writeln!(out, "{kind}: {count}").unwrap();
    }
    out.push_str("\n# by kind and element\n");
    for ((kind, element), count) in &by_element {
        writeln!(out, "{kind} {element}: {count}").unwrap();
    }
    out.push_str("\n# on one platform only (reported by one profile)\n");
    for (what, count) in on_one_platform {
        writeln!(out, "{what}: {count}").unwrap();
    }
    out.push_str("\n# every problem\n");
    out.push_str(&lines);
    out
}

/// The problem's variant and the name it is about, for counting.
fn label(problem: &Problem) -> String {
    match problem {
        Problem::UnknownKind { name, .. } => format!("unknown kind {name}"),
        Problem::NotOnProfile { name, .. } => format!("not on profile {name}"),
        Problem::UnknownElement { name, .. } => format!("unknown element {name}"),
        Problem::UnknownAttribute { name, .. } => format!("unknown attribute {name}"),
        Problem::InvalidValue { attribute, .. } => match attribute {
            Some(name) => format!("invalid value of {name}"),
            None => "invalid text".to_owned(),
        },
        Problem::MissingElement { name } => format!("missing element {name}"),
        Problem::MissingAttribute { name } => format!("missing attribute {name}"),
        Problem::MissingOneOf { names, .. } => format!("missing one of {}", names.join(", ")),
        Problem::Exclusive { present, .. } => format!("exclusive {}", present.join(", ")),
        Problem::Repeated { name, .. } => format!("repeated {name}"),
        Problem::UnexpectedText => "unexpected text".to_owned(),
        Problem::Deprecated { name, .. } => format!("deprecated {name}"),
    }
}

/// Every XML file in a bundle folder the catalog has kinds for (`apiproxy/policies/…`).
/// Whether a corpus file is one whose root the catalog describes: an XML file directly in one of
/// a bundle's `PARTS` folders.
fn has_a_kind(path: &Path) -> bool {
    let folder = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_owned);
    let parent = path.parent().and_then(folder);
    let bundle = path.parent().and_then(Path::parent).and_then(folder);
    matches!(bundle.as_deref(), Some("apiproxy" | "sharedflowbundle"))
        && parent.is_some_and(|p| PARTS.contains(&p.as_str()))
        && path.extension().is_some_and(|e| e == "xml")
}
