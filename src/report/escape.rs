//! Escaping shared by the formats, so that no message or path can break a report: XML text and
//! attributes, GitHub workflow commands, SARIF URIs, one-line text.

use std::borrow::Cow;
use std::fmt::Write;

/// Applies `escape` to each character, borrowing `text` when no character needs it.
fn map_chars(text: &str, escape: impl Fn(char) -> Option<Cow<'static, str>>) -> Cow<'_, str> {
    let Some(first) = text.char_indices().find(|&(_, c)| escape(c).is_some()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first.0]);
    for c in text[first.0..].chars() {
        match escape(c) {
            Some(escaped) => out.push_str(&escaped),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// XML 1.0 cannot carry these at all, not even as `&#1;`: they become U+FFFD.
fn xml_forbidden(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// Element text: markup characters as entities; CR as a reference, since a parser reads a raw
/// CR as LF.
pub fn xml_text(text: &str) -> Cow<'_, str> {
    map_chars(text, |c| match c {
        '&' => Some("&amp;".into()),
        '<' => Some("&lt;".into()),
        '>' => Some("&gt;".into()),
        '\r' => Some("&#13;".into()),
        c if xml_forbidden(c) => Some("\u{fffd}".into()),
        _ => None,
    })
}

/// An attribute value between double quotes: as [`xml_text`], plus quotes, and TAB and LF as
/// references, which attribute-value normalisation would otherwise turn into spaces.
pub fn xml_attr(text: &str) -> Cow<'_, str> {
    map_chars(text, |c| match c {
        '"' => Some("&quot;".into()),
        '\'' => Some("&apos;".into()),
        '\t' => Some("&#9;".into()),
        '\n' => Some("&#10;".into()),
        c => match xml_text(c.encode_utf8(&mut [0; 4])) {
            Cow::Owned(escaped) => Some(escaped.into()),
            Cow::Borrowed(_) => None,
        },
    })
}

/// The message of a GitHub workflow command (after `::`), as the runner decodes it.
pub fn github_data(text: &str) -> Cow<'_, str> {
    map_chars(text, |c| match c {
        '%' => Some("%25".into()),
        '\r' => Some("%0D".into()),
        '\n' => Some("%0A".into()),
        _ => None,
    })
}

/// A property of a GitHub workflow command (`file=…`): as [`github_data`], plus the `:` and `,`
/// that delimit properties.
pub fn github_property(text: &str) -> Cow<'_, str> {
    map_chars(text, |c| match c {
        ':' => Some("%3A".into()),
        ',' => Some("%2C".into()),
        c => match github_data(c.encode_utf8(&mut [0; 4])) {
            Cow::Owned(escaped) => Some(escaped.into()),
            Cow::Borrowed(_) => None,
        },
    })
}

/// Control characters written as Rust escapes (`\n`, `\u{7}`), so that a finding stays on its
/// line.
pub fn one_line(text: &str) -> Cow<'_, str> {
    map_chars(text, |c| {
        c.is_control().then(|| c.escape_debug().to_string().into())
    })
}

/// A path as a URI reference: relative paths stay relative, absolute ones become `file:` URIs.
/// Every byte outside RFC 3986's unreserved characters, sub-delimiters, `@` and `/` is
/// percent-encoded; `:` too, which would read as a scheme in a first segment.
pub fn uri(path: &str) -> String {
    let bytes = path.as_bytes();
    let drive = bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":/";
    let (prefix, rest) = if path.starts_with('/') {
        ("file://".to_owned(), path)
    } else if drive {
        (format!("file:///{}", &path[..2]), &path[2..])
    } else {
        (String::new(), path)
    };
    let mut out = prefix;
    for &b in rest.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "A&B<\"x\"> 'q' tab\tLF\nCR\rbell\u{7}100% a:b,c";

    #[test]
    fn xml_escapes_markup_and_keeps_whitespace_through_a_parser() {
        assert_eq!(
            xml_text(NASTY),
            "A&amp;B&lt;\"x\"&gt; 'q' tab\tLF\nCR&#13;bell\u{fffd}100% a:b,c"
        );
        assert_eq!(
            xml_attr(NASTY),
            "A&amp;B&lt;&quot;x&quot;&gt; &apos;q&apos; tab&#9;LF&#10;CR&#13;bell\u{fffd}100% a:b,c"
        );
        assert!(matches!(xml_attr("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn github_escapes_what_the_runner_decodes() {
        assert_eq!(
            github_data(NASTY),
            "A&B<\"x\"> 'q' tab\tLF%0ACR%0Dbell\u{7}100%25 a:b,c"
        );
        assert_eq!(
            github_property(NASTY),
            "A&B<\"x\"> 'q' tab\tLF%0ACR%0Dbell\u{7}100%25 a%3Ab%2Cc"
        );
    }

    #[test]
    fn one_line_escapes_control_characters_only() {
        assert_eq!(
            one_line(NASTY),
            "A&B<\"x\"> 'q' tab\\tLF\\nCR\\rbell\\u{7}100% a:b,c"
        );
        assert_eq!(one_line("héllo"), "héllo");
    }

    #[test]
    fn uris_are_references_relative_or_file() {
        assert_eq!(
            uri("R&D, legacy/apiproxy/a b%é.xml"),
            "R&D,%20legacy/apiproxy/a%20b%25%C3%A9.xml"
        );
        assert_eq!(uri("a:b/c#d?e"), "a%3Ab/c%23d%3Fe");
        assert_eq!(uri("/srv/repo/x.xml"), "file:///srv/repo/x.xml");
        assert_eq!(uri("C:/repo/x.xml"), "file:///C:/repo/x.xml");
    }
}
