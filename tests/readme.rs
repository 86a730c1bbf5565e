//! The README's pasted runs (`oauthlint examples/` in "Try it", and the trace run) are what the
//! binary prints today, run from the repository's root as the README shows them, against the
//! repository's own `examples/`: nothing beside the clone is needed. The findings of `examples/`
//! are asserted on their own, so a false alarm cannot be pasted as correct; and every
//! `examples/*.http` scenario runs against `examples/`.

mod common;

use common::{assert_findings, lint, Finding};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The command of the README's `$ oauthlint …` line that starts with `command` (continuation
/// lines ending in `\` joined), and the text pasted after it up to the end of its fenced block.
fn pasted_run(command: &str) -> (Vec<String>, String) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let prompt = format!("$ {command}");
    let mut lines = readme.lines();
    let mut shown = lines
        .by_ref()
        .find(|l| *l == prompt || l.starts_with(&format!("{prompt} ")))
        .unwrap_or_else(|| panic!("the README shows no `{prompt}` line"))
        .to_owned();
    while let Some(start) = shown.strip_suffix('\\') {
        shown = format!("{start} {}", lines.next().unwrap().trim());
    }
    let mut pasted = String::new();
    for line in lines.by_ref().take_while(|l| *l != "```") {
        pasted.push_str(line);
        pasted.push('\n');
    }
    let mut words = shown.split_whitespace().skip(1).map(str::to_owned);
    assert_eq!(words.next().as_deref(), Some("oauthlint"), "{shown}");
    (words.collect(), pasted)
}

/// Runs the binary from the repository's root without colours: (exit code, stdout, stderr).
fn oauthlint(args: &[String]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts that the README's paste after `$ {command}` is `actual`, printing what to paste if not.
fn assert_pasted(command: &str, pasted: &str, actual: &str) {
    assert!(
        pasted == actual,
        "update the README: the output pasted after `$ {command}` is not what the binary prints \
         today, which is:\n{actual}"
    );
}

/// The findings of `examples/` (`FILE:LINE rule`, below `examples/`): the mistakes
/// `examples/README.md` says are planted there.
const EXAMPLE_FINDINGS: [&str; 10] = [
    "proxies/oauth/apiproxy/policies/GI-RefreshToken.xml:2 getoauthv2info-validates-refresh-token",
    "proxies/oauth/apiproxy/policies/OA-PasswordToken.xml:2 refresh-token-never-refreshed",
    "proxies/oauth/apiproxy/policies/OA-PasswordToken.xml:5 password-grant-enabled",
    "proxies/orders/apiproxy/proxies/default.xml:20 unreachable-flow",
    "proxies/orders/apiproxy/proxies/default.xml:39 ambiguous-and-or",
    "proxies/orders/apiproxy/proxies/default.xml:42 unknown-policy-reference",
    "sharedflows/verify-token/sharedflowbundle/sharedflows/default.xml:6 condition-compares-unquoted-word",
    "proxies/oauth/apiproxy/proxies/default.xml:24 revocation-endpoint-unauthenticated",
    "proxies/oauth/apiproxy/proxies/default.xml:15 token-endpoint-unthrottled",
    "proxies/orders/apiproxy/proxies/default.xml:55 target-route-without-threat-protection",
];

#[test]
fn examples_hold_the_planted_mistakes() {
    let expected: Vec<Finding> = EXAMPLE_FINDINGS
        .iter()
        .map(|finding| {
            let (at, rule) = finding.split_once(' ').unwrap();
            let (file, line) = at.rsplit_once(':').unwrap();
            (
                format!("examples/{file}"),
                line.parse().unwrap(),
                rule.to_owned(),
            )
        })
        .collect();
    let project = oauthlint::parse::load::load_paths(&[root().join("examples")], &|_| false);
    let (found, rendered) = lint(&project);
    let prefix = format!("{}/", root().display());
    let found = found
        .into_iter()
        .map(|(file, line, rule)| (file.trim_start_matches(&prefix).to_owned(), line, rule))
        .collect();
    assert_findings(
        "examples/ (listed in examples/README.md)",
        expected,
        found,
        &rendered,
    );
}

#[test]
fn the_readme_try_it_run_is_current() {
    let command = "oauthlint examples/";
    let (args, pasted) = pasted_run(command);
    let (code, stdout, stderr) = oauthlint(&args);
    assert_eq!(
        (code, stderr.as_str()),
        (1, ""),
        "`{command}` exits 1 with the error finding"
    );
    assert_pasted(command, &pasted, &stdout);
}

#[test]
fn the_readme_trace_run_is_current() {
    let command = "oauthlint trace examples/";
    let (args, pasted) = pasted_run(command);
    let (code, stdout, stderr) = oauthlint(&args);
    assert_eq!((code, stderr.as_str()), (0, ""), "`{command}` runs");
    assert_pasted(command, &pasted, &stdout);
}

/// The `examples/*.http` scenarios, sorted.
fn scenarios() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "http"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_example_scenario_runs_against_examples() {
    let scenarios = scenarios();
    assert!(!scenarios.is_empty(), "examples/ holds no .http scenario");
    for scenario in scenarios {
        let name = format!(
            "examples/{}",
            scenario.file_name().unwrap().to_string_lossy()
        );
        let args = ["trace", "examples/", "--scenario", &name].map(str::to_owned);
        let (code, stdout, stderr) = oauthlint(&args);
        assert!(
            code == 0 && stderr.is_empty() && stdout.starts_with("request 1 of "),
            "`oauthlint trace examples/ --scenario {name}` failed (exit {code}):\n{stderr}{stdout}"
        );
    }
}
