//! Keeps the rule registry, the rule pages, the fixtures and the README in step.

use oauthlint::rules::apigeelint::{self, Check, Status};
use oauthlint::rules::options::page_mismatches;
use oauthlint::rules::{Category, NoOptions, OptionsType, RuleMeta, ALL};
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
        check_page(rule.meta());
    }
}

/// The page has the outline, a summary, two examples of each kind with distinct titles, and
/// describes the rule's options.
fn check_page(meta: &RuleMeta) {
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
        check_fixture_cases(root(), name);
    }
}

/// `fixtures/rules/<name>/` below `root` has a bad-* and an ok-* case, and no other.
fn check_fixture_cases(root: &Path, name: &str) {
    let cases = names_in(&root.join("fixtures/rules").join(name), "");
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

/// Where README.md's rules table starts and ends: what is between is written from the registry.
const TABLE_BEGIN: &str =
    "<!-- The rules table is written from the registry: UPDATE_README=1 cargo test --test meta -->\n";
const TABLE_END: &str = "<!-- End of the rules table. -->\n";

/// The README's rules table, from the registry.
fn rules_table() -> String {
    let mut table = String::from("| rule | level | what it flags |\n| --- | --- | --- |\n");
    for rule in ALL {
        let m = rule.meta();
        let preview = if m.preview { " (preview)" } else { "" };
        table.push_str(&format!(
            "| [{0}](rules/{0}.md) | {1}{preview} | {2} |\n",
            m.name,
            m.level.as_str(),
            m.summary()
        ));
    }
    table
}

#[test]
fn readme_rules_table_is_the_registry() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (before, rest) = readme
        .split_once(TABLE_BEGIN)
        .expect("README.md marks where its rules table begins");
    let (listed, after) = rest
        .split_once(TABLE_END)
        .expect("README.md marks where its rules table ends");
    let table = rules_table();
    if listed == table {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(
            &path,
            format!("{before}{TABLE_BEGIN}{table}{TABLE_END}{after}"),
        )
        .unwrap();
        return;
    }
    panic!(
        "README.md's rules table differs from the registry: rewrite it with \
         `UPDATE_README=1 cargo test --test meta` and commit the change"
    );
}

/// `scripts/new-rule`, run in a copy of the registry, writes a rule file, a page that keeps the
/// house rules, the registry line and the two fixture cases, and refuses to write them twice.
#[cfg(unix)]
#[test]
fn the_scaffold_writes_the_three_things_a_rule_costs() {
    let dir = std::env::temp_dir().join(format!("oauthlint-scaffold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["scripts", "src/rules", "rules", "fixtures/rules"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    for file in ["scripts/new-rule", "src/rules/mod.rs"] {
        std::fs::copy(root().join(file), dir.join(file)).unwrap();
    }
    let scaffold = |args: &[&str]| {
        std::process::Command::new("bash")
            .arg(dir.join("scripts/new-rule"))
            .args(args)
            .output()
            .unwrap()
    };
    let made = scaffold(&["token-in-query-string", "oauth", "warning"]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let rule = std::fs::read_to_string(dir.join("src/rules/token_in_query_string.rs")).unwrap();
    assert!(rule.contains("    TokenInQueryString,\n    \"token-in-query-string\",\n    OAuth,\n    Warning,\n    preview = true,\n"));
    let registry = std::fs::read_to_string(dir.join("src/rules/mod.rs")).unwrap();
    let original = std::fs::read_to_string(root().join("src/rules/mod.rs")).unwrap();
    let line = "    token_in_query_string::TokenInQueryString,\n";
    assert_eq!(
        registry.replacen(line, "", 1),
        original,
        "one line is added"
    );
    let block = registry
        .split("registry! {\n")
        .nth(1)
        .unwrap()
        .split("\n}\n")
        .next()
        .unwrap();
    assert!(
        block.contains(line.trim_end()),
        "the line is in the registry"
    );

    let page = std::fs::read_to_string(dir.join("rules/token-in-query-string.md")).unwrap();
    check_page(&RuleMeta {
        name: "token-in-query-string",
        category: Category::OAuth,
        level: oauthlint::diagnostic::Level::Warning,
        edge_level: None,
        preview: true,
        apigeelint: &[],
        policy_kinds: None,
        options: OptionsType::of::<NoOptions>(),
        page: Box::leak(page.into_boxed_str()),
    });
    check_fixture_cases(&dir, "token-in-query-string");

    let again = scaffold(&["token-in-query-string", "oauth", "warning"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        scaffold(&["TokenInQuery", "oauth", "warning"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        scaffold(&["token-in-query", "oath", "warning"])
            .status
            .code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every row of `bench/apigeelint/ids.tsv` reads as a check, and the table and the rules'
/// metadata agree both ways: a rule lists an ID only where the ID's row names the rule, and a
/// row's existing rules all list its ID (a covered row's rules all exist).
#[test]
fn the_apigeelint_inventory_and_the_rules_agree() {
    let inventory = std::fs::read_to_string(root().join("bench/apigeelint/ids.tsv")).unwrap();
    let checks: Vec<Check> = apigeelint::checks().collect();
    assert_eq!(
        checks.len(),
        inventory.lines().count() - 1,
        "every row of bench/apigeelint/ids.tsv has the seven columns and a known status"
    );
    for rule in ALL {
        let m = rule.meta();
        let mut sorted = m.apigeelint.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted, m.apigeelint,
            "`{}`: list its apigeelint IDs once each, sorted",
            m.name
        );
        for id in m.apigeelint {
            let check = checks.iter().find(|c| c.id == *id).unwrap_or_else(|| {
                panic!("`{}` lists `{id}`, which ids.tsv does not have", m.name)
            });
            assert!(
                check.rules.contains(&m.name) && !matches!(check.status, Status::NotPorted(_)),
                "`{}` lists `{id}`: its row in ids.tsv must name the rule and not say `not ported`",
                m.name
            );
        }
    }
    for check in &checks {
        for name in &check.rules {
            match oauthlint::rules::find(name) {
                Some(rule) => assert!(
                    rule.meta().apigeelint.contains(&check.id),
                    "ids.tsv names `{name}` for {}: add {} to its `apigeelint = [...]`",
                    check.id,
                    check.id
                ),
                None => assert_eq!(
                    check.status,
                    Status::ToWrite,
                    "ids.tsv: {} names `{name}`, which is no rule, so it is `to write`",
                    check.id
                ),
            }
        }
        if let Status::NotPorted(_) = check.status {
            assert!(
                check.rules.is_empty(),
                "ids.tsv: {} is not ported but names rules",
                check.id
            );
        }
    }
}

/// The line of a rule page's `## See also` that names the apigeelint checks the rule replaces,
/// from its metadata and the inventory; `None` for a rule that replaces none.
fn apigeelint_line(meta: &RuleMeta) -> Option<String> {
    if meta.apigeelint.is_empty() {
        return None;
    }
    let (covered, partial): (Vec<&str>, Vec<&str>) = meta
        .apigeelint
        .iter()
        .partition(|id| apigeelint::check(id).is_some_and(|c| c.status == Status::Covered));
    let mut parts = Vec::new();
    if !covered.is_empty() {
        parts.push(format!("replaces {}", covered.join(", ")));
    }
    if !partial.is_empty() {
        parts.push(format!("in part {}", partial.join(", ")));
    }
    Some(format!(
        "- [apigeelint](../bench/apigeelint/ids.tsv): {}",
        parts.join("; ")
    ))
}

const APIGEELINT_LINE: &str = "- [apigeelint](";

/// Each page's `## See also` ends with the apigeelint checks the rule replaces, as its metadata
/// says; `UPDATE_PAGES=1 cargo test --test meta` writes them.
#[test]
fn pages_name_the_apigeelint_checks_their_rule_replaces() {
    let mut stale = Vec::new();
    for rule in ALL {
        let m = rule.meta();
        let path = root().join("rules").join(format!("{}.md", m.name));
        let page = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<&str> = page
            .lines()
            .filter(|l| !l.starts_with(APIGEELINT_LINE))
            .collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let expected = apigeelint_line(m);
        lines.extend(expected.as_deref());
        let written = lines.join("\n") + "\n";
        if written == page {
            continue;
        }
        if std::env::var_os("UPDATE_PAGES").is_some() {
            std::fs::write(&path, written).unwrap();
        } else {
            stale.push(m.name);
        }
    }
    assert!(
        stale.is_empty(),
        "these pages do not name the apigeelint checks their rule replaces: {stale:?}; \
         rewrite them with `UPDATE_PAGES=1 cargo test --test meta` and commit the change"
    );
}
