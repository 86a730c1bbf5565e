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

    /// A form parameter of the body. Apigee reads form parameters only from a body of type
    /// `application/x-www-form-urlencoded` (ExtractVariables and AssignMessage references,
    /// FormParam ◐); a media type is case-insensitive and may carry parameters such as
    /// `charset` (RFC 9110 §8.3.1).
    pub fn form_param(&self, name: &str) -> Option<&str> {
        let form_body = self.header("Content-Type").is_some_and(|t| {
            t.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
        self.form
            .iter()
            .filter(|_| form_body)
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
        // Whether an empty path suffix reads as "" or as null is not documented (○).
        if *input == Input::PathSuffix && self.path_suffix().is_empty() {
            return Lookup::Unknown;
        }
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
    fn only_urlencoded_bodies_are_forms() {
        let with = |content_type: Option<&str>| {
            let mut r = Request::parse_line("POST /t").unwrap();
            if let Some(t) = content_type {
                r.add_header(&format!("Content-Type: {t}")).unwrap();
            }
            r.add_form("grant_type=password");
            r.form_param("grant_type").map(str::to_owned)
        };
        assert_eq!(with(Some("application/json")), None);
        assert_eq!(with(Some("multipart/form-data; boundary=x")), None);
        assert_eq!(with(None), None);
        for form in [
            "application/x-www-form-urlencoded",
            "Application/X-WWW-Form-URLEncoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
        ] {
            assert_eq!(with(Some(form)).as_deref(), Some("password"), "{form}");
        }
    }
}
