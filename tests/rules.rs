//! Runs `fixtures/rules/<rule>/<case>/` (see `common::read_case`): `bad-*` cases must expect the
//! rule, `ok-*` cases must not. A case may carry an `oauthlint.toml` for the run's profile and
//! the rules' options.

mod common;

use common::{check_case, read_case};
use libtest_mimic::{Arguments, Trial};
use std::path::{Path, PathBuf};

fn cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut cases = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap().filter_map(Result::ok) {
        for case in std::fs::read_dir(rule.path())
            .unwrap()
            .filter_map(Result::ok)
        {
            cases.push((rule.file_name().to_string_lossy().into_owned(), case.path()));
        }
    }
    cases.sort();
    cases
}

/// One test per case, named `rule-name::case`: `cargo test --test rules -- unreachable-flow::`
/// runs one rule's cases.
fn main() {
    let trials = cases()
        .into_iter()
        .map(|(rule, dir)| {
            let case = dir.file_name().unwrap().to_string_lossy().into_owned();
            Trial::test(format!("{rule}::{case}"), move || {
                check(&rule, &case, &dir);
                Ok(())
            })
        })
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

fn check(rule: &str, case: &str, dir: &Path) {
    let (files, expected) = read_case(dir);
    let what = format!("fixtures/rules/{rule}/{case}");
    let expects_rule = expected.iter().any(|(_, _, r)| *r == rule);
    if case.starts_with("bad-") {
        assert!(
            expects_rule,
            "{what}: a bad-* case must expect at least one `{rule}` finding"
        );
    } else {
        assert!(
            !expects_rule,
            "{what}: an ok-* case must not expect `{rule}`"
        );
    }
    check_case(dir, &what, files, expected);
}
