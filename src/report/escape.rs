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
    fn one_line_escapes_control_characters_only() {
        assert_eq!(
            one_line(NASTY),
            "A&B<\"x\"> 'q' tab\\tLF\\nCR\\rbell\\u{7}100% a:b,c"
        );
        assert_eq!(one_line("héllo"), "héllo");
    }
}
