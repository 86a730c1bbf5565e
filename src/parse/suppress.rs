//! Suppression comments, read once at load: `<!-- oauthlint-disable rule-a, rule-b: reason -->`
//! before an element covers that element and everything inside it; before the root element, the
//! whole file. XML forbids `--` in a comment, so the reason follows a colon. apigeelint's
//! `<!-- apigeelint disable=ID,… -->` is read too, with the same scope (apigeelint's comment
//! covers the line after it; the element after it holds that line); the filter honours it only
//! where the configuration asks.

use crate::model::{Suppression, Valued};
use crate::parse::xml::{Document, Node, Text};
use crate::source::Span;
use std::ops::Range;

/// Every comment of `document` that starts with `oauthlint-` or `apigeelint disable=`, in file
/// order, with what it covers;
/// `file` spans the whole file.
pub fn suppressions(document: &Document, file: Span) -> Vec<Suppression> {
    let mut out: Vec<Suppression> = document
        .leading_comments
        .iter()
        .filter_map(|c| read(c, Some(file)))
        .collect();
    let mut stack = vec![&document.root];
    while let Some(element) = stack.pop() {
        for (i, node) in element.children.iter().enumerate() {
            match node {
                Node::Element(child) => stack.push(child),
                Node::Comment(comment) => {
                    out.extend(read(comment, next_element(&element.children[i + 1..])))
                }
                Node::Text(_) => {}
            }
        }
    }
    out.extend(
        document
            .trailing_comments
            .iter()
            .filter_map(|c| read(c, None)),
    );
    out.sort_by_key(|s| s.span.start);
    out
}

/// The span of the element `nodes` start with, past blank text and other comments (a stack of
/// suppressions, or an `expect:` marker, may sit between a suppression and its element).
fn next_element(nodes: &[Node]) -> Option<Span> {
    for node in nodes {
        match node {
            Node::Element(element) => return Some(element.span),
            Node::Text(text) if !text.value.trim().is_empty() => return None,
            Node::Text(_) | Node::Comment(_) => {}
        }
    }
    None
}

fn read(comment: &Text, scope: Option<Span>) -> Option<Suppression> {
    let body = comment.value.as_str();
    let start = body.len() - body.trim_start().len();
    let word = |range: Range<usize>| Valued {
        value: body[range.clone()].to_owned(),
        span: comment.map.span(comment.span.file, range),
    };
    if let Some(ids) = apigeelint_ids(&body[start..]) {
        let ids_start = body.len() - ids.len();
        let mut rules = Vec::new();
        let mut at = ids_start;
        for id in ids.split(',') {
            rules.extend(trimmed(body, at..at + id.len()).map(word));
            at += id.len() + 1;
        }
        let directive_end = ids_start - 1;
        return Some(Suppression {
            span: comment.span,
            directive: Valued {
                value: Suppression::APIGEELINT_DISABLE.to_owned(),
                span: comment.map.span(comment.span.file, start..directive_end),
            },
            rules,
            reason: None,
            scope,
        });
    }
    if !body[start..].starts_with("oauthlint-") {
        return None;
    }
    let directive_end = body[start..]
        .find(|c: char| c.is_whitespace() || c == ':')
        .map_or(body.len(), |i| start + i);
    let (names_end, reason) = match body[directive_end..].find(':') {
        Some(i) => {
            let colon = directive_end + i;
            (colon, trimmed(body, colon + 1..body.len()).map(word))
        }
        None => (body.len(), None),
    };
    let mut rules = Vec::new();
    let mut at = directive_end;
    for name in body[directive_end..names_end].split(',') {
        rules.extend(trimmed(body, at..at + name.len()).map(word));
        at += name.len() + 1;
    }
    Some(Suppression {
        span: comment.span,
        directive: word(start..directive_end),
        rules,
        reason,
        scope,
    })
}

/// The IDs of an `apigeelint disable=ID,…` comment body (from its first word), to its end.
fn apigeelint_ids(body: &str) -> Option<&str> {
    let rest = body.strip_prefix("apigeelint")?;
    let rest = rest.trim_start().strip_prefix("disable")?;
    rest.trim_start().strip_prefix('=')
}

/// `range` of `text` without the blanks at its ends; `None` when nothing is left.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.end - (piece.len() - piece.trim_end().len());
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::xml::parse;
    use crate::source::FileId;

    fn read_all(text: &str) -> Vec<Suppression> {
        let document = parse(FileId(0), text).unwrap();
        suppressions(&document, Span::new(FileId(0), 0..text.len()))
    }

    #[test]
    fn apigeelint_comments_are_read_with_their_ids_and_scope() {
        let text = "<T>\n  <!-- apigeelint disable=TD004, TD007 -->\n  <S/>\n  <!-- apigeelint: not ours -->\n</T>\n";
        let found = read_all(text);
        assert_eq!(found.len(), 1);
        let ids: Vec<&str> = found[0]
            .rules
            .iter()
            .map(|r| &text[r.span.range()])
            .collect();
        assert_eq!(ids, ["TD004", "TD007"]);
        assert!(found[0].is_apigeelint() && found[0].reason.is_none());
        assert_eq!(&text[found[0].scope.unwrap().range()], "<S/>");
        // Honoured only where the configuration says so.
        assert!(!found[0].takes_effect(false) && found[0].takes_effect(true));
    }

    #[test]
    fn names_reason_and_scope() {
        let text = "<!-- oauthlint-disable a, b : the reason -->\n<P>\n  <!-- oauthlint-disable c: why -->\n  <!-- expect: c -->\n  <S><N/></S>\n  <!--oauthlint-disable d-->\n</P>\n<!-- oauthlint-disable e: late -->\n";
        let found = read_all(text);
        let names = |s: &Suppression| -> Vec<(String, &str)> {
            s.rules
                .iter()
                .map(|r| (r.value.clone(), &text[r.span.range()]))
                .collect()
        };
        assert_eq!(found.len(), 4);
        assert_eq!(names(&found[0]), [("a".into(), "a"), ("b".into(), "b")]);
        assert_eq!(found[0].reason.as_ref().unwrap().value, "the reason");
        assert_eq!(found[0].scope.unwrap().range(), 0..text.len());
        assert_eq!(&text[found[1].scope.unwrap().range()], "<S><N/></S>");
        assert!(found[1].takes_effect(false));
        assert_eq!(names(&found[2]), [("d".into(), "d")]);
        assert!(found[2].reason.is_none() && !found[2].takes_effect(false));
        assert_eq!(found[2].scope, None, "the last child precedes no element");
        assert_eq!(found[3].scope, None, "after the root element");
    }

    #[test]
    fn other_comments_are_not_ours() {
        let text = "<!-- apigeelint: checked --><P><!-- oauthlint is run in CI --><!-- oauthlint-disable-next-line a: b --><S/></P>";
        let found = read_all(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].directive.value, "oauthlint-disable-next-line");
        assert!(!found[0].takes_effect(false));
    }
}
