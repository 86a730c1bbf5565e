//! Shared by the docs, fixtures and corpus tests: expectation markers and rendering.
#![allow(dead_code)]

use oauthlint::model::Project;
use oauthlint::report::{render, Format, Output, Summary};
use oauthlint::settings::Settings;

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

/// Lints a project and returns what it found (as [`Finding`]s) and the human rendering.
pub fn lint(project: &Project) -> (Vec<Finding>, String) {
    let diagnostics = oauthlint::lint(project, &Settings::default()).diagnostics;
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
