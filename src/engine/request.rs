//! A concrete request for `oauthlint trace`, and the scenario file that chains several.

use super::condition::{Lookup, Value};
use super::inputs::Input;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub verb: String,
    /// The path without the query string.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    /// The base path of the ProxyEndpoint that received it (set when one is chosen).
    pub base_path: String,
}

impl Request {
    /// Parses `"POST /oauth/token?x=1"` (an absolute URL is accepted; its host is dropped).
    pub fn parse_line(line: &str) -> Result<Request, String> {
        let mut parts = line.split_whitespace();
        let verb = parts
            .next()
            .ok_or("expected a request line such as `GET /v1/orders`")?;
        let target = parts
            .next()
            .ok_or_else(|| format!("expected a path after `{verb}`"))?;
        if let Some(extra) = parts.next().filter(|p| !p.starts_with("HTTP/")) {
            return Err(format!("unexpected `{extra}` after the path"));
        }
        if !verb.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!("`{verb}` is not an HTTP method"));
        }
        let target = match target.find("://").filter(|_| !target.starts_with('/')) {
            Some(at) => {
                let rest = &target[at + 3..];
                rest.find('/').map_or("/", |slash| &rest[slash..])
            }
            None => target,
        };
        if !target.starts_with('/') {
            return Err(format!("the path `{target}` must start with `/`"));
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Ok(Request {
            verb: verb.to_ascii_uppercase(),
            path: percent_decode(path, false),
            query: parse_pairs(query, false),
            ..Request::default()
        })
    }

    pub fn add_header(&mut self, line: &str) -> Result<(), String> {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("expected `Name: value`, found `{line}`"))?;
        if name.trim().is_empty() {
            return Err(format!("a header line needs a name: `{line}`"));
        }
        self.headers
            .push((name.trim().to_owned(), value.trim().to_owned()));
        Ok(())
    }

    pub fn add_form(&mut self, body: &str) {
        self.form.extend(parse_pairs(body, true));
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn form_param(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path_suffix(&self) -> &str {
        self.path
            .strip_prefix(self.base_path.as_str())
            .unwrap_or("")
    }

    /// The value of an input variable; absent ones are null.
    pub fn input(&self, input: &Input) -> Lookup {
        let found = match input {
            Input::Verb => Some(self.verb.as_str()),
            Input::PathSuffix => Some(self.path_suffix()),
            Input::Path => Some(self.path.as_str()),
            // Apigee's `request.header.X` is the first comma-separated value (✔ variables reference).
            Input::Header(name) => self
                .header(name)
                .map(|v| v.split(',').next().unwrap_or("").trim()),
            Input::QueryParam(name) => self
                .query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
            Input::FormParam(name) => self.form_param(name),
        };
        Lookup::Known(found.map_or(Value::Null, |v| Value::Str(v.to_owned())))
    }

    /// Request-derived variables that are not inputs of their own.
    pub fn derived(&self, name: &str) -> Option<Lookup> {
        let text = |s: String| Some(Lookup::Known(Value::Str(s)));
        match name {
            "proxy.basepath" => text(self.base_path.clone()),
            "request.querystring" => text(self.query_string()),
            "request.uri" => text(if self.query.is_empty() {
                self.path.clone()
            } else {
                format!("{}?{}", self.path, self.query_string())
            }),
            _ => None,
        }
    }

    fn query_string(&self) -> String {
        let pairs: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.join("&")
    }

    /// `METHOD /path?query` as given.
    pub fn line(&self) -> String {
        if self.query.is_empty() {
            format!("{} {}", self.verb, self.path)
        } else {
            format!("{} {}?{}", self.verb, self.path, self.query_string())
        }
    }
}

fn parse_pairs(text: &str, form: bool) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, form), percent_decode(v, form))
        })
        .collect()
}

/// `%XX` escapes, and `+` as a space in form bodies; a malformed escape stays as written.
fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        let r =
            Request::parse_line("post https://api.example.com/oauth/token?a=1&b=x%20y HTTP/1.1")
                .unwrap();
        assert_eq!((r.verb.as_str(), r.path.as_str()), ("POST", "/oauth/token"));
        assert_eq!(
            r.query,
            [("a".into(), "1".into()), ("b".into(), "x y".into())]
        );
        let r = Request::parse_line("GET /authorize?redirect_uri=https://app/cb").unwrap();
        assert_eq!(r.path, "/authorize");
        assert_eq!(r.query, [("redirect_uri".into(), "https://app/cb".into())]);
        assert!(Request::parse_line("GET").is_err());
        assert!(Request::parse_line("GET orders").is_err());
        assert!(Request::parse_line("G3T /x").is_err());
    }

    #[test]
    fn headers_are_case_insensitive_and_forms_decode() {
        let mut r = Request::parse_line("POST /t").unwrap();
        r.add_header("Content-Type: application/x-www-form-urlencoded")
            .unwrap();
        r.add_form("grant_type=password&username=a+b&password=p%26w");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(r.form_param("username"), Some("a b"));
        assert_eq!(r.form_param("password"), Some("p&w"));
        assert!(r.add_header("no colon").is_err());
    }

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
}
