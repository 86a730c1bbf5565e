//! `oauthlint trace`: runs requests through the linted bundles offline and prints what Apigee
//! would execute.

use super::stdout::stdout;
use super::{HumanOrJson, EXIT_CLEAN};
use crate::engine::trace::{
    parse_scenario, render_human_of, render_json, run_scenario, trace_request, Request, Trace,
};
use crate::engine::Engine;
use crate::parse::load::load_paths;
use miette::{miette, IntoDiagnostic};
use std::io::Write;
use std::path::PathBuf;

pub struct TraceArgs<'a> {
    pub paths: &'a [PathBuf],
    pub request: Option<&'a str>,
    pub headers: &'a [String],
    pub forms: &'a [String],
    pub scenario: Option<&'a PathBuf>,
    pub format: HumanOrJson,
}

pub fn run(args: TraceArgs) -> miette::Result<u8> {
    for path in args.paths {
        std::fs::metadata(path).map_err(|e| miette!("cannot read `{}`: {e}", path.display()))?;
    }
    let project = load_paths(args.paths, &|_| false);
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
            // Only such a body holds form parameters; --form implies it, as curl's -d does.
            if !args.forms.is_empty() && request.header("Content-Type").is_none() {
                request
                    .add_header("Content-Type: application/x-www-form-urlencoded")
                    .map_err(|e| miette!("--form: {e}"))?;
            }
            vec![trace_request(&engine, &request)]
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
            let (traces, stopped) = run_scenario(&engine, &scenario);
            if let Some(stopped) = stopped {
                // What ran is shown before why the rest could not.
                write(&traces, scenario.requests.len(), args.format)?;
                return Err(miette!(
                    "{}:{}: request {} of {}: {}; it and the requests after it were not run",
                    file.display(),
                    stopped.line,
                    stopped.request,
                    scenario.requests.len(),
                    stopped.message
                ));
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
    write(&traces, traces.len(), args.format)?;
    Ok(EXIT_CLEAN)
}

/// Prints the traces of the first requests of `total`.
fn write(traces: &[Trace], total: usize, format: HumanOrJson) -> miette::Result<()> {
    let text = match format {
        HumanOrJson::Human => render_human_of(traces, total),
        HumanOrJson::Json => render_json(traces),
    };
    stdout().write_all(text.as_bytes()).into_diagnostic()
}
