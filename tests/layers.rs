//! Boundaries of the data flow that the compiler does not hold: above the model nothing reads
//! element trees, and the engine and the rules name policy kinds and OAuthV2 operations through
//! the catalog's enums and facts, never as text.

use oauthlint::catalog::{kinds, OAuthOperation};
use regex::Regex;
use std::path::{Path, PathBuf};

/// Text equal to a kind's or an operation's name that means something else, and what.
const NOT_KINDS: [(&str, &str, &str); 1] = [(
    "src/engine/interp.rs",
    "RaiseFault",
    "the fault a RaiseFault raises (its kind's `raises` fact), which ends FaultRules",
)];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Rust files below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `path` relative to the crate, with `/`.
fn shown(path: &Path) -> String {
    let relative = path.strip_prefix(root()).unwrap();
    relative.to_string_lossy().replace('\\', "/")
}

#[test]
fn nothing_above_the_model_reads_element_trees() {
    let below = ["src/parse/", "src/model/", "src/catalog/"];
    let reads = Regex::new(r"parse::xml|\.element\b|\btrees\.root\b").unwrap();
    let mut found = Vec::new();
    for file in rust_files(&root().join("src")) {
        let path = shown(&file);
        if below.iter().any(|b| path.starts_with(b)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if reads.is_match(line) {
                found.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "read the typed model instead:\n{found:#?}"
    );
}

#[test]
fn the_engine_and_the_rules_name_kinds_and_operations_by_their_enums() {
    let policy_kinds = kinds().iter().filter_map(|k| k.policy).map(|k| k.name());
    let names: Vec<&str> = policy_kinds
        .chain(OAuthOperation::ALL.iter().map(|o| o.name()))
        .collect();
    let literal = Regex::new(r#""(\w+)""#).unwrap();
    let mut found = Vec::new();
    for dir in ["src/engine", "src/rules"] {
        for file in rust_files(&root().join(dir)) {
            let path = shown(&file);
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, line) in text.lines().enumerate() {
                for name in literal
                    .captures_iter(line)
                    .map(|c| c.get(1).unwrap().as_str())
                {
                    let excused = NOT_KINDS.iter().any(|&(p, n, _)| p == path && n == name);
                    if names.contains(&name) && !excused {
                        found.push(format!("{path}:{}: {}", i + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "use PolicyKind, OAuthOperation or the catalog's facts:\n{found:#?}"
    );
}
