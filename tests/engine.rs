//! Runs `fixtures/engine/<case>/` as `oauthlint trace CASE --scenario CASE/scenario.http` would:
//! the case's bundles, loaded in memory, and the requests of its `scenario.http`. The
//! `# expect KEY: VALUE` comments of the scenario are checked first (README, "Engine fixtures");
//! only then is the human trace compared with `trace.snap`, and, for a scenario holding
//! `# snapshot: json`, the JSON trace with `trace.json.snap`. The analysis the rules ask runs over
//! the same plan as the trace, and must agree with it: whatever a trace runs, the analysis says
//! may run (`# expect runs` and `# expect never runs` state more).

mod common;

use common::{files_below, fixture_cases};
use libtest_mimic::{Arguments, Trial};
use oauthlint::engine::trace::{
    parse_scenario, render_human, render_json, run_scenario, Event, Trace,
};
use oauthlint::engine::Engine;
use oauthlint::model::{PolicyId, Project};
use oauthlint::parse::load::{load_memory, MemoryFile};
use std::path::Path;

/// Fewer cases than this would leave parts of the execution model without a fixture.
const MIN_CASES: usize = 25;

/// One `# expect KEY: VALUE` line and the request (0-based) it applies to.
struct Expectation {
    line: usize,
    request: usize,
    key: String,
    value: String,
}

struct Markers {
    expectations: Vec<Expectation>,
    json: bool,
}

/// Reads the markers of a scenario. An expectation applies to the request of its block: the
/// lines between two `###` separators, before or after the request line.
fn markers(text: &str, request_lines: &[usize]) -> Result<Markers, String> {
    let separators: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("###"))
        .map(|(i, _)| i + 1)
        .collect();
    let block = |line: usize| separators.iter().filter(|&&s| s < line).count();
    let mut markers = Markers {
        expectations: Vec::new(),
        json: false,
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed == "# snapshot: json" {
            markers.json = true;
            continue;
        }
        // A misspelt marker must not pass for a comment and assert nothing.
        let Some(rest) = trimmed.strip_prefix("# expect") else {
            continue;
        };
        let (key, value) = rest
            .strip_prefix(' ')
            .and_then(|r| r.split_once(':'))
            .ok_or_else(|| format!("line {line}: expected `# expect KEY: VALUE`"))?;
        let request = request_lines
            .iter()
            .position(|&r| block(r) == block(line))
            .ok_or_else(|| format!("line {line}: no request shares this expectation's block"))?;
        markers.expectations.push(Expectation {
            line,
            request,
            key: key.trim().to_owned(),
            value: value.trim().to_owned(),
        });
    }
    Ok(markers)
}

/// A comma-separated list; `none` is the empty one.
fn list(value: &str) -> Vec<String> {
    if value == "none" {
        return Vec::new();
    }
    value.split(',').map(|s| s.trim().to_owned()).collect()
}

/// What the trace says for `key`, if it differs from `value`.
fn check_expectation(trace: &Trace, key: &str, value: &str) -> Result<(), String> {
    let notes = || {
        trace
            .notes
            .iter()
            .chain(trace.events.iter().filter_map(|e| match e {
                Event::Note { note } => Some(note),
                _ => None,
            }))
    };
    let found: Vec<String> = match key {
        "executed" => trace
            .events
            .iter()
            .filter_map(|e| e.executed_policy().map(str::to_owned))
            .collect(),
        "skipped" => trace
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Skipped { step, .. } => Some(step.clone()),
                _ => None,
            })
            .collect(),
        "tokens" => trace
            .tokens
            .iter()
            .map(|t| format!("{} {} {}", t.action, t.kind, t.token))
            .collect(),
        "fault" => vec![trace
            .fault
            .as_ref()
            .filter(|f| !f.continued)
            .map_or("none".to_owned(), |f| f.name.clone())],
        "route" => vec![match trace.route.as_deref() {
            None => "none".to_owned(),
            Some(r) => match r.strip_prefix("RouteRule ") {
                Some(name) => name.to_owned(),
                None => "failed".to_owned(),
            },
        }],
        "target" => vec![trace.target.clone().unwrap_or_else(|| "none".to_owned())],
        "endpoint" => vec![trace.endpoint.as_ref().map_or("none".to_owned(), |e| {
            format!("{}/{}", e.bundle, e.proxy_endpoint)
        })],
        "outcome" => {
            let (policy, text) = value
                .split_once(':')
                .map(|(p, t)| (p.trim(), t.trim()))
                .ok_or("expected `outcome: POLICY: TEXT`")?;
            let outcomes: Vec<&str> = trace
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::Executed {
                        policy: p, outcome, ..
                    } if p == policy => Some(outcome.as_str()),
                    _ => None,
                })
                .collect();
            return if outcomes.iter().any(|o| o.contains(text)) {
                Ok(())
            } else {
                Err(format!("outcomes of {policy}: {outcomes:?}"))
            };
        }
        "note" => {
            return if notes().any(|n| n.contains(value)) {
                Ok(())
            } else {
                Err(format!(
                    "no note contains it; notes: {:?}",
                    notes().collect::<Vec<_>>()
                ))
            };
        }
        other => return Err(format!("unknown expectation key `{other}`")),
    };
    let expected = match key {
        "executed" | "skipped" | "tokens" => list(value),
        _ => vec![value.to_owned()],
    };
    if found == expected {
        Ok(())
    } else {
        Err(format!("found {}", found.join(", ")))
    }
}

/// The policies of the project named `name`, in any bundle.
fn policies_named<'p>(project: &'p Project, name: &'p str) -> impl Iterator<Item = PolicyId> + 'p {
    project
        .bundles
        .iter()
        .flat_map(|b| &b.policies)
        .filter(move |p| p.name == name)
        .map(|p| p.id)
}

/// Whether the analysis says some policy named `name` may run for some request.
fn may_run(engine: &Engine, project: &Project, name: &str) -> bool {
    policies_named(project, name).any(|p| engine.policy_may_run(p))
}

/// Checks a `runs` or `never runs` expectation against the analysis, and against every trace of
/// the scenario: a policy the analysis proves never runs must not run in any of them.
fn check_analysis(
    engine: &Engine,
    project: &Project,
    traces: &[Trace],
    key: &str,
    value: &str,
) -> Result<(), String> {
    let expected = key == "runs";
    for name in list(value) {
        if policies_named(project, &name).next().is_none() {
            return Err(format!("no policy is named {name}"));
        }
        if may_run(engine, project, &name) != expected {
            return Err(format!(
                "the analysis says {name} {}",
                if expected { "never runs" } else { "may run" }
            ));
        }
        let ran = traces
            .iter()
            .any(|t| t.events.iter().any(|e| e.executed_policy() == Some(&name)));
        if !expected && ran {
            return Err(format!("a trace ran {name}"));
        }
    }
    Ok(())
}

/// The case's bundle files (paths relative to the case) and its scenario text.
fn load_case(dir: &Path) -> (Vec<MemoryFile>, String) {
    let mut paths = Vec::new();
    files_below(dir, dir, &mut paths);
    let files = paths
        .iter()
        .map(|p| {
            let name = p.to_string_lossy().replace('\\', "/");
            (name, Ok(std::fs::read(dir.join(p)).unwrap()))
        })
        .collect();
    let scenario = std::fs::read_to_string(dir.join("scenario.http"))
        .unwrap_or_else(|e| panic!("{}: scenario.http: {e}", dir.display()));
    (files, scenario)
}

/// One test per case, named after its folder (`cargo test --test engine -- refresh-token-rotation`
/// runs one), and one that the cases are enough.
fn main() {
    let mut trials: Vec<Trial> = fixture_cases("engine")
        .into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            Trial::test(name, move || {
                check(&dir);
                Ok(())
            })
        })
        .collect();
    trials.push(Trial::test(
        "there_are_enough_cases_and_each_asserts_something",
        || {
            there_are_enough_cases_and_each_asserts_something();
            Ok(())
        },
    ));
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

fn check(dir: &Path) {
    let what = format!(
        "fixtures/engine/{}",
        dir.file_name().unwrap().to_string_lossy()
    );
    let (files, text) = load_case(dir);
    let project = load_memory(files);
    assert!(
        project.problems.is_empty() && !project.bundles.is_empty(),
        "{what}: the bundles must load cleanly: {:?}",
        project.problems
    );
    let scenario =
        parse_scenario(&text).unwrap_or_else(|(l, e)| panic!("{what}/scenario.http:{l}: {e}"));
    let lines: Vec<usize> = scenario.requests.iter().map(|r| r.line).collect();
    let markers = markers(&text, &lines).unwrap_or_else(|e| panic!("{what}/scenario.http: {e}"));
    for (i, line) in lines.iter().enumerate() {
        assert!(
            markers.expectations.iter().any(|e| e.request == i),
            "{what}/scenario.http:{line}: this request has no `# expect` line"
        );
    }
    let engine = Engine::new(&project);
    let (traces, stopped) = run_scenario(&engine, &scenario);
    if let Some(s) = stopped {
        panic!(
            "{what}/scenario.http:{}: request {}: {}",
            s.line, s.request, s.message
        );
    }
    let human = render_human(&traces);
    for e in &markers.expectations {
        let checked = match e.key.as_str() {
            "runs" | "never runs" => check_analysis(&engine, &project, &traces, &e.key, &e.value),
            _ => check_expectation(&traces[e.request], &e.key, &e.value),
        };
        if let Err(found) = checked {
            panic!(
                "{what}/scenario.http:{}: expected {}: {}\n{found}\ntrace:\n{human}",
                e.line, e.key, e.value
            );
        }
    }
    // The analysis over-approximates what can run: what a trace ran, it cannot rule out.
    for (i, trace) in traces.iter().enumerate() {
        for name in trace.events.iter().filter_map(|e| e.executed_policy()) {
            assert!(
                may_run(&engine, &project, name),
                "{what}/scenario.http:{}: the trace runs {name}, which the analysis says never runs",
                lines[i]
            );
        }
    }
    insta::with_settings!({
        snapshot_path => dir,
        prepend_module_to_snapshot => false,
        description => what.clone(),
        omit_expression => true,
    }, {
        insta::assert_snapshot!("trace", human);
        if markers.json {
            insta::assert_snapshot!("trace.json", render_json(&traces));
        }
    });
}

fn there_are_enough_cases_and_each_asserts_something() {
    let cases = fixture_cases("engine");
    assert!(
        cases.len() >= MIN_CASES,
        "fixtures/engine holds {} cases; keep at least {MIN_CASES}",
        cases.len()
    );
    for dir in cases {
        let (_, text) = load_case(&dir);
        assert!(
            text.lines().any(|l| l.trim().starts_with("# expect ")),
            "{}: scenario.http has no `# expect` line",
            dir.display()
        );
    }
}
