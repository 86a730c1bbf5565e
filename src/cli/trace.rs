//! `oauthlint trace`: runs requests through the linted bundles offline and prints what Apigee
//! would execute.

use super::EXIT_CLEAN;
use crate::engine::interp::trace_request;
use crate::engine::oauth::TokenStore;
use crate::engine::request::{parse_scenario, Request, ScenarioRequest};
use crate::engine::trace::{render_human, render_json, Trace};
use crate::engine::Engine;
use crate::parse::load::load_paths;
use crate::report::Format;
use miette::{miette, IntoDiagnostic};
use std::io::Write;
use std::path::PathBuf;

pub struct TraceArgs<'a> {
    pub paths: &'a [PathBuf],
    pub request: Option<&'a str>,
    pub headers: &'a [String],
    pub forms: &'a [String],
    pub scenario: Option<&'a PathBuf>,
    pub format: Format,
}

pub fn run(args: TraceArgs) -> miette::Result<u8> {
    for path in args.paths {
        std::fs::metadata(path).map_err(|e| miette!("cannot read `{}`: {e}", path.display()))?;
    }
    let project = load_paths(args.paths);
    if project.bundles.is_empty() {
        return Err(miette!("no Apigee bundle found to trace through"));
    }
    if !project.problems.is_empty() {
        eprintln!(
            "note: {} file(s) could not be read and take no part in the trace (`oauthlint` lists them)",
            project.problems.len()
        );
    }
    let engine = Engine::new(&project);
    let mut store = TokenStore::default();
    let traces = match (args.request, args.scenario) {
        (Some(line), None) => {
            let mut request = Request::parse_line(line).map_err(|e| miette!("--request: {e}"))?;
            for header in args.headers {
                request
                    .add_header(header)
                    .map_err(|e| miette!("--header: {e}"))?;
            }
            for form in args.forms {
                request.add_form(form);
            }
            vec![trace_request(&engine, &request, &mut store)]
        }
        (None, Some(file)) => {
            if !args.headers.is_empty() || !args.forms.is_empty() {
                return Err(miette!(
                    "--header and --form go with --request; a scenario file carries its own"
                ));
            }
            let text = std::fs::read_to_string(file)
                .map_err(|e| miette!("cannot read `{}`: {e}", file.display()))?;
            let scenario = parse_scenario(&text)
                .map_err(|(line, e)| miette!("{}:{line}: {e}", file.display()))?;
            store.apps = scenario.apps;
            let mut traces: Vec<Trace> = Vec::new();
            for step in &scenario.requests {
                let request = scenario_request(step, traces.last())
                    .map_err(|e| miette!("{}:{}: {e}", file.display(), step.line))?;
                traces.push(trace_request(&engine, &request, &mut store));
            }
            traces
        }
        _ => {
            return Err(miette!(
                help = "give one request with --request, or a file of them with --scenario",
                "trace needs --request or --scenario"
            ))
        }
    };
    let text = match args.format {
        Format::Human => render_human(&traces),
        Format::Json => render_json(&traces),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .into_diagnostic()?;
    Ok(EXIT_CLEAN)
}

/// Builds a scenario's request, filling `{{last.access_token}}`, `{{last.refresh_token}}` and
/// `{{last.code}}` from what the previous request was issued.
fn scenario_request(step: &ScenarioRequest, previous: Option<&Trace>) -> Result<Request, String> {
    let fill = |text: &str| -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("{{") {
            out.push_str(&rest[..at]);
            let end = rest[at..].find("}}").ok_or("`{{` without `}}`")? + at;
            let name = rest[at + 2..end].trim();
            let kind = match name {
                "last.access_token" => "access token",
                "last.refresh_token" => "refresh token",
                "last.code" => "authorization code",
                other => return Err(format!("unknown placeholder `{{{{{other}}}}}` (last.access_token, last.refresh_token, last.code)")),
            };
            let issued = previous
                .and_then(|t| {
                    t.tokens
                        .iter()
                        .rev()
                        .find(|e| e.kind == kind && e.action == "issued")
                })
                .ok_or_else(|| {
                    format!("`{{{{{name}}}}}`: the previous request was issued no {kind}")
                })?;
            out.push_str(&issued.token);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    };
    let mut request = Request::parse_line(&fill(&step.request_line)?)?;
    for header in &step.headers {
        request.add_header(&fill(header)?)?;
    }
    request.add_form(&fill(&step.body)?);
    Ok(request)
}
