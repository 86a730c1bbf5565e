//! `JavaRegex` / `~~`: `java.util.regex` with `Matcher.matches()` (whole value,
//! case-sensitive), emulated with the linear-time `regex` crate.
//!
//! The Java pattern is translated and anchored as `\A(?:…)\z`. Anything whose Java
//! meaning the `regex` crate cannot reproduce gives `Unknown`:
//! * look-ahead / look-behind `(?=` `(?!` `(?<=` `(?<!`, atomic groups `(?>`;
//! * back-references `\1`…`\9`, `\k<name>`; octal `\0nn`;
//! * possessive quantifiers `*+` `++` `?+` `}+`;
//! * `\p{…}` / `\P{…}` (Java's POSIX and `java…` classes differ from Unicode ones),
//!   `\Q…\E`, `\G`, `\Z`, `\h`, `\H`, `\v`, `\V`, `\R`, `\X`, `\N`, `\c`, and any other
//!   backslash-letter Java rejects;
//! * flags other than `i`, `m`, `s` (Java's `x`, `u`, `d`, `U`, `c` differ or are absent);
//!   `(?P<…>` (not Java);
//! * nested classes and POSIX brackets (`[[:alpha:]]`), `&&`, `--`, `~~` and a leading
//!   `]` inside a class, where the two dialects diverge;
//! * `{` that does not start a `{n}`, `{n,}` or `{n,m}` quantifier;
//! * a pattern or value that is not ASCII, or a value with a line break (Java's `.`,
//!   `$`, `\w`, `\b` and case folding only agree with the `regex` crate on such text);
//! * a pattern that fails to compile or exceeds the size limit.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Regex, RegexBuilder};

use super::truth::Truth;

/// Compiled-program budget per pattern; conditions hold short patterns.
const SIZE_LIMIT: usize = 1 << 20;
/// Cached patterns per thread before the cache is emptied.
const CACHE_CAPACITY: usize = 256;

thread_local! {
    static CACHE: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
}

/// Whether the whole `value` matches the Java regular expression `pattern`.
pub fn java_regex_matches(pattern: &str, value: &str) -> Truth {
    if !value.is_ascii() || value.contains(['\n', '\r']) {
        return Truth::Unknown;
    }
    let found = CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(re) = cache.get(pattern) {
            return re.as_ref().map(|re| re.is_match(value));
        }
        if cache.len() >= CACHE_CAPACITY {
            cache.clear();
        }
        let re = compile(pattern);
        let found = re.as_ref().map(|re| re.is_match(value));
        cache.insert(pattern.to_string(), re);
        found
    });
    found.map_or(Truth::Unknown, Truth::from)
}

fn compile(pattern: &str) -> Option<Regex> {
    let body = translate(pattern)?;
    RegexBuilder::new(&format!(r"\A(?:{body})\z"))
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .ok()
}

/// Java pattern → `regex` crate pattern, `None` where the dialects differ.
fn translate(java: &str) -> Option<String> {
    if !java.is_ascii() {
        return None;
    }
    let c: Vec<char> = java.chars().collect();
    let at = |i: usize| c.get(i).copied();
    let mut out = String::with_capacity(java.len() + 8);
    let mut in_class = false;
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        i += 1;
        match ch {
            '\\' => {
                let (text, used) = escape(&c[i..], in_class)?;
                out.push_str(&text);
                i += used;
            }
            '[' if in_class => return None,
            '[' => {
                in_class = true;
                out.push('[');
                if at(i) == Some('^') {
                    out.push('^');
                    i += 1;
                }
                if at(i) == Some(']') {
                    return None;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '-' | '~' if in_class && at(i) == Some(ch) => return None,
            _ if in_class => out.push(ch),
            ']' | '}' => out.push_str(if ch == ']' { r"\]" } else { r"\}" }),
            '(' => {
                let used = group_opening(&c[i..])?;
                out.push('(');
                out.extend(&c[i..i + used]);
                i += used;
            }
            '{' => {
                let len = c[i..].iter().position(|&x| x == '}')?;
                let inner: String = c[i..i + len].iter().collect();
                let (lo, hi) = inner.split_once(',').unwrap_or((&inner, "0"));
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                if !digits(lo) || !(hi.is_empty() || digits(hi)) {
                    return None;
                }
                out.push('{');
                out.push_str(&inner);
                out.push('}');
                i += len + 1;
                if at(i) == Some('+') {
                    return None;
                }
            }
            '*' | '+' | '?' => {
                out.push(ch);
                if at(i) == Some('+') {
                    return None;
                }
            }
            _ => out.push(ch),
        }
    }
    (!in_class).then_some(out)
}

/// Characters after `(` that belong to the group opening: `?:`, `?<name>`, or flags
/// `?ims-ims)` / `?ims-ims:`. `None` for constructs the `regex` crate lacks.
fn group_opening(rest: &[char]) -> Option<usize> {
    if rest.first() != Some(&'?') {
        return Some(0);
    }
    match rest.get(1)? {
        ':' => Some(2),
        '<' => {
            let name_len = rest[2..].iter().position(|&x| x == '>')?;
            let name = &rest[2..2 + name_len];
            let valid = name.first().is_some_and(|c| c.is_ascii_alphabetic())
                && name.iter().all(|c| c.is_ascii_alphanumeric());
            valid.then_some(name_len + 3)
        }
        _ => {
            let flags = rest[1..].iter().position(|&x| x == ')' || x == ':')?;
            rest[1..1 + flags]
                .iter()
                .all(|c| matches!(c, 'i' | 'm' | 's' | '-'))
                .then_some(flags + 1)
        }
    }
}

/// Translates the escape after a `\`; returns the text and how many characters it used.
fn escape(rest: &[char], in_class: bool) -> Option<(String, usize)> {
    let hex_value = |digits: &[char]| {
        if digits.is_empty() || !digits.iter().all(char::is_ascii_hexdigit) {
            return None;
        }
        let s: String = digits.iter().collect();
        u32::from_str_radix(&s, 16).ok().and_then(char::from_u32)
    };
    let literal = |c: char| Some((format!("\\x{{{:X}}}", u32::from(c)), 0));
    let d = *rest.first()?;
    let (text, extra) = match d {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' | 't' | 'n' | 'r' | 'f' | 'a' => (format!("\\{d}"), 0),
        'b' | 'B' | 'A' | 'z' if !in_class => (format!("\\{d}"), 0),
        'e' => literal('\u{1b}')?,
        'x' if rest.get(1) == Some(&'{') => {
            let len = rest[2..].iter().position(|&x| x == '}')?;
            literal(hex_value(&rest[2..2 + len])?).map(|(t, _)| (t, len + 2))?
        }
        'x' => literal(hex_value(rest.get(1..3)?)?).map(|(t, _)| (t, 2))?,
        'u' => literal(hex_value(rest.get(1..5)?)?).map(|(t, _)| (t, 4))?,
        c if c.is_ascii_alphanumeric() => return None,
        c => literal(c)?,
    };
    Some((text, extra + 1))
}
