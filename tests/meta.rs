//! Keeps the rule registry, the rule pages, the fixtures and the README in step.

use oauthlint::rules::options::page_mismatches;
use oauthlint::rules::ALL;
use std::collections::BTreeSet;
use std::path::Path;

const OUTLINE: [&str; 6] = [
    "What it flags",
    "Why it matters",
    "Examples",
    "Options",
    "Suppressing",
    "See also",
];

/// Rules whose failure cannot be stored in a git fixture, and where else they are covered.
const WITHOUT_FIXTURES: [(&str, &str); 2] = [
    (
        "unreadable-file",
        "tests/cli.rs makes an unreadable entry at run time",
    ),
    (
        "unsafe-archive",
        "hostile zips would be opaque binaries in git: tests/cli.rs and the page's examples build them at run time",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn names_in(dir: &Path, strip: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .trim_end_matches(strip)
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn rule_names_are_unique_kebab_case() {
    let mut seen = BTreeSet::new();
    for rule in ALL {
        let name = rule.meta().name;
        assert!(seen.insert(name), "rule `{name}` is registered twice");
        let kebab = !name.is_empty()
            && name.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        assert!(kebab, "rule name `{name}` is not kebab-case");
    }
}

#[test]
fn every_page_has_its_rule_and_the_outline() {
    let registered: BTreeSet<String> = ALL.iter().map(|r| r.meta().name.to_owned()).collect();
    let pages = names_in(&root().join("rules"), ".md");
    assert_eq!(pages, registered, "rules/*.md and the registry differ");
    for rule in ALL {
        let meta = rule.meta();
        let page = meta.page;
        assert!(
            page.starts_with(&format!("# {}\n", meta.name)),
            "rules/{}.md must start with `# {}`",
            meta.name,
            meta.name
        );
        let headings: Vec<&str> = page.lines().filter_map(|l| l.strip_prefix("## ")).collect();
        assert_eq!(
            headings, OUTLINE,
            "rules/{}.md must have exactly the sections {OUTLINE:?}",
            meta.name
        );
        let summary = meta.summary();
        assert!(
            summary.starts_with("Flags ") && summary.ends_with('.'),
            "rules/{}.md: the first paragraph is a one-sentence summary starting with `Flags`",
            meta.name
        );
        let count = |prefix: &str| page.lines().filter(|l| l.starts_with(prefix)).count();
        assert!(
            count("### Flagged") >= 2,
            "rules/{}.md needs at least two `### Flagged` examples",
            meta.name
        );
        assert!(
            count("### Silent") >= 2,
            "rules/{}.md needs at least two `### Silent` examples",
            meta.name
        );
        assert_eq!(
            count("### "),
            count("### Flagged") + count("### Silent"),
            "rules/{}.md: examples are `### Flagged: …` or `### Silent: …`",
            meta.name
        );
        let mismatches = page_mismatches(page, &meta.options);
        assert!(
            mismatches.is_empty(),
            "rules/{}.md, `## Options`: {}",
            meta.name,
            mismatches.join("; ")
        );
        let titles: Vec<&str> = page.lines().filter(|l| l.starts_with("### ")).collect();
        let unique: BTreeSet<&&str> = titles.iter().collect();
        assert_eq!(
            unique.len(),
            titles.len(),
            "rules/{}.md: each example's title names its test, so titles must differ",
            meta.name
        );
    }
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_a_rule() {
    let registered: BTreeSet<String> = ALL.iter().map(|r| r.meta().name.to_owned()).collect();
    let dirs = names_in(&root().join("fixtures/rules"), "");
    for dir in &dirs {
        assert!(
            registered.contains(dir),
            "fixtures/rules/{dir} names no rule"
        );
    }
    for name in &registered {
        if WITHOUT_FIXTURES.iter().any(|(n, _)| n == name) {
            continue;
        }
        let cases = names_in(&root().join("fixtures/rules").join(name), "");
        assert!(
            cases.iter().any(|c| c.starts_with("bad-")),
            "fixtures/rules/{name} needs a bad-* case"
        );
        assert!(
            cases.iter().any(|c| c.starts_with("ok-")),
            "fixtures/rules/{name} needs an ok-* case"
        );
        for case in &cases {
            assert!(
                case.starts_with("bad-") || case.starts_with("ok-"),
                "fixtures/rules/{name}/{case}: cases are named bad-* or ok-*"
            );
        }
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let expected: Vec<String> = ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            format!(
                "| [{0}](rules/{0}.md) | {1} | {2} |",
                m.name,
                m.level.as_str(),
                m.summary()
            )
        })
        .collect();
    let listed: Vec<&str> = readme.lines().filter(|l| l.starts_with("| [")).collect();
    assert_eq!(
        listed,
        expected,
        "README.md's rule table must be exactly (in registry order):\n{}",
        expected.join("\n")
    );
}
