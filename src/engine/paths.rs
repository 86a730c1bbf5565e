//! `request.path` on the proxy request: the client's path without the host and the query
//! string, so the ProxyEndpoint's base path followed by the path suffix (flow variables
//! reference: `request.path` "the resource path (not including the host) to the backend service,
//! excluding query parameters", read-only; `proxy.pathsuffix` the part after the base path;
//! `request.uri` the path with the query string; apigee-oauth-reference.md §4.5 ✔).
//!
//! Symbolic runs know it only through the path suffix of a base path fixed in the bundle: a
//! templated base path (`{{ BASE }}`) or one with wildcards leaves it unknown.

use super::condition::{path_pattern_excludes_base, Lookup, Op, Value};
use super::inputs::Sample;

/// The variables that read the request message's path. Apigee documents them for the request
/// as the client sent it; `request.uri` differs once the target is called (SAP copy of the flow
/// variables reference, request.uri ◐), and what an AssignMessage `<Set><Path>` or the target
/// call leaves in them is not documented: unknown after either.
pub const MESSAGE_PATH_VARIABLES: [&str; 2] = ["request.path", "request.uri"];

/// The base path as it starts every request path (`/v1/orders`, or `""` for `/`), when the
/// bundle fixes it.
pub fn fixed_base(configured: &str) -> Option<String> {
    if configured.contains(['{', '}', '*']) {
        return None;
    }
    let segments: Vec<&str> = configured.split('/').filter(|s| !s.is_empty()).collect();
    Some(if segments.is_empty() {
        String::new()
    } else {
        format!("/{}", segments.join("/"))
    })
}

/// `request.path` for a request whose path suffix is `suffix`.
pub fn full_path(base: &str, suffix: &Sample) -> Lookup {
    match suffix {
        Sample::Text(s) => Lookup::Known(Value::Str(format!("{base}{s}"))),
        // A request for the base path itself.
        Sample::Absent if base.is_empty() => Lookup::Known(Value::Str("/".to_owned())),
        Sample::Absent => Lookup::Known(Value::Str(base.to_owned())),
        Sample::Other => Lookup::Other,
    }
}

/// The path suffix a request path needs to be `path`, if a path under `base` can be (with
/// `ignore_case`, as `:=` compares).
pub fn suffix_of(base: &str, path: &str, ignore_case: bool) -> Option<String> {
    let head = path.get(..base.len())?;
    let same = if ignore_case {
        head.eq_ignore_ascii_case(base)
    } else {
        head == base
    };
    let rest = &path[base.len()..];
    (same && (rest.is_empty() || rest.starts_with('/'))).then(|| rest.to_owned())
}

/// Whether every path under `base` whose suffix is none of the samples' texts (a non-empty
/// suffix starting with `/`) passes `request.path op literal`, when they all agree.
pub fn answer_under_base(base: &str, op: Op, literal: &str) -> Option<bool> {
    // Whether the path starts with `prefix`: settled by the base path unless the prefix
    // reaches into the suffix.
    let prefix_test = |prefix: &str| -> Option<bool> {
        if prefix.len() <= base.len() {
            Some(base.starts_with(prefix))
        } else {
            suffix_of(base, prefix, false).map_or(Some(false), |_| None)
        }
    };
    match op {
        Op::StartsWith => prefix_test(literal),
        Op::MatchesPath => path_pattern_excludes_base(literal, base).then_some(false),
        Op::Matches | Op::NotMatches => {
            let answer = match literal.split_once('*') {
                // Without `*` it is equality, and a suffix equal to none of the samples' texts
                // makes a path equal to no literal.
                None => Some(false),
                Some((before, _)) => prefix_test(before).filter(|passes| !passes),
            };
            if op == Op::Matches {
                answer
            } else {
                answer.map(|b| !b)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::condition::{glob_matches, matches_path, Truth};

    /// `request.path op literal` for a concrete path, as the condition language answers it.
    fn holds(path: &str, op: Op, literal: &str) -> Truth {
        match op {
            Op::StartsWith => Truth::from(path.starts_with(literal)),
            Op::Matches => glob_matches(literal, path),
            Op::NotMatches => !glob_matches(literal, path),
            Op::MatchesPath => matches_path(literal, path),
            _ => Truth::Unknown,
        }
    }

    #[test]
    fn fixed_base_paths() {
        assert_eq!(
            fixed_base("/oauth2-password/").as_deref(),
            Some("/oauth2-password")
        );
        assert_eq!(fixed_base("/").as_deref(), Some(""));
        assert_eq!(fixed_base("/v1/*/items"), None);
        assert_eq!(fixed_base("{{ BASE }}"), None);
    }

    #[test]
    fn suffixes_of_full_paths() {
        let base = "/oauth2-password";
        assert_eq!(
            suffix_of(base, "/oauth2-password/token", false).as_deref(),
            Some("/token")
        );
        assert_eq!(
            suffix_of(base, "/oauth2-password", false).as_deref(),
            Some("")
        );
        assert_eq!(suffix_of(base, "/oauth2-passwords/token", false), None);
        assert_eq!(suffix_of(base, "/token", false), None);
        assert_eq!(
            suffix_of(base, "/OAUTH2-password/t", true).as_deref(),
            Some("/t")
        );
    }

    /// Every answer given for "any other suffix" holds for some such suffixes.
    #[test]
    fn answers_under_a_base_hold_for_other_suffixes() {
        let base = "/oauth2-password";
        let cases = [
            (Op::MatchesPath, "/token", Some(false)),
            (Op::MatchesPath, "/*/token", None),
            (Op::MatchesPath, "/oauth2-password/token", None),
            (Op::MatchesPath, "/oauth2-password/**", None),
            (Op::StartsWith, "/oauth2", Some(true)),
            (Op::StartsWith, "/oauth2-password/t", None),
            (Op::StartsWith, "/token", Some(false)),
            (Op::Matches, "/token*", Some(false)),
            (Op::Matches, "/oauth2-password/*", None),
            (Op::NotMatches, "/token*", Some(true)),
            (Op::JavaRegex, "/token", None),
        ];
        for (op, literal, expected) in cases {
            assert_eq!(
                answer_under_base(base, op, literal),
                expected,
                "{op:?} {literal}"
            );
            if let Some(answer) = expected {
                for suffix in ["/x", "/token", "/x/y", "/"] {
                    let path = format!("{base}{suffix}");
                    assert_ne!(
                        holds(&path, op, literal),
                        Truth::from(!answer),
                        "{op:?} {literal} on {path}"
                    );
                }
            }
        }
    }
}
