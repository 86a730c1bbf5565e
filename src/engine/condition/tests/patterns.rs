//! Pattern operators: MatchesPath (the §5.6 table and its open cases), Matches glob,
//! JavaRegex translation, StartsWith.

use super::*;
use Truth::{False as F, True as T, Unknown as U};

#[test]
fn matches_path_table() {
    for (pattern, value, expected) in [
        // Reference §5.6 table (✔).
        ("/*/a/", "/x/a/", T),
        ("/*/a/", "/y/a/", T),
        ("/*/a/*", "/x/a/b", T),
        ("/*/a/*", "/y/a/foo", T),
        ("/*/a/**", "/x/a/b/c/d", T),
        ("/*/a/{reader}/feed/", "/x/a/b/feed/", T),
        ("/a/**/feed/**", "/a/b/feed/rss/1234", T),
        ("/%{user%}", "/{user}", T),
        ("/%{user%}", "/user", F),
        // Exactly one element for `*` and `{name}`.
        ("/*/a/*", "/x/a/b/c", F),
        ("/*/a", "/a", F),
        ("/*", "/x/y", F),
        ("/{id}", "/x/y", F),
        ("/a/{id}/c", "/a/b/c", T),
        ("/token", "/token", T),
        ("/token", "/tokens", F),
        ("/token", "/token/x", F),
        ("/token", "/x/token", F),
        ("/a/**/c", "/a/b/x/y/c", T),
        ("/a/**/c", "/a/b/x/y/d", F),
        ("/a/**", "/b/c", F),
        ("/accesstoken", "/accesstoken", T),
        // Case-sensitive.
        ("/Token", "/token", F),
        // A pattern without a leading `/` never matches a path suffix.
        ("token", "/token", F),
        // `%` makes the next character literal.
        ("/a%*b", "/a*b", T),
        ("/a%*b", "/axb", F),
        ("/100%%", "/100%", T),
        // Open questions (○): zero elements for `**`, trailing slash on one side only,
        // a wildcard on an empty element, an empty value.
        ("/a/**", "/a", U),
        ("/a/**", "/a/", U),
        ("/a/**/b", "/a/b", U),
        ("/token", "/token/", U),
        ("/token/", "/token", U),
        ("/*/a/", "/x/a", U),
        ("/*", "/", U),
        ("/*/b", "//b", U),
        ("/", "", U),
        ("/**", "", U),
        ("/token", "", F),
        // Wildcards mixed with text inside an element are undocumented.
        ("/a*", "/ab", U),
        ("/*.json", "/x.json", U),
        ("/{id}.json", "/1.json", U),
        ("**/india/blr**", "/x/india/blr1", U),
        ("/{}", "/x", U),
        ("/a%", "/a", U),
        ("/a%/b", "/a/b", U),
    ] {
        assert_eq!(
            matches_path(pattern, value),
            expected,
            "{pattern} vs {value}"
        );
    }
}

/// Two patterns whose anchors differ at one place match no path in common; the anchor is
/// looked for before any `**` only.
#[test]
fn path_pattern_anchors() {
    for (pattern, expected) in [
        ("/r1/*", Some((1, "r1"))),
        ("/{id}/orders/**", Some((2, "orders"))),
        ("/*/**/x", None),
        ("/**/r1", None),
        ("/a*/b", None),
        ("/", None),
    ] {
        let expected = expected.map(|(place, text)| (place, text.to_owned()));
        assert_eq!(path_pattern_anchor(pattern), expected, "{pattern}");
    }
    let paths = ["/r1/x", "/r2/x", "/r1/", "/r1", "/r2/x/", "/x/r1", "/r1/r2"];
    for (a, b) in [("/r1/*", "/r2/*"), ("/r1/**", "/r2"), ("/r1/", "/r2/{id}")] {
        assert_ne!(path_pattern_anchor(a), path_pattern_anchor(b));
        for path in paths {
            assert!(
                matches_path(a, path) != T || matches_path(b, path) != T,
                "{a} and {b} both match {path}"
            );
        }
    }
}

#[test]
fn glob() {
    for (pattern, value, expected) in [
        ("/cat", "/cat", T),
        ("/cat", "/cats", F),
        ("/cat", "/Cat", F),
        ("/*at", "/cat", T),
        ("/*at", "/bat/cat", T),
        ("*", "", T),
        ("*", "anything/at/all", T),
        ("", "", T),
        ("", "x", F),
        ("*unavailable*", "service unavailable now", T),
        ("*unavailable*", "unavailable", T),
        ("*unavailable*", "available", F),
        ("a*b*c", "aXbYc", T),
        ("a*b*c", "aXbY", F),
        ("a**b", "ab", T),
        ("a?c", "abc", F),
        ("a?c", "a?c", T),
        ("a.c", "abc", F),
        (
            "*a*a*a*a*a*b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            F,
        ),
    ] {
        assert_eq!(
            glob_matches(pattern, value),
            expected,
            "{pattern} vs {value}"
        );
    }
}

#[test]
fn java_regex() {
    for (pattern, value, expected) in [
        // api-platform-samples README: a regex, not a glob, and a full match.
        ("/c*t", "/cat", F),
        ("/c.*t", "/cat", T),
        ("/c.t", "/cat", T),
        ("/ca", "/cat", F),
        ("at", "/cat", F),
        ("/v1/(a|b)/.*", "/v1/a/x", T),
        ("/v1/(a|b)/.*", "/v1/c/x", F),
        ("^(POST|GET)$", "GET", T),
        ("^(POST|GET)$", "get", F),
        ("(?i)^(POST|GET)$", "get", T),
        ("(?i:p)ost", "Post", T),
        (".+", "", F),
        (".+", "x", T),
        ("a|ab", "ab", T),
        (
            "application\\/json(\\s*;\\s*charset=(.)+)?",
            "application/json; charset=utf-8",
            T,
        ),
        ("\\d{3}", "404", T),
        ("\\d{3,}", "40", F),
        ("[\\w-]+", "a-b_c", T),
        ("[^a-c]+", "xyz", T),
        ("[^a-c]+", "xbz", F),
        ("\\<a\\>", "<a>", T),
        ("\\Qa.b", "a.b", U),
        ("\\x41\\u0042\\x{43}", "ABC", T),
        ("\\e", "\u{1b}", T),
        ("a}", "a}", T),
        ("a]", "a]", T),
        ("(?<name>a)b", "ab", T),
        (
            "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
            "YWJj",
            T,
        ),
        (
            "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
            "YWJ",
            F,
        ),
        // Constructs the regex crate cannot reproduce.
        ("a(?=b)b", "ab", U),
        ("a(?!c)b", "ab", U),
        ("(?<=a)b", "ab", U),
        ("(?<!a)b", "b", U),
        ("(?>a)b", "ab", U),
        ("(a)\\1", "aa", U),
        ("(?<n>a)\\k<n>", "aa", U),
        ("a*+", "aa", U),
        ("a++", "aa", U),
        ("a?+", "a", U),
        ("a{2}+", "aa", U),
        ("\\p{Alpha}+", "ab", U),
        ("\\p{javaLowerCase}", "a", U),
        ("\\P{Lu}", "a", U),
        ("(?x)a b", "ab", U),
        ("(?U)a", "a", U),
        ("(?P<n>a)", "a", U),
        ("[[:alpha:]]", "a", U),
        ("[a-z&&[^e]]", "a", U),
        ("[]a]", "a", U),
        ("[a--b]", "a", U),
        ("\\h", " ", U),
        ("\\v", "\u{b}", U),
        ("\\Z", "", U),
        ("\\012", "\n", U),
        ("\\y", "y", U),
        ("a{", "a{", U),
        ("a{,2}", "a", U),
        ("x{1000}{1000}{1000}", "x", U),
        ("(", "(", U),
        ("[a", "a", U),
        ("a\\", "a", U),
        ("é", "é", U),
        // Values Java and the regex crate could read differently.
        ("a.b", "a\rb", U),
        (".*", "line\nbreak", U),
        ("\\w+", "Ärger", U),
    ] {
        assert_eq!(
            java_regex_matches(pattern, value),
            expected,
            "{pattern:?} vs {value:?}"
        );
    }
    // Cached and uncached answers agree.
    assert_eq!(java_regex_matches("/c*t", "/cat"), F);
    assert_eq!(java_regex_matches("/c*t", "/ct"), T);
}

#[test]
fn starts_with_prefix() {
    for (prefix, value, expected) in [
        ("/v1", "/v1/token", T),
        ("/V1", "/v1/token", F),
        ("", "x", T),
        ("abc", "ab", F),
        ("dummy-client_id", "dummy-client_id-2", T),
    ] {
        assert_eq!(starts_with(prefix, value), expected, "{prefix} vs {value}");
    }
}

#[test]
fn pattern_operators_in_conditions() {
    let env = MapEnv::new()
        .with("proxy.pathsuffix", s("/cat"))
        .with("p", s("/a/b"));
    for (text, expected) in [
        ("proxy.pathsuffix JavaRegex \"/c*t\"", F),
        ("proxy.pathsuffix ~~ \"/c.*t\"", T),
        ("proxy.pathsuffix Matches \"/*at\"", T),
        ("proxy.pathsuffix Like \"/c*\"", T),
        ("proxy.pathsuffix !~ \"/c*\"", F),
        ("proxy.pathsuffix !~ \"/d*\"", T),
        ("proxy.pathsuffix MatchesPath \"/cat\"", T),
        ("proxy.pathsuffix not MatchesPath \"/cat\"", F),
        ("proxy.pathsuffix not MatchesPath \"/dog\"", T),
        ("proxy.pathsuffix LikePath \"/*\"", T),
        ("p ~/ \"/a/**\"", T),
        ("p ~/ \"/a/*/**\"", U),
        ("p =| \"/a\"", T),
        ("p StartsWith \"/b\"", F),
        ("p not StartsWith \"/b\"", T),
    ] {
        assert_eq!(ev(text, &env), expected, "{text}");
    }
}
