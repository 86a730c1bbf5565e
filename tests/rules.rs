//! Runs `fixtures/rules/<rule>/<case>/`: every `<!-- expect: … -->` marker must match a finding
//! and every finding a marker; `bad-*` cases must expect the rule, `ok-*` cases must not. Only
//! then is the output compared with the case's `findings.snap`. A file that cannot hold a marker
//! (an empty one) gets a side file `<file>.expect` with `LINE rule` lines.

mod common;

use common::{assert_findings, expectations, files_below, lint};
use oauthlint::parse::load::{load_memory, MemoryFile};
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

#[test]
fn rule_fixtures_hold() {
    for (rule, dir) in cases() {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut paths = Vec::new();
        files_below(&dir, &dir, &mut paths);
        let mut files: Vec<MemoryFile> = Vec::new();
        let mut expected = Vec::new();
        for path in paths {
            let bytes = std::fs::read(dir.join(&path)).unwrap();
            let name = path.to_string_lossy().replace('\\', "/");
            // `X.expect` holds `LINE rule` lines for a file X that cannot carry a marker.
            if let Some(target) = name.strip_suffix(".expect") {
                for line in String::from_utf8_lossy(&bytes).lines() {
                    let (at, rule) = line.split_once(' ').expect("`LINE rule`");
                    expected.push((
                        target.to_owned(),
                        at.parse().expect("a line number"),
                        rule.trim().to_owned(),
                    ));
                }
                continue;
            }
            expected.extend(expectations(&name, &String::from_utf8_lossy(&bytes)));
            files.push((name, Ok(bytes)));
        }
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
        let (found, rendered) = lint(&load_memory(files));
        assert_findings(&what, expected, found, &rendered);
        insta::with_settings!({
            snapshot_path => dir.clone(),
            prepend_module_to_snapshot => false,
            description => what.clone(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("findings", rendered);
        });
    }
}
