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
    /// The part of the path the base path of the ProxyEndpoint that received it matched (set
    /// when one is chosen), without a trailing `/`: empty for the base path `/`.
    pub base_path: String,
}

impl Request {
    /// Parses `"POST /oauth/token?x=1"` (an absolute URL is accepted; its host is dropped, and a
    /// trailing `HTTP/1.1` is ignored).
    pub fn parse_line(line: &str) -> Result<Request, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&verb, rest)) = words.split_first() else {
            return Err("expected a request line such as `GET /v1/orders`".into());
        };
        if is_target(verb) {
            return Err(match rest.first().filter(|w| is_method(w)) {
                Some(method) => format!(
                    "the method goes before the path, as in `{} {verb}`",
                    method.to_ascii_uppercase()
                ),
                None => format!("expected a method before the path, as in `POST {verb}`"),
            });
        }
        if !is_method(verb) {
            return Err(format!("`{verb}` is not an HTTP method"));
        }
        let Some((&target, rest)) = rest.split_first() else {
            return Err(format!(
                "expected a path after `{verb}`, as in `{verb} /v1/orders`"
            ));
        };
        let rest = match rest.split_first() {
            Some((version, rest)) if version.starts_with("HTTP/") => rest,
            _ => rest,
        };
        if let Some(extra) = rest.first() {
            return Err(format!(
                "unexpected `{extra}` after the path (a space in a path is written `%20`)"
            ));
        }
        let target = match target.find("://").filter(|_| !target.starts_with('/')) {
            Some(at) => {
                let rest = &target[at + 3..];
                rest.find('/').map_or("/", |slash| &rest[slash..])
            }
            None => target,
        };
        if !target.starts_with('/') {
            return Err(format!(
                "the path `{target}` must start with `/`, as in `{verb} /{target}`"
            ));
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

    /// The base path as Apigee gives it in `proxy.basepath`, and as traces print it: `/` for
    /// the root.
    pub fn base_path_shown(&self) -> &str {
        if self.base_path.is_empty() {
            "/"
        } else {
            &self.base_path
        }
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
            "proxy.basepath" => text(self.base_path_shown().to_owned()),
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

/// A path or an absolute URL, where a request line starts with its method.
fn is_target(word: &str) -> bool {
    word.starts_with('/') || word.contains("://")
}

fn is_method(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic())
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

    /// A request line that misses its method, or has it in the wrong place, says so.
    #[test]
    fn request_line_errors_say_what_is_missing() {
        let error = |line: &str| Request::parse_line(line).unwrap_err();
        for (line, message) in [
            (
                "/oauth/token",
                "expected a method before the path, as in `POST /oauth/token`",
            ),
            (
                "https://api.example.com/oauth/token?a=1",
                "expected a method before the path, as in `POST https://api.example.com/oauth/token?a=1`",
            ),
            (
                "/oauth/token post",
                "the method goes before the path, as in `POST /oauth/token`",
            ),
            ("", "expected a request line such as `GET /v1/orders`"),
            ("GET", "expected a path after `GET`, as in `GET /v1/orders`"),
            ("G3T", "`G3T` is not an HTTP method"),
            ("GET orders", "the path `orders` must start with `/`, as in `GET /orders`"),
            (
                "GET /my orders",
                "unexpected `orders` after the path (a space in a path is written `%20`)",
            ),
            (
                "GET /x HTTP/1.1 extra",
                "unexpected `extra` after the path (a space in a path is written `%20`)",
            ),
        ] {
            assert_eq!(error(line), message, "{line:?}");
        }
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
