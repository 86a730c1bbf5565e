//! A small XML element tree that keeps the byte span of every element, attribute and text.
//!
//! quick-xml does the tokenising; this module checks what it leaves to its caller (one root, no
//! text outside it, every element closed, no undefined entity) and never expands a DTD. The tree
//! is built with an explicit stack and its depth is capped, so no input can exhaust the stack.

use crate::source::{FileId, Span, TextMap};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// Deeper nesting than this is reported rather than built (real bundles stay below 20).
pub const MAX_DEPTH: usize = 256;
/// More attributes on one element than this is reported (real policies use a handful).
pub const MAX_ATTRIBUTES: usize = 256;

#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    /// From `<` of the start tag to `>` of the end tag.
    pub span: Span,
    pub name_span: Span,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub value: String,
    pub name_span: Span,
    /// The value between the quotes.
    pub value_span: Span,
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    /// Character data (entities decoded) or a CDATA section.
    Text(Text),
    Comment(Text),
}

#[derive(Debug, Clone)]
pub struct Text {
    pub value: String,
    pub span: Span,
    /// Where each byte of `value` is in the file.
    pub map: TextMap,
}

#[derive(Debug)]
pub struct Document {
    pub root: Element,
    /// Comments before the root element, in order (suppressions for the whole file live there).
    pub leading_comments: Vec<Text>,
    /// Comments after the root element, in order.
    pub trailing_comments: Vec<Text>,
}

/// Why a file is not well-formed XML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub span: Span,
}

impl Element {
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The element's own text (text and CDATA children), trimmed, with the span of the trimmed
    /// text. `None` when the element holds no non-blank text.
    pub fn text(&self) -> Option<Text> {
        let mut pieces = self.text_pieces();
        let first = pieces.next()?;
        // Most elements hold one piece, which is trimmed without being copied first.
        let mut joined: Option<(String, TextMap)> = None;
        for piece in pieces {
            let (value, map) =
                joined.get_or_insert_with(|| (first.value.clone(), first.map.clone()));
            value.push_str(&piece.value);
            map.extend(&piece.map);
        }
        let (value, map) = match &joined {
            Some((value, map)) => (value.as_str(), map),
            None => (first.value.as_str(), &first.map),
        };
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return None;
        }
        let lead = value.len() - value.trim_start().len();
        let map = map.slice(lead..lead + trimmed.len());
        Some(Text {
            value: trimmed.to_owned(),
            span: map.span(first.span.file, 0..trimmed.len()),
            map,
        })
    }

    /// The value of [`Element::text`] alone, borrowed when the text is one piece (most are):
    /// what a check that reads the text without keeping it needs.
    pub fn text_value(&self) -> Option<Cow<'_, str>> {
        // Blank pieces (the indentation between child elements) count only between others.
        let mut solid = self
            .text_pieces()
            .enumerate()
            .filter(|(_, piece)| !piece.value.trim().is_empty());
        let (first, piece) = solid.next()?;
        let Some((last, _)) = solid.last() else {
            return Some(Cow::Borrowed(piece.value.trim()));
        };
        let pieces = self.text_pieces().skip(first).take(last + 1 - first);
        let joined: String = pieces.map(|piece| piece.value.as_str()).collect();
        Some(Cow::Owned(joined.trim().to_owned()))
    }

    /// The text and CDATA children.
    fn text_pieces(&self) -> impl Iterator<Item = &Text> {
        self.children.iter().filter_map(|node| match node {
            Node::Text(t) => Some(t),
            _ => None,
        })
    }

    /// Span of the start tag's name: what a finding about the whole element points at.
    pub fn head(&self) -> Span {
        self.name_span
    }
}

/// Parses one file's text into a document.
pub fn parse(file: FileId, text: &str) -> Result<Document, XmlError> {
    // Decoding drops one byte-order mark; a second is content before the prolog, which XML
    // forbids, and quick-xml would skip it without counting its bytes in positions.
    if text.starts_with('\u{FEFF}') {
        return Err(XmlError {
            message: "a second byte-order mark (U+FEFF) before the XML declaration".into(),
            span: Span::new(file, 0.."\u{FEFF}".len()),
        });
    }
    Parser::new(file, text).run()
}

struct Parser<'a> {
    file: FileId,
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// The elements open, each with where its children start in `children`.
    stack: Vec<(Element, usize)>,
    /// The children of the open elements, in document order: an element's are moved into a
    /// vector of their number when it closes, rather than grown in it one by one.
    children: Vec<Node>,
    root: Option<Element>,
    leading_comments: Vec<Text>,
    trailing_comments: Vec<Text>,
}

impl<'a> Parser<'a> {
    fn new(file: FileId, text: &'a str) -> Parser<'a> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.check_comments = true;
        Parser {
            file,
            text,
            reader,
            stack: Vec::new(),
            children: Vec::new(),
            root: None,
            leading_comments: Vec::new(),
            trailing_comments: Vec::new(),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start..end)
    }

    /// The `len` bytes of the file at `start`: what quick-xml hands over as bytes is a stretch
    /// of the text, which is UTF-8 already.
    fn source(&self, start: usize, len: usize) -> String {
        self.text[start..start + len].to_owned()
    }

    fn error(&self, message: impl Into<String>, start: usize, end: usize) -> XmlError {
        XmlError {
            message: message.into(),
            span: self.span(start, end.max(start)),
        }
    }

    fn run(mut self) -> Result<Document, XmlError> {
        loop {
            let start = self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let at = (self.reader.error_position() as usize).min(self.text.len());
                    let mut message = describe(&error);
                    if let (quick_xml::Error::IllFormed(_), Some(open)) =
                        (&error, self.stack.last().map(|(open, _)| open))
                    {
                        let line = self.text[..open.span.start as usize].matches('\n').count() + 1;
                        message = format!("{message} (opened on line {line})");
                    }
                    return Err(self.error(message, at, at + 1));
                }
            };
            let end = self.reader.buffer_position() as usize;
            match event {
                Event::Start(tag) => {
                    let element = self.open(&tag, start, end)?;
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(self.error(
                            format!("elements nest deeper than {MAX_DEPTH} levels"),
                            start,
                            end,
                        ));
                    }
                    self.stack.push((element, self.children.len()));
                }
                Event::Empty(tag) => {
                    let element = self.open(&tag, start, end)?;
                    self.close(element)?;
                }
                Event::End(_) => {
                    let (mut element, first) = self.stack.pop().ok_or_else(|| {
                        self.error("closing tag without an opening tag", start, end)
                    })?;
                    element.span.end = end as u32;
                    element.children = self.children.split_off(first);
                    self.close(element)?;
                }
                Event::Text(_) => {
                    let raw_text = &self.text[start..end];
                    let value = self.unescape(raw_text, start)?;
                    let map = unescaped_map(raw_text, start);
                    self.text_node(value, map, start, end)?;
                }
                Event::CData(data) => {
                    let span =
                        self.span(start + "<![CDATA[".len(), end.saturating_sub("]]>".len()));
                    let value = self.source(span.start as usize, data.len());
                    let mut map = TextMap::default();
                    map.push(span.start as usize, data.len(), data.len());
                    self.push_node(Node::Text(Text { value, span, map }), start, end)?;
                }
                Event::Comment(body) => {
                    let value = self.source(start + "<!--".len(), body.len());
                    let mut map = TextMap::default();
                    map.push(start + "<!--".len(), body.len(), body.len());
                    let comment = Text {
                        value,
                        span: self.span(start, end),
                        map,
                    };
                    if !self.stack.is_empty() {
                        self.children.push(Node::Comment(comment));
                    } else if self.root.is_none() {
                        self.leading_comments.push(comment);
                    } else {
                        self.trailing_comments.push(comment);
                    }
                }
                // A DTD is never expanded; an entity it declares stays undefined (and is reported).
                Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {
                    if !self.stack.is_empty() {
                        return Err(self.error("declaration inside an element", start, end));
                    }
                    let target = match &event {
                        Event::Decl(_) => Some(&b"xml"[..]),
                        Event::PI(pi) => Some(pi.target()),
                        _ => None,
                    };
                    if let Some(error) = target.and_then(|t| self.misplaced_declaration(t, start)) {
                        return Err(error);
                    }
                }
                Event::Eof => return self.finish(),
            }
        }
    }

    /// XML 1.0 allows the declaration `<?xml …?>` only as the file's very first characters
    /// (§2.8, production [23]; a byte-order mark, dropped by decoding, may precede it) and
    /// reserves the target `xml`, in any case, for it (production [17]): Java's parsers, which
    /// Apigee uses, refuse a declaration after a licence comment or blank lines.
    fn misplaced_declaration(&self, target: &[u8], start: usize) -> Option<XmlError> {
        if !target.eq_ignore_ascii_case(b"xml") {
            return None;
        }
        let at = |message: &str| Some(self.error(message, start, start + "<?xml".len()));
        if !target.eq(b"xml") {
            return at("`<?XML` is no XML declaration, and XML reserves the name `xml` in any case: write `<?xml` in lower case");
        }
        match &self.text[..start] {
            "" => None,
            before if before.trim().is_empty() => at(
                "whitespace before the XML declaration: `<?xml …?>` must be the very first \
                 characters of the file",
            ),
            _ => at(
                "the XML declaration comes after other content (a comment, say): `<?xml …?>` \
                 must be the very first characters of the file",
            ),
        }
    }

    /// `raw`, found at file offset `start`, with its entities expanded.
    fn unescape(&self, raw: &str, start: usize) -> Result<String, XmlError> {
        // Most texts hold no entity, which a byte search tells for less than quick-xml's.
        if !raw.as_bytes().contains(&b'&') {
            return Ok(raw.to_owned());
        }
        quick_xml::escape::unescape(raw)
            .map(Cow::into_owned)
            .map_err(|e| self.entity_error(&e, start))
    }

    fn entity_error(&self, error: &quick_xml::escape::EscapeError, offset: usize) -> XmlError {
        use quick_xml::escape::EscapeError;
        match error {
            EscapeError::UnrecognizedEntity(range, name) => self.error(
                format!("undefined entity `&{name};`"),
                offset + range.start.saturating_sub(1),
                offset + range.end + 1,
            ),
            EscapeError::UnterminatedEntity(range) => self.error(
                "`&` not followed by an entity name and `;` (write `&amp;`)",
                offset + range.start,
                offset + range.start + 1,
            ),
            EscapeError::InvalidCharRef(e) => self.error(
                format!("invalid character reference: {e}"),
                offset,
                offset + 1,
            ),
        }
    }

    fn text_node(
        &mut self,
        value: String,
        map: TextMap,
        start: usize,
        end: usize,
    ) -> Result<(), XmlError> {
        if self.stack.is_empty() {
            if value.trim().is_empty() {
                return Ok(());
            }
            let lead = value.len() - value.trim_start().len();
            let at = start + lead.min(end - start);
            return Err(self.error("text outside the root element", at, at + 1));
        }
        self.push_node(
            Node::Text(Text {
                value,
                span: self.span(start, end),
                map,
            }),
            start,
            end,
        )
    }

    fn push_node(&mut self, node: Node, start: usize, end: usize) -> Result<(), XmlError> {
        if self.stack.is_empty() {
            return Err(self.error("content outside the root element", start, end));
        }
        self.children.push(node);
        Ok(())
    }

    fn open(&self, tag: &BytesStart, start: usize, end: usize) -> Result<Element, XmlError> {
        let name_start = start + 1;
        let name = self.source(name_start, tag.name().as_ref().len());
        let name_span = self.span(name_start, name_start + name.len());
        // The tag's own bytes run from after `<` to before `>` (or `/>`).
        let body_end = name_start + tag.len();
        let attributes = scan_attributes(self, name_start + name.len(), body_end)?;
        if self.root.is_some() && self.stack.is_empty() {
            return Err(self.error(
                format!("a second root element `<{name}>` (a file holds one root element)"),
                start,
                end,
            ));
        }
        Ok(Element {
            name,
            span: self.span(start, end),
            name_span,
            attributes,
            children: Vec::new(),
        })
    }

    fn close(&mut self, element: Element) -> Result<(), XmlError> {
        if self.stack.is_empty() {
            self.root = Some(element);
        } else {
            self.children.push(Node::Element(element));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Document, XmlError> {
        if let Some((open, _)) = self.stack.pop() {
            return Err(XmlError {
                message: format!("`<{}>` is never closed: the file ends first", open.name),
                span: open.name_span,
            });
        }
        match self.root {
            Some(root) => Ok(Document {
                root,
                leading_comments: self.leading_comments,
                trailing_comments: self.trailing_comments,
            }),
            None => Err(self.error(
                if self.text.trim().is_empty() {
                    "empty file: no root element"
                } else {
                    "no root element"
                },
                0,
                0,
            )),
        }
    }
}

/// The map of character data `raw`, found at file offset `start`, once its entities are
/// expanded (they are known to be well-formed: the text was unescaped first).
fn unescaped_map(raw: &str, start: usize) -> TextMap {
    let mut map = TextMap::default();
    let mut at = 0;
    // A byte search: most texts are short and hold no entity.
    let entity_at = |from: usize| raw.as_bytes()[from..].iter().position(|&b| b == b'&');
    while let Some(amp) = entity_at(at).map(|i| at + i) {
        map.push(start + at, amp - at, amp - at);
        let end = raw[amp..].find(';').map_or(raw.len(), |i| amp + i + 1);
        let entity = &raw[amp..end];
        let decoded = quick_xml::escape::unescape(entity).map_or(entity.len(), |d| d.len());
        map.push(start + amp, decoded, entity.len());
        at = end;
    }
    map.push(start + at, raw.len() - at, raw.len() - at);
    map
}

/// Reads `name="value"` pairs from the tag text between `from` and `to`, keeping their spans.
fn scan_attributes(parser: &Parser, from: usize, to: usize) -> Result<Vec<Attribute>, XmlError> {
    let text = parser.text;
    let bytes = text.as_bytes();
    let mut attributes: Vec<Attribute> = Vec::new();
    let mut i = from;
    let skip_ws = |mut i: usize| {
        while i < to && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        let at = skip_ws(i);
        if at >= to || (bytes[at] == b'/' && skip_ws(at + 1) >= to) {
            return Ok(attributes);
        }
        if at == i {
            return Err(parser.error("expected white space before an attribute", at, at + 1));
        }
        let name_start = at;
        let mut j = at;
        while j < to && !bytes[j].is_ascii_whitespace() && bytes[j] != b'=' {
            j += 1;
        }
        let name = &text[name_start..j];
        let eq = skip_ws(j);
        if eq >= to || bytes[eq] != b'=' {
            return Err(parser.error(format!("attribute `{name}` has no value"), name_start, j));
        }
        let quote_at = skip_ws(eq + 1);
        let quote = bytes
            .get(quote_at)
            .copied()
            .filter(|&q| quote_at < to && (q == b'"' || q == b'\''));
        let Some(quote) = quote else {
            return Err(parser.error(
                format!("the value of `{name}` must be quoted"),
                quote_at,
                quote_at + 1,
            ));
        };
        let value_start = quote_at + 1;
        // Byte searches: attribute values are short, and the bytes sought are ASCII.
        let Some(len) = bytes[value_start..to].iter().position(|&b| b == quote) else {
            return Err(parser.error(format!("the value of `{name}` is not closed"), quote_at, to));
        };
        let value_end = value_start + len;
        let raw = &text[value_start..value_end];
        if let Some(lt) = raw.bytes().position(|b| b == b'<') {
            return Err(parser.error(
                "`<` inside an attribute value",
                value_start + lt,
                value_start + lt + 1,
            ));
        }
        let value = parser.unescape(raw, value_start)?;
        if attributes.len() >= MAX_ATTRIBUTES {
            return Err(parser.error(
                format!("more than {MAX_ATTRIBUTES} attributes on one element"),
                name_start,
                j,
            ));
        }
        if attributes.iter().any(|a| a.name == name) {
            return Err(parser.error(format!("attribute `{name}` appears twice"), name_start, j));
        }
        attributes.push(Attribute {
            name: name.to_owned(),
            value,
            name_span: parser.span(name_start, j),
            value_span: parser.span(value_start, value_end),
        });
        i = value_end + 1;
    }
}

fn describe(error: &quick_xml::Error) -> String {
    use quick_xml::errors::{Error, IllFormedError, SyntaxError};
    match error {
        Error::Syntax(SyntaxError::UnclosedTag) => "unclosed tag: `>` is missing".into(),
        Error::Syntax(SyntaxError::UnclosedComment) => "unclosed comment: `-->` is missing".into(),
        Error::Syntax(SyntaxError::UnclosedCData) => {
            "unclosed CDATA section: `]]>` is missing".into()
        }
        Error::Syntax(SyntaxError::UnclosedDoctype) => "unclosed DOCTYPE".into(),
        Error::Syntax(SyntaxError::UnclosedPIOrXmlDecl) => "unclosed `<?` declaration".into(),
        Error::Syntax(SyntaxError::InvalidBangMarkup) => {
            "`<!` starts neither a comment, CDATA nor DOCTYPE".into()
        }
        Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("closing tag `</{found}>` does not match the open `<{expected}>`")
        }
        Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("closing tag `</{name}>` without an opening tag")
        }
        Error::IllFormed(IllFormedError::DoubleHyphenInComment) => "`--` inside a comment".into(),
        Error::IllFormed(IllFormedError::MissingEndTag(name)) => {
            format!("`<{name}>` is never closed")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, XmlError> {
        parse(FileId(0), text)
    }

    fn err(text: &str) -> (String, usize) {
        let e = doc(text).unwrap_err();
        (e.message, e.span.start as usize)
    }

    #[test]
    fn a_second_byte_order_mark_is_refused() {
        assert_eq!(
            err("\u{FEFF}<A>\u{404}</A>"),
            (
                "a second byte-order mark (U+FEFF) before the XML declaration".into(),
                0
            )
        );
    }

    #[test]
    fn spans_of_elements_attributes_and_text() {
        let text = "<?xml version=\"1.0\"?>\r\n<!-- lic -->\n<A name=\"x &amp; y\" b='2'>\n <B> hi </B><C/></A>\n<!-- end -->\n";
        let d = doc(text).unwrap();
        let a = &d.root;
        assert_eq!(a.name, "A");
        assert_eq!(d.leading_comments.len(), 1);
        assert_eq!(d.trailing_comments[0].value, " end ");
        let name = a.attribute("name").unwrap();
        assert_eq!(name.value, "x & y");
        assert_eq!(&text[name.value_span.range()], "x &amp; y");
        assert_eq!(&text[a.attribute("b").unwrap().value_span.range()], "2");
        let b = a.child("B").unwrap();
        let t = b.text().unwrap();
        assert_eq!(t.value, "hi");
        assert_eq!(&text[t.span.range()], "hi");
        assert_eq!(&text[b.span.range()], "<B> hi </B>");
        assert_eq!(&text[a.child("C").unwrap().span.range()], "<C/>");
        assert!(text[a.span.range()].ends_with("</A>"));
    }

    #[test]
    fn text_offsets_map_through_entities_and_cdata() {
        let text = "<C>\n  a &quot;b&#233;&quot; <![CDATA[&c]]> d\n</C>";
        let t = doc(text).unwrap().root.text().unwrap();
        assert_eq!(t.value, "a \"bé\" &c d");
        assert_eq!(
            &text[t.span.range()],
            "a &quot;b&#233;&quot; <![CDATA[&c]]> d"
        );
        let at = |from: &str| {
            let start = t.value.find(from).unwrap();
            &text[t.map.span(FileId(0), start..start + from.len()).range()]
        };
        assert_eq!(at("\"bé\""), "&quot;b&#233;&quot;");
        assert_eq!(at("&c"), "&c");
        assert_eq!(at("d"), "d");
    }

    #[test]
    fn cdata_is_text_and_doctype_inside_it_is_fine() {
        let d = doc("<P><![CDATA[<!DOCTYPE html><x>]]></P>").unwrap();
        assert_eq!(d.root.text().unwrap().value, "<!DOCTYPE html><x>");
    }

    #[test]
    fn malformed_inputs_are_errors_with_positions() {
        assert_eq!(err(""), ("empty file: no root element".into(), 0));
        assert_eq!(
            err("<A></A><B/>").0,
            "a second root element `<B>` (a file holds one root element)"
        );
        assert_eq!(err("<A></A><B/>").1, 7);
        assert!(err("<A><B></A>").0.contains("does not match"));
        assert_eq!(
            err("<A><B>"),
            ("`<B>` is never closed: the file ends first".into(), 4)
        );
        assert_eq!(
            err("<A>&nbsp;</A>"),
            ("undefined entity `&nbsp;`".into(), 3)
        );
        assert_eq!(err("<A x=1/>").0, "the value of `x` must be quoted");
        assert_eq!(err("<A x='1' x='2'/>").0, "attribute `x` appears twice");
        assert_eq!(err("junk<A/>").1, 0);
        assert!(err("<A><!-- a -- b --></A>").0.contains("--"));
    }

    #[test]
    fn the_xml_declaration_comes_first_or_not_at_all() {
        let decl = "<?xml version=\"1.0\"?>";
        assert!(doc(&format!("{decl}\n<!-- lic -->\n<A/>")).is_ok());
        assert!(doc("<!-- lic -->\n<?xml-stylesheet href=\"a.xsl\"?>\n<A/>").is_ok());
        let (message, at) = err(&format!("<!-- lic -->\n{decl}\n<A/>"));
        assert!(
            message.starts_with("the XML declaration comes after"),
            "{message}"
        );
        assert_eq!(at, "<!-- lic -->\n".len());
        let (message, at) = err(&format!("\n  {decl}<A/>"));
        assert!(
            message.starts_with("whitespace before the XML declaration"),
            "{message}"
        );
        assert_eq!(at, 3);
        assert_eq!(err(&format!("<A/>\n{decl}")).1, 5, "after the root too");
        assert!(err("<?XML version=\"1.0\"?><A/>")
            .0
            .contains("reserves the name"));
        assert!(err("<A/><?Xml x?>").0.contains("reserves the name"));
        let e = doc(&format!("<!-- lic -->{decl}<A/>")).unwrap_err();
        assert_eq!(e.span.range(), 12..17, "the span is `<?xml`");
    }

    #[test]
    fn entity_declarations_are_never_expanded() {
        let bomb = "<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><l>&b;</l>";
        assert_eq!(err(bomb).0, "undefined entity `&b;`");
    }

    #[test]
    fn attributes_are_capped() {
        let many: String = (0..=MAX_ATTRIBUTES).map(|i| format!(" a{i}='x'")).collect();
        assert!(err(&format!("<a{many}/>"))
            .0
            .contains("more than 256 attributes"));
    }

    #[test]
    fn depth_is_capped() {
        let deep = "<a>".repeat(MAX_DEPTH + 5);
        assert!(err(&deep).0.contains("nest deeper"));
    }
}
