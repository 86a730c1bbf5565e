//! Every format renders the same kitchen-sink project, `fixtures/formats/kitchen-sink/`: findings
//! of every level and of several rules, secondary labels in another file, a multi-line span,
//! messages and paths with characters each format must escape, a file that is not XML, and two
//! findings with one fingerprint identity. What the project holds is asserted first; then each
//! rendering is compared with its snapshot, and the machine formats are parsed back (SARIF against
//! the official 2.1.0 schema).

use oauthlint::diagnostic::{Diagnostic, Level};
use oauthlint::model::Project;
use oauthlint::parse::load::load_paths;
use oauthlint::report::{render, Format, Output, Summary};
use std::path::{Path, PathBuf};

const KITCHEN_SINK: &str = "fixtures/formats/kitchen-sink";

/// The lowered rule: no rule defaults to info, and the filter stage may change a level.
const INFO_RULE: &str = "condition-compares-unquoted-word";

fn kitchen_sink() -> (Project, Vec<Diagnostic>) {
    // Relative to the crate root, where cargo runs tests, as a user would type it.
    let project = load_paths(&[PathBuf::from(KITCHEN_SINK)], &|_| false);
    let mut diagnostics =
        oauthlint::lint(&project, &oauthlint::settings::Settings::default()).diagnostics;
    for d in diagnostics.iter_mut().filter(|d| d.rule == INFO_RULE) {
        d.level = Level::Info;
    }
    (project, diagnostics)
}

fn rendered(format: Format) -> String {
    let (project, diagnostics) = kitchen_sink();
    let output = Output {
        sources: &project.sources,
        outlines: &project.outlines,
        diagnostics: &diagnostics,
        summary: Summary::new(project.bundles.len(), project.files_read, &diagnostics),
    };
    let mut out = Vec::new();
    render(format, &output, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn assert_format(format: Format, name: &str) {
    let text = rendered(format);
    assert_eq!(rendered(format), text, "{name} differs from run to run");
    // SARIF names the tool's version, which a release must not turn into a snapshot change.
    let version = format!(r#""version": "{}""#, env!("CARGO_PKG_VERSION"));
    let text = text.replace(&version, r#""version": "[version]""#);
    insta::with_settings!({
        snapshot_path => "../fixtures/formats",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("{KITCHEN_SINK} rendered with --format {name}"),
    }, {
        insta::assert_snapshot!(format!("kitchen-sink.{name}"), text);
    });
}

#[test]
fn kitchen_sink_holds_what_the_formats_must_show() {
    let (project, diagnostics) = kitchen_sink();
    let levels: Vec<Level> = diagnostics.iter().map(|d| d.level).collect();
    for level in [Level::Error, Level::Warning, Level::Info] {
        assert!(levels.contains(&level), "no finding at {level:?}");
    }
    let mut rules: Vec<&str> = diagnostics.iter().map(|d| d.rule).collect();
    rules.dedup();
    assert!(rules.len() >= 6, "too few rules: {rules:?}");
    let path = |d: &Diagnostic, l: &oauthlint::diagnostic::Label| {
        (
            project.sources.path(d.primary.span.file),
            project.sources.path(l.span.file),
        )
    };
    assert!(
        diagnostics.iter().any(|d| d.secondary.iter().any(|l| {
            let (a, b) = path(d, l);
            a != b
        })),
        "no secondary label in another file"
    );
    let messages: String = diagnostics.iter().map(|d| d.message.as_str()).collect();
    for needed in ["A&B<\"x\">", "\n", "\r", "\t", "\u{7}", "%", "`<Payload>`"] {
        assert!(messages.contains(needed), "no message holds {needed:?}");
    }
    assert!(diagnostics.iter().any(|d| d.rule == "invalid-xml"));
    assert!(diagnostics.iter().any(|d| project
        .sources
        .path(d.primary.span.file)
        .contains("R&D, legacy")));
    let multiline = diagnostics.iter().any(|d| {
        project.sources.start(d.primary.span).line < project.sources.end(d.primary.span).line
    });
    assert!(multiline, "no finding spans several lines");
}

#[test]
fn human() {
    assert_format(Format::Human, "human");
}

#[test]
fn human_names_each_level_as_every_format_does() {
    let (_, diagnostics) = kitchen_sink();
    let text = rendered(Format::Human);
    // Source lines and notes are indented, and the summary line starts with its count.
    let headers: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .map(|l| &l[..l.find("]: ").expect("level[rule]: message") + 1])
        .collect();
    let expected: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{}[{}]", d.level.as_str(), d.rule))
        .collect();
    assert_eq!(headers, expected);
}

#[test]
fn concise() {
    assert_format(Format::Concise, "concise");
}

#[test]
fn json() {
    assert_format(Format::Json, "json");
}

#[test]
fn github() {
    assert_format(Format::Github, "github");
}

#[test]
fn junit() {
    assert_format(Format::Junit, "junit");
}

#[test]
fn checkstyle() {
    assert_format(Format::Checkstyle, "checkstyle");
}

#[test]
fn sarif() {
    assert_format(Format::Sarif, "sarif");
}

#[test]
fn gitlab() {
    assert_format(Format::Gitlab, "gitlab");
}

#[test]
fn github_commands_decode_to_the_messages() {
    let (_, diagnostics) = kitchen_sink();
    let text = rendered(Format::Github);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        diagnostics.len(),
        "one command a finding, one line each"
    );
    for (line, d) in lines.iter().zip(&diagnostics) {
        let (_, data) = line[2..]
            .split_once("::")
            .expect("::command properties::data");
        // As the runner decodes it: `%25` last, so an escaped `%0A` stays text.
        let decoded = data
            .replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%25", "%");
        let first = decoded.lines().next().unwrap();
        let escaped: String = d
            .message
            .chars()
            .map(|c| match c.is_control() {
                true => c.escape_debug().to_string(),
                false => c.to_string(),
            })
            .collect();
        assert_eq!(first, escaped, "{line}");
    }
}

/// Parses an XML report and returns the `message` attributes, unescaped, in document order.
fn xml_messages(text: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut messages = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return messages,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                for attribute in e.attributes() {
                    let attribute = attribute.expect("a well-formed attribute");
                    if attribute.key.as_ref() == b"message" {
                        messages.push(attribute.unescape_value().unwrap().into_owned());
                    }
                }
            }
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{text}",
                reader.error_position()
            ),
        }
    }
}

#[test]
fn xml_formats_parse_back_to_the_messages() {
    let (_, diagnostics) = kitchen_sink();
    // XML 1.0 cannot carry BEL at all: the formats write U+FFFD instead.
    let expected: Vec<String> = diagnostics
        .iter()
        .map(|d| d.message.replace('\u{7}', "\u{fffd}"))
        .collect();
    assert_eq!(xml_messages(&rendered(Format::Checkstyle)), expected);
    let mut junit = xml_messages(&rendered(Format::Junit));
    junit.sort();
    // JUnit gives a message only to failures: info findings are not.
    let mut failures: Vec<String> = diagnostics
        .iter()
        .zip(expected)
        .filter(|(d, _)| d.level != Level::Info)
        .map(|(_, message)| message)
        .collect();
    failures.sort();
    assert_eq!(junit, failures, "junit groups by rule");
}

/// Each testcase of a JUnit report: whether it failed, and its `<system-out>`.
fn junit_testcases(text: &str) -> Vec<(bool, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut cases, mut inside) = (Vec::new(), "");
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => return cases,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testcase" => cases.push((false, String::new())),
                b"failure" => cases.last_mut().unwrap().0 = true,
                b"system-out" => inside = "system-out",
                _ => {}
            },
            Event::Text(t) if inside == "system-out" => {
                cases.last_mut().unwrap().1 = t.unescape().unwrap().into_owned();
            }
            Event::End(_) => inside = "",
            _ => {}
        }
    }
}

#[test]
fn junit_fails_only_on_levels_that_can_fail_the_build() {
    let (_, diagnostics) = kitchen_sink();
    let text = rendered(Format::Junit);
    let cases = junit_testcases(&text);
    let can_fail = diagnostics.iter().filter(|d| d.level != Level::Info);
    let failed = cases.iter().filter(|(failed, _)| *failed).count();
    assert_eq!(failed, can_fail.count());
    assert!(text.contains(&format!(
        r#"<testsuites name="oauthlint" tests="{}" failures="{failed}" errors="0">"#,
        cases.len()
    )));
    // An info finding is a passing testcase that carries the finding in its output.
    let passed_with_output: Vec<&str> = cases
        .iter()
        .filter(|(failed, out)| !failed && !out.is_empty())
        .map(|(_, out)| out.as_str())
        .collect();
    let infos: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.level == Level::Info)
        .collect();
    assert_eq!(passed_with_output.len(), infos.len());
    // Test cases are grouped by rule, diagnostics ordered by file: match them by content.
    for d in infos {
        let line = format!("info[{}] {}", d.rule, d.message);
        assert!(
            passed_with_output.iter().any(|out| out.contains(&line)),
            "{line}"
        );
    }
}

/// The official SARIF 2.1.0 schema, kept in the repository with its notice.
const SARIF_SCHEMA: &str = "tests/data/sarif/sarif-2.1.0-rtm.5.json";

/// Compiles the SARIF schema; a missing schema fails the test rather than skipping it.
fn sarif_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SARIF_SCHEMA);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the SARIF schema must be at {} to validate the sarif format: {e}",
            path.display()
        )
    });
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let url = "https://oauthlint.invalid/sarif-2.1.0-rtm.5.json";
    let mut compiler = boon::Compiler::new();
    // The default for this draft-04 schema, said out loud: `uri-reference` and `uri` are checked.
    compiler.enable_format_assertions();
    compiler.add_resource(url, schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile(url, &mut schemas).unwrap();
    (schemas, index)
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let (schemas, index) = sarif_schema();
    let sarif: serde_json::Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
    if let Err(e) = schemas.validate(&sarif, index) {
        panic!("the SARIF output does not match the schema: {e:#}");
    }
    // The validator rejects what the schema forbids, so a pass above means something.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(schemas.validate(&broken, index).is_err());
    let mut broken = sarif;
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"] = "a path with spaces".into();
    assert!(
        schemas.validate(&broken, index).is_err(),
        "uri formats are not checked"
    );
}

#[test]
fn fingerprints_are_unique_and_agree_across_formats() {
    let (project, diagnostics) = kitchen_sink();
    let identity = oauthlint::fingerprint::Fingerprints::of_project(&project);
    let bases: Vec<String> = diagnostics.iter().map(|d| identity.of(d)).collect();
    let mut distinct = bases.clone();
    distinct.sort();
    distinct.dedup();
    assert!(
        distinct.len() < bases.len(),
        "the kitchen sink has no shared identity"
    );
    let gitlab: serde_json::Value = serde_json::from_str(&rendered(Format::Gitlab)).unwrap();
    let gitlab: Vec<&str> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    let mut unique = gitlab.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        gitlab.len(),
        "GitLab fingerprints repeat: {gitlab:?}"
    );
    for (fingerprint, base) in gitlab.iter().zip(&bases) {
        assert!(
            fingerprint.starts_with(base.as_str()),
            "{fingerprint} is not from {base}"
        );
    }
    let sarif: serde_json::Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
    let sarif: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["oauthlint/v1"].as_str().unwrap())
        .collect();
    assert_eq!(sarif, gitlab);
}
