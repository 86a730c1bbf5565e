//! Escaping shared by the formats, so that no message or path can break a report.

use std::borrow::Cow;

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

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "A&B<\"x\"> 'q' tab\tLF\nCR\rbell\u{7}100% a:b,c";

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
}
