//! Scenario files: several requests run in order against one token store, in the HTTP-file
//! convention of editors' REST clients.

use super::oauth::TokenStore;
use super::request::Request;
use super::trace::run_request;
use super::trace::Trace;
use super::Engine;

/// A developer app a scenario declares: its credentials are the only ones accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct App {
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    /// Registered callback URLs.
    pub callbacks: Vec<String>,
}

/// A request of a scenario, with the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioRequest {
    pub line: usize,
    pub request_line: String,
    pub headers: Vec<String>,
    pub body: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    pub apps: Vec<App>,
    pub requests: Vec<ScenarioRequest>,
}

/// Parses the HTTP-file convention of editors' REST clients: requests separated by `###`, each a
/// request line, header lines, a blank line and an optional form body; `#` and `//` lines are
/// comments. oauthlint adds `@app name=… client_id=… client_secret=… callback=…` lines to declare
/// developer apps. Placeholders such as `{{last.access_token}}` are left for the run to fill.
pub fn parse_scenario(text: &str) -> Result<Scenario, (usize, String)> {
    let mut scenario = Scenario::default();
    let mut current: Option<ScenarioRequest> = None;
    let mut in_body = false;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end();
        if line.trim_start().starts_with("###") {
            scenario.requests.extend(current.take());
            in_body = false;
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("@app") {
            scenario
                .apps
                .push(parse_app(trimmed).map_err(|e| (number, e))?);
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        match &mut current {
            None if trimmed.is_empty() => {}
            None => {
                current = Some(ScenarioRequest {
                    line: number,
                    request_line: trimmed.to_owned(),
                    headers: Vec::new(),
                    body: String::new(),
                })
            }
            Some(request) if in_body => {
                if !trimmed.is_empty() {
                    // Body lines continue one form: `a=1` then `&b=2` or `b=2`.
                    if !request.body.is_empty()
                        && !request.body.ends_with('&')
                        && !trimmed.starts_with('&')
                    {
                        request.body.push('&');
                    }
                    request.body.push_str(trimmed);
                }
            }
            Some(_) if trimmed.is_empty() => in_body = true,
            Some(request) => {
                if !trimmed.contains(':') {
                    return Err((
                        number,
                        format!(
                            "expected a header `Name: value` or a blank line, found `{trimmed}`"
                        ),
                    ));
                }
                request.headers.push(trimmed.to_owned());
            }
        }
    }
    scenario.requests.extend(current);
    if scenario.requests.is_empty() {
        return Err((1, "the scenario holds no request".to_owned()));
    }
    Ok(scenario)
}

fn parse_app(line: &str) -> Result<App, String> {
    let mut app = App::default();
    for pair in line.trim_start_matches("@app").split_whitespace() {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("`@app` takes key=value pairs, found `{pair}`"))?;
        match key {
            "name" => app.name = value.to_owned(),
            "client_id" => app.client_id = value.to_owned(),
            "client_secret" => app.client_secret = value.to_owned(),
            "callback" => app.callbacks.push(value.to_owned()),
            other => {
                return Err(format!(
                    "unknown `@app` key `{other}` (name, client_id, client_secret, callback)"
                ))
            }
        }
    }
    if app.client_id.is_empty() {
        return Err("an `@app` line needs client_id=…".to_owned());
    }
    Ok(app)
}

/// Why a scenario stopped before its last request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// The request that could not be built: its number (from 1) and the line it starts on.
    pub request: usize,
    pub line: usize,
    pub message: String,
}

/// Runs the requests of a scenario in order against one token store: the traces of the requests
/// that ran, and why the scenario stopped if a request could not be built.
pub fn run_scenario(engine: &Engine, scenario: &Scenario) -> (Vec<Trace>, Option<Stopped>) {
    let mut store = TokenStore::default();
    store.apps = scenario.apps.clone();
    let mut traces: Vec<Trace> = Vec::new();
    for (i, step) in scenario.requests.iter().enumerate() {
        match scenario_request(step, traces.last()) {
            Ok(request) => traces.push(run_request(engine, &request, &mut store)),
            Err(message) => {
                let stopped = Stopped {
                    request: i + 1,
                    line: step.line,
                    message,
                };
                return (traces, Some(stopped));
            }
        }
    }
    (traces, None)
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
                    format!(
                        "`{{{{{name}}}}}` cannot be filled: {}",
                        nothing_issued(previous, kind)
                    )
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

/// Why the previous request left no `kind` to fill a placeholder with.
fn nothing_issued(previous: Option<&Trace>, kind: &str) -> String {
    let Some(previous) = previous else {
        return "there is no previous request".to_owned();
    };
    let why = match (&previous.endpoint, &previous.fault) {
        (None, _) => "no ProxyEndpoint has a base path its path starts with".to_owned(),
        (_, Some(f)) if !f.continued => format!(
            "it failed with {} raised by {}: {}",
            f.name, f.raised_by, f.cause
        ),
        _ => format!("no policy it ran issues a {kind}"),
    };
    format!("the previous request was issued no {kind}, because {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_split_on_separators() {
        let text = "@app name=web client_id=abc client_secret=s3 callback=https://app/cb\n\
                    # get a token\nPOST /oauth/token\nContent-Type: application/x-www-form-urlencoded\n\n\
                    grant_type=password\n&username=u\n###\nGET /v1/orders\nAuthorization: Bearer {{last.access_token}}\n";
        let s = parse_scenario(text).unwrap();
        assert_eq!(s.apps[0].client_id, "abc");
        assert_eq!(s.requests.len(), 2);
        assert_eq!(s.requests[0].body, "grant_type=password&username=u");
        assert_eq!(s.requests[1].line, 9);
        assert_eq!(
            s.requests[1].headers,
            ["Authorization: Bearer {{last.access_token}}"]
        );
        assert_eq!(parse_scenario("GET /x\nbad header\n").unwrap_err().0, 2);
        assert!(parse_scenario("# nothing\n").is_err());
    }

    #[test]
    fn an_unfilled_placeholder_says_why_the_previous_request_issued_nothing() {
        let step = parse_scenario("GET /x\nAuthorization: Bearer {{last.access_token}}\n")
            .unwrap()
            .requests
            .remove(0);
        let error = scenario_request(&step, None).unwrap_err();
        assert!(error.ends_with("there is no previous request"), "{error}");
        let unrouted = Trace::default();
        let error = scenario_request(&step, Some(&unrouted)).unwrap_err();
        assert!(error.contains("no ProxyEndpoint"), "{error}");
    }
}
