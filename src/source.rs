//! Source files of one run, and spans into them.
//!
//! Every finding points into a file through a [`Span`]; the [`SourceDb`] turns byte offsets into
//! 1-based lines and columns.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Where each byte of a text read from a file came from, when the two differ: XML entities
/// (`&quot;` is one byte of text, six of the file), CDATA markers and trimmed blanks. Offsets
/// found in the text (a condition's tokens) become file spans through [`TextMap::span`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextMap {
    /// In text order, back to back in the text; a stretch copied byte for byte has equal lengths.
    runs: Runs,
}

/// The runs of a map: most texts are one stretch of their file, kept without an allocation of
/// its own (the XML of a large project has hundreds of thousands of texts).
#[derive(Clone, Debug)]
enum Runs {
    One(Run),
    Many(Vec<Run>),
}

impl Default for Runs {
    fn default() -> Runs {
        Runs::Many(Vec::new())
    }
}

impl PartialEq for Runs {
    fn eq(&self, other: &Runs) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Runs {}

impl Runs {
    fn as_slice(&self) -> &[Run] {
        match self {
            Runs::One(run) => std::slice::from_ref(run),
            Runs::Many(runs) => runs,
        }
    }

    fn push(&mut self, run: Run) {
        match self {
            Runs::Many(runs) if runs.is_empty() => *self = Runs::One(run),
            Runs::Many(runs) => runs.push(run),
            Runs::One(first) => *self = Runs::Many(vec![*first, run]),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    text: u32,
    file: u32,
    text_len: u32,
    file_len: u32,
}

impl Run {
    fn is_copy(self) -> bool {
        self.text_len == self.file_len
    }
}

impl TextMap {
    /// Appends `text_len` bytes of text that come from `file_len` bytes at `file_start`.
    pub fn push(&mut self, file_start: usize, text_len: usize, file_len: usize) {
        if text_len == 0 && file_len == 0 {
            return;
        }
        let text = self
            .runs
            .as_slice()
            .last()
            .map_or(0, |r| r.text + r.text_len);
        self.runs.push(Run {
            text,
            file: file_start as u32,
            text_len: text_len as u32,
            file_len: file_len as u32,
        });
    }

    /// Appends all of `other` after this map's text.
    pub fn extend(&mut self, other: &TextMap) {
        for r in other.runs.as_slice() {
            self.push(r.file as usize, r.text_len as usize, r.file_len as usize);
        }
    }

    /// The map of the text's bytes `range`, which then start at offset 0.
    pub fn slice(&self, range: Range<usize>) -> TextMap {
        let mut out = TextMap::default();
        for r in self.runs.as_slice() {
            let (start, end) = (r.text as usize, (r.text + r.text_len) as usize);
            let (from, to) = (start.max(range.start), end.min(range.end));
            if from >= to {
                continue;
            }
            if r.is_copy() {
                out.push(r.file as usize + (from - start), to - from, to - from);
            } else {
                // An entity stands for one character, which trimming keeps or drops whole.
                out.push(r.file as usize, r.text_len as usize, r.file_len as usize);
            }
        }
        out
    }

    /// The file span of the text's bytes `range`; a range inside an entity covers all of it.
    pub fn span(&self, file: FileId, range: Range<usize>) -> Span {
        let start = self.file_offset(range.start, false);
        let end = self.file_offset(range.end, true).max(start);
        Span::new(file, start..end)
    }

    /// Where text offset `at` falls in the file. On a boundary between two runs, a start
    /// (`as_end` false) is placed at the later run and an end at the earlier one, so that a
    /// span never takes in a CDATA marker or a trimmed blank next to it.
    fn file_offset(&self, at: usize, as_end: bool) -> usize {
        let inside = |r: &&Run| {
            let (start, end) = (r.text as usize, (r.text + r.text_len) as usize);
            if as_end {
                start < at && at <= end
            } else {
                start <= at && at < end
            }
        };
        let runs = self.runs.as_slice();
        let run = runs
            .iter()
            .find(inside)
            .or(if as_end { runs.first() } else { runs.last() });
        let Some(r) = run else {
            return 0;
        };
        let (start, end) = (r.text as usize, (r.text + r.text_len) as usize);
        let at = at.clamp(start, end);
        if r.is_copy() {
            r.file as usize + (at - start)
        } else if as_end {
            (r.file + r.file_len) as usize
        } else {
            r.file as usize
        }
    }
}

/// 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

pub struct SourceFile {
    /// The path as reached from the path given on the command line.
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: String, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// The 0-based index of the line holding byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The bytes of line `index`, its line break included; `None` past the last line.
    pub fn line_range(&self, index: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Some(start..end)
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset);
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        Position {
            line: line + 1,
            column: self.text[start..offset].chars().count() + 1,
        }
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Default)]
pub struct SourceDb {
    /// The id of the first file: 0, or where this part of a run's files will sit once appended
    /// to the files before it ([`SourceDb::starting_at`]).
    first: u32,
    files: Vec<SourceFile>,
}

impl SourceDb {
    /// No file yet, the first one to have the id `first`: files read apart (on another thread)
    /// that will be appended to a database whose next id is `first`.
    pub fn starting_at(first: FileId) -> SourceDb {
        SourceDb {
            first: first.0,
            files: Vec::new(),
        }
    }

    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        self.last_id()
    }

    fn last_id(&self) -> FileId {
        FileId(self.first + self.files.len() as u32 - 1)
    }

    /// The id the next file added will have.
    pub fn next_id(&self) -> FileId {
        FileId(self.first + self.files.len() as u32)
    }

    /// Appends the files of `other`, which must start where these end.
    pub fn append(&mut self, other: SourceDb) {
        assert_eq!(
            other.first,
            self.next_id().0,
            "files read apart must be appended where their ids start"
        );
        self.files.extend(other.files);
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[(id.0 - self.first) as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    /// The file's name, its path's last part.
    pub fn file_name(&self, id: FileId) -> &str {
        let path = self.path(id);
        path.rsplit('/').next().unwrap_or(path)
    }

    /// Every file's path, in the order the files were added.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.path.as_str())
    }

    pub fn text(&self, span: Span) -> &str {
        let text = &self.get(span.file).text;
        text.get(span.range()).unwrap_or("")
    }

    pub fn start(&self, span: Span) -> Position {
        self.get(span.file).position(span.start as usize)
    }

    pub fn end(&self, span: Span) -> Position {
        self.get(span.file).position(span.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_map_crosses_entities_and_cdata() {
        // File: `<C> a &quot;b&quot;<![CDATA[&c]]></C>`; text after trimming: `a "b"&c`.
        let mut map = TextMap::default();
        map.push(3, 3, 3); // " a "
        map.push(6, 1, 6); // &quot;
        map.push(12, 1, 1); // b
        map.push(13, 1, 6); // &quot;
        map.push(28, 2, 2); // &c inside CDATA
        let map = map.slice(1..8);
        let span = |r| map.span(FileId(0), r).range();
        assert_eq!(span(0..1), 4..5, "a");
        assert_eq!(span(2..5), 6..19, "\"b\"");
        assert_eq!(span(3..4), 12..13, "b");
        assert_eq!(span(5..7), 28..30, "&c");
        assert_eq!(span(5..5), 28..28, "empty at the CDATA's start");
        assert_eq!(
            span(4..5),
            13..19,
            "an end before CDATA stays before its marker"
        );
        assert_eq!(span(7..7), 30..30, "the end");
        assert_eq!(span(0..7), 4..30);
    }

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let mut db = SourceDb::default();
        let id = db.add("a.xml".into(), "ab\r\nçd\nx".into());
        let pos = |o| db.get(id).position(o);
        assert_eq!(pos(0), Position { line: 1, column: 1 });
        assert_eq!(pos(4), Position { line: 2, column: 1 });
        assert_eq!(pos(6), Position { line: 2, column: 2 });
        assert_eq!(
            pos(5),
            Position { line: 2, column: 1 },
            "inside a char rounds down"
        );
        assert_eq!(pos(8), Position { line: 3, column: 1 });
        assert_eq!(pos(99), Position { line: 3, column: 2 });
    }
}
