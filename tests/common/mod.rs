//! Shared by the docs, fixture, engine and corpus tests: expectation markers, files, rendering.
#![allow(dead_code)]

use oauthlint::model::Project;
use oauthlint::report::{render, Format, Output, Summary};
use oauthlint::rules::Category;
use oauthlint::settings::{ConfigChoice, Options, Settings};
use std::path::{Path, PathBuf};

/// A finding a test expects: the file, the 1-based line its primary span starts on, the rule.
pub type Finding = (String, usize, String);

/// Reads `<!-- expect: rule-a, rule-b -->` markers from a file's text.
pub fn expectations(path: &str, text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("<!-- expect:") {
            let after = &rest[at + "<!-- expect:".len()..];
            let end = after.find("-->").unwrap_or(after.len());
            for rule in after[..end].split(',') {
                found.push((path.to_owned(), i + 1, rule.trim().to_owned()));
            }
            rest = &after[end..];
        }
    }
    found
}

/// Every rule at its own level, the preview rules too, without a configuration file; but the
/// style rules (`Category::Style`: naming conventions), which run on their own pages and cases
/// only, as the other rules' examples follow no naming convention.
pub fn with_preview() -> Settings {
    settings_of(&[], ConfigChoice::Ignore, None)
}

/// [`with_preview`], with `rule` running if it is a style rule: for its own page.
pub fn with_preview_for(rule: &str) -> Settings {
    settings_of(&[], ConfigChoice::Ignore, Some(rule))
}

/// A fixture case's configuration file: the run's profile and the rules' options for the case.
/// (Its `[rules]` levels and overrides would apply to files under the case's folder on disk,
/// which the case is not linted from.)
pub const CASE_CONFIG: &str = "oauthlint.toml";

/// [`with_preview`], with the case's [`CASE_CONFIG`] when it has one; a case of
/// `fixtures/rules/RULE/` runs RULE if it is a style rule.
pub fn case_settings(dir: &Path) -> Settings {
    let parts: Vec<_> = dir.iter().filter_map(|p| p.to_str()).collect();
    let own = parts
        .windows(3)
        .find(|w| w[0] == "fixtures" && w[1] == "rules")
        .map(|w| w[2]);
    case_settings_for(dir, own)
}

/// [`case_settings`] for a case of `own`'s.
pub fn case_settings_for(dir: &Path, own: Option<&str>) -> Settings {
    let config = dir.join(CASE_CONFIG);
    if !config.is_file() {
        return settings_of(&[], ConfigChoice::Ignore, own);
    }
    settings_of(&[dir.to_path_buf()], ConfigChoice::File(&config), own)
}

fn settings_of(paths: &[PathBuf], config: ConfigChoice, own: Option<&str>) -> Settings {
    let style: Vec<String> = oauthlint::rules::ALL
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.category == Category::Style && Some(m.name) != own)
        .map(|m| m.name.to_owned())
        .collect();
    Settings::new(&Options {
        paths,
        config,
        select: None,
        ignore: &style,
        levels: &[],
        preview: true,
        profile: None,
        baseline: None,
        threads: None,
    })
    .expect("the settings of a test")
}

/// Lints a project with every rule, the preview rules too (their pages and fixtures are tested
/// like the others'), and returns what it found (as [`Finding`]s) and the human rendering.
pub fn lint(project: &Project) -> (Vec<Finding>, String) {
    lint_with(project, &with_preview())
}

/// [`lint`] with these settings.
pub fn lint_with(project: &Project, settings: &Settings) -> (Vec<Finding>, String) {
    let diagnostics = oauthlint::lint(project, settings).diagnostics;
    let found = diagnostics
        .iter()
        .map(|d| {
            let path = project.sources.path(d.primary.span.file).to_owned();
            let line = project.sources.start(d.primary.span).line;
            (path, line, d.rule.to_owned())
        })
        .collect();
    let output = Output {
        sources: &project.sources,
        outlines: &project.outlines,
        diagnostics: &diagnostics,
        summary: Summary::new(project.bundles.len(), project.files_read, &diagnostics),
    };
    let mut rendered = Vec::new();
    render(Format::Human, &output, false, &mut rendered).unwrap();
    (found, String::from_utf8(rendered).unwrap())
}

/// Asserts that the findings are exactly the expected ones, before any snapshot is taken.
pub fn assert_findings(
    what: &str,
    mut expected: Vec<Finding>,
    mut found: Vec<Finding>,
    rendered: &str,
) {
    expected.sort();
    found.sort();
    let missing: Vec<_> = expected.iter().filter(|e| !found.contains(e)).collect();
    let unexpected: Vec<_> = found.iter().filter(|f| !expected.contains(f)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty() && expected.len() == found.len(),
        "{what}\nmissing findings: {missing:#?}\nunexpected findings: {unexpected:#?}\noutput:\n{rendered}"
    );
}

/// The files below `dir` as paths relative to `base`, sorted, leaving out snapshots.
pub fn files_below(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            files_below(&path, base, out);
        } else if !path.to_string_lossy().contains(".snap") {
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

/// Reads a fixture case folder into memory files and expected findings: `<!-- expect: … -->`
/// markers, and for a file X that cannot carry a marker (empty, binary, UTF-16) a side file
/// `X.expect` of `LINE rule` lines. Snapshots in the folder are not part of the case,
/// nor is its [`CASE_CONFIG`], which [`check_case`] lints it with.
pub fn read_case(dir: &Path) -> (Vec<oauthlint::parse::load::MemoryFile>, Vec<Finding>) {
    let mut paths = Vec::new();
    files_below(dir, dir, &mut paths);
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for path in paths {
        let bytes = std::fs::read(dir.join(&path)).unwrap();
        let name = path.to_string_lossy().replace('\\', "/");
        if name == CASE_CONFIG {
            continue;
        }
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
    (files, expected)
}

/// Lints a case, asserts its expected findings, then compares `findings.snap` in its folder.
pub fn check_case(
    dir: &Path,
    what: &str,
    files: Vec<oauthlint::parse::load::MemoryFile>,
    expected: Vec<Finding>,
) {
    let project = oauthlint::parse::load::load_memory(files);
    let (found, rendered) = lint_with(&project, &case_settings(dir));
    assert_findings(what, expected, found, &rendered);
    insta::with_settings!({
        snapshot_path => dir,
        prepend_module_to_snapshot => false,
        description => what.to_owned(),
        omit_expression => true,
    }, {
        insta::assert_snapshot!("findings", rendered);
    });
}

/// The case folders of `fixtures/<part>/`, sorted.
pub fn fixture_cases(part: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(part);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.sort();
    cases
}

/// The workspace corpus of real bundles, `../shared/corpus/bundles` beside the clone. Only the
/// shared group (ignored by default) calls this, so a missing corpus fails loudly there.
pub fn shared_corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bundles");
    assert!(
        dir.is_dir(),
        "the shared test group needs {}: clone the project beside the workspace's shared/ folder",
        dir.display()
    );
    dir
}

/// A scratch folder of the calling test's own, emptied first so that reruns start clean.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauthlint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `(file, message)` of each diagnostic of a JSON report.
pub fn file_messages(json: &serde_json::Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
