//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, and a declared ISO-8859-1.

/// Text decoded from a file, and what went wrong on the way: an offset into `text` and a message
/// (which gives the offset into the raw bytes where the two differ).
pub struct Decoded {
    pub text: String,
    pub problem: Option<(usize, String)>,
}

/// Decodes a file and masks the control characters XML forbids, so that no escape sequence in a
/// hostile file reaches a terminal through a source snippet.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut decoded = decode_text(bytes);
    if let Some(at) = forbidden_control(&decoded.text) {
        let c = decoded.text[at..].chars().next().unwrap_or_default();
        let message = format!("control character U+{:04X} is not allowed in XML", c as u32);
        decoded.problem.get_or_insert((at, message));
        decoded.text = decoded.text.replace(is_forbidden_control, "?");
    }
    decoded
}

/// A script's text: UTF-8, with undecodable bytes replaced and the control characters that are
/// not JavaScript whitespace masked, so that no escape sequence reaches a terminal through a
/// source snippet.
pub fn decode_script(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    text.replace(
        |c| is_forbidden_control(c) && !matches!(c, '\u{b}' | '\u{c}'),
        "?",
    )
}

/// XML 1.0 allows tab, line feed and carriage return among the C0 controls, and nothing else.
fn is_forbidden_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

/// Where the first control XML forbids is. Such a control is one byte in UTF-8, and files seldom
/// hold one: each block of bytes is tested whole (a loop without an early exit, which the
/// compiler vectorises) before one that holds a control is searched.
fn forbidden_control(text: &str) -> Option<usize> {
    const BLOCK: usize = 64;
    let forbidden = |b: u8| is_forbidden_control(char::from(b));
    let blocks = text.as_bytes().chunks(BLOCK).enumerate();
    blocks
        .filter(|(_, block)| block.iter().fold(false, |any, &b| any | forbidden(b)))
        .find_map(|(i, block)| Some(i * BLOCK + block.iter().position(|&b| forbidden(b))?))
}

fn decode_text(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, 3);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    if declares_latin1(bytes) {
        return Decoded {
            text: bytes.iter().map(|&b| b as char).collect(),
            problem: None,
        };
    }
    decode_utf8(bytes, 0)
}

/// `skipped` is the length of a byte order mark before `bytes`.
fn decode_utf8(bytes: &[u8], skipped: usize) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            problem: None,
        },
        // The text before the error is valid, so its length is the same in the lossy copy.
        Err(error) => Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            problem: Some((
                error.valid_up_to(),
                format!(
                    "invalid UTF-8 at byte offset {}",
                    skipped + error.valid_up_to()
                ),
            )),
        },
    }
}

fn decode_utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> Decoded {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    let mut problem = None;
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut unit = 0;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                unit += c.len_utf16();
                text.push(c);
            }
            Err(_) => {
                let at = 2 + 2 * unit;
                problem.get_or_insert((text.len(), format!("invalid UTF-16 at byte offset {at}")));
                unit += 1;
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if bytes.len() % 2 == 1 {
        problem.get_or_insert((
            text.len(),
            "UTF-16 text with an odd number of bytes".to_owned(),
        ));
    }
    Decoded { text, problem }
}

/// True when the XML declaration names ISO-8859-1 (or its alias Latin-1).
fn declares_latin1(bytes: &[u8]) -> bool {
    const QUOTED: [&[u8]; 6] = [
        b"\"iso-8859-1\"",
        b"'iso-8859-1'",
        b"\"latin1\"",
        b"'latin1'",
        b"\"latin-1\"",
        b"'latin-1'",
    ];
    let head = &bytes[..bytes.len().min(200)];
    let Some(end) = head.windows(2).position(|w| w == b"?>") else {
        return false;
    };
    // Bytes, not text: what is sought is ASCII, which an undecodable byte never is.
    let decl = head[..end].to_ascii_lowercase();
    let holds = |part: &[u8]| decl.windows(part.len()).any(|w| w == part);
    holds(b"<?xml") && QUOTED.iter().any(|name| holds(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").text, "<a/>");
    }

    #[test]
    fn utf16_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<a/>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("<a/>".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).text, "<a/>");
        assert_eq!(decode(&be).text, "<a/>");
    }

    #[test]
    fn broken_utf16_reports_the_raw_offset() {
        let mut bytes = vec![0xFF, 0xFE, b'<', 0, b'a', 0];
        bytes.extend([0x00, 0xDC]); // a lone low surrogate
        let d = decode(&bytes);
        assert_eq!(
            d.problem.unwrap(),
            (2, "invalid UTF-16 at byte offset 6".to_owned())
        );
    }

    #[test]
    fn latin1_when_declared() {
        let d = decode(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>");
        assert!(d.problem.is_none());
        assert!(d.text.ends_with("<a>café</a>"));
    }

    #[test]
    fn invalid_utf8_reports_its_offset() {
        let d = decode(b"\xEF\xBB\xBF<a>\xFF</a>");
        assert_eq!(
            d.problem.unwrap(),
            (3, "invalid UTF-8 at byte offset 6".to_owned())
        );
    }

    #[test]
    fn control_characters_are_reported_and_masked() {
        let d = decode(b"<a>\x1b[31mred</a>");
        assert_eq!(
            d.problem.unwrap(),
            (
                3,
                "control character U+001B is not allowed in XML".to_owned()
            )
        );
        assert_eq!(d.text, "<a>?[31mred</a>");
    }
}
