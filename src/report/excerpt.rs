//! The source lines the human format shows, as codespan-reporting reads them. A line longer than
//! [`WIDTH`] characters (a minified file, or a binary one read as text, can be one line of
//! megabytes) is cut to a window around the labels on it, with `…` where it was cut, as rustc
//! does; the labels' ranges are moved into the window, so codespan-reporting draws them under the
//! cut line as under any other.

use crate::diagnostic::{Diagnostic, Label};
use crate::source::{FileId, SourceDb, SourceFile};
use codespan_reporting::files::{Error, Files};
use std::collections::BTreeMap;
use std::ops::Range;

/// The most characters a line shows, `…` marks included: rustc's default width.
const WIDTH: usize = 140;
/// Characters shown before a span too long for the window, which shows the span's start.
const LEAD: usize = 20;
const MARK: &str = "…";

/// The lines one finding shows, in each file it points into.
pub struct Excerpts<'a> {
    sources: &'a SourceDb,
    files: Vec<Excerpt>,
}

/// The lines of one file a finding shows, back to back in `text`; they keep their line indexes,
/// so codespan-reporting still sees which lines are consecutive.
struct Excerpt {
    file: FileId,
    text: String,
    lines: Vec<Shown>,
}

/// One line of an excerpt.
struct Shown {
    /// The line's 0-based index in its file.
    index: usize,
    /// Where the line is in the excerpt's text.
    range: Range<usize>,
    /// The bytes of the file shown: the whole line, or the window of a cut one.
    shown: Range<usize>,
    /// Whether a `…` stands before, and after, the window.
    cut_start: bool,
    cut_end: bool,
}

/// A place a label marks on a line, around which the line's window is placed when it is cut.
struct Mark {
    /// Bytes of the file.
    range: Range<usize>,
    /// The characters that follow the mark: codespan-reporting writes a label's message after
    /// its carets.
    message: usize,
    primary: bool,
}

impl<'a> Excerpts<'a> {
    /// The lines `diagnostic` shows, and the ranges of its labels in them: the primary label's,
    /// then the secondary ones' in order.
    pub fn of(sources: &'a SourceDb, diagnostic: &Diagnostic) -> (Excerpts<'a>, Vec<Range<usize>>) {
        let labels: Vec<&Label> = std::iter::once(&diagnostic.primary)
            .chain(&diagnostic.secondary)
            .collect();
        let mut lines: BTreeMap<FileId, BTreeMap<usize, Vec<Mark>>> = BTreeMap::new();
        for (i, label) in labels.iter().enumerate() {
            let file = sources.get(label.span.file);
            let lines = lines.entry(label.span.file).or_default();
            let range = label.span.range();
            let (first, last) = (file.line_index(range.start), file.line_index(range.end));
            let primary = i == 0;
            let message = label.message.chars().count() + 1;
            let mark = |range: Range<usize>, message| Mark {
                range,
                message,
                primary,
            };
            if first == last {
                lines.entry(first).or_default().push(mark(range, message));
            } else {
                // A label over several lines is marked where it starts and where it ends.
                let (start, end) = (range.start, range.end);
                lines.entry(first).or_default().push(mark(start..start, 0));
                lines.entry(last).or_default().push(mark(end..end, message));
            }
            // Every line a label covers may be shown, and the one after it when it is all that
            // separates two shown lines.
            for index in first..=last + 1 {
                if file.line_range(index).is_some() {
                    lines.entry(index).or_default();
                }
            }
        }
        let files: Vec<Excerpt> = lines
            .into_iter()
            .map(|(file, lines)| Excerpt::new(file, sources.get(file), lines))
            .collect();
        let ranges = labels
            .iter()
            .map(|label| {
                let excerpt = files.iter().find(|e| e.file == label.span.file);
                let file = sources.get(label.span.file);
                let at = |offset: usize, end| {
                    excerpt
                        .and_then(|e| e.line(file.line_index(offset)))
                        .map_or(0, |line| line.map(offset, end))
                };
                at(label.span.start as usize, false)..at(label.span.end as usize, true)
            })
            .collect();
        (Excerpts { sources, files }, ranges)
    }

    fn excerpt(&self, id: FileId) -> Result<&Excerpt, Error> {
        self.files
            .iter()
            .find(|e| e.file == id)
            .ok_or(Error::FileMissing)
    }

    fn line(&self, id: FileId, index: usize) -> Result<&Shown, Error> {
        let excerpt = self.excerpt(id)?;
        excerpt.line(index).ok_or(Error::LineTooLarge {
            given: index,
            max: excerpt.lines.last().map_or(0, |l| l.index),
        })
    }
}

impl Excerpt {
    fn new(file: FileId, source: &SourceFile, lines: BTreeMap<usize, Vec<Mark>>) -> Excerpt {
        let mut text = String::new();
        let mut shown_lines = Vec::new();
        for (index, marks) in lines {
            let Some(line) = source.line_range(index) else {
                continue;
            };
            let whole = &source.text[line.clone()];
            let content = whole.trim_end_matches('\n').trim_end_matches('\r');
            let start = text.len();
            let shown = match window(content, line.start, &marks) {
                None => {
                    text.push_str(whole);
                    Shown {
                        index,
                        range: start..text.len(),
                        shown: line,
                        cut_start: false,
                        cut_end: false,
                    }
                }
                Some(window) => {
                    let (cut_start, cut_end) = (window.start > 0, window.end < content.len());
                    if cut_start {
                        text.push_str(MARK);
                    }
                    text.push_str(&content[window.clone()]);
                    if cut_end {
                        text.push_str(MARK);
                    }
                    text.push_str(&whole[content.len()..]);
                    Shown {
                        index,
                        range: start..text.len(),
                        shown: line.start + window.start..line.start + window.end,
                        cut_start,
                        cut_end,
                    }
                }
            };
            shown_lines.push(shown);
        }
        Excerpt {
            file,
            text,
            lines: shown_lines,
        }
    }

    fn line(&self, index: usize) -> Option<&Shown> {
        let at = self.lines.binary_search_by_key(&index, |l| l.index).ok()?;
        Some(&self.lines[at])
    }
}

impl Shown {
    fn lead(&self) -> usize {
        if self.cut_start {
            MARK.len()
        } else {
            0
        }
    }

    /// Where byte `offset` of the file, on this line, is in the excerpt, as the start or the
    /// `end` of a range: a place cut away is on the `…` that stands for it, so a label there
    /// marks the `…`.
    fn map(&self, offset: usize, end: bool) -> usize {
        let kept = self.range.start + self.lead();
        let cut = |mark: usize| if end { mark + MARK.len() } else { mark };
        if offset < self.shown.start {
            cut(self.range.start)
        } else if offset > self.shown.end && self.cut_end {
            cut(kept + self.shown.len())
        } else {
            kept + (offset - self.shown.start)
        }
    }

    /// The byte of the file at `offset` of the excerpt, on this line: the inverse of [`Self::map`]
    /// for the places it keeps.
    fn unmap(&self, offset: usize) -> usize {
        let into = offset.saturating_sub(self.range.start + self.lead());
        let into = if self.cut_end {
            into.min(self.shown.len())
        } else {
            into
        };
        self.shown.start + into
    }
}

/// The bytes of `content`, a line without its line break that starts at byte `start` of its file,
/// that the line shows when it is too long to show whole: [`WIDTH`] characters with the `…`
/// marks. As rustc does, the window starts at the line's start when the marks fit there; else it
/// is centred on the marks if they fit, else on the primary label's, else it shows where they
/// start.
fn window(content: &str, start: usize, marks: &[Mark]) -> Option<Range<usize>> {
    // Bytes are at least as many as characters: most lines are known to fit without counting.
    if content.len() <= WIDTH {
        return None;
    }
    let chars = content.chars().count();
    if chars <= WIDTH {
        return None;
    }
    let column = |offset: usize| {
        let offset = offset.saturating_sub(start);
        content
            .char_indices()
            .take_while(|&(i, _)| i < offset)
            .count()
    };
    let extent = |primary_only: bool| {
        marks
            .iter()
            .filter(|m| m.primary || !primary_only)
            .map(|m| column(m.range.start)..column(m.range.end) + m.message)
            .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
    };
    // Room between the two marks.
    let room = WIDTH - 2;
    let target = match extent(false) {
        Some(all) if all.len() <= room => Some(all),
        all => extent(true).or(all),
    };
    let first = match target {
        Some(t) if t.end >= WIDTH && t.len() <= room => {
            t.start.saturating_sub((room - t.len()) / 2)
        }
        Some(t) if t.end >= WIDTH => t.start.saturating_sub(LEAD),
        _ => 0,
    };
    let shown = if first == 0 {
        0..WIDTH - 1
    } else if first + room >= chars {
        chars - (WIDTH - 1)..chars
    } else {
        first..first + room
    };
    let byte = |column: usize| {
        content
            .char_indices()
            .nth(column)
            .map_or(content.len(), |(i, _)| i)
    };
    Some(byte(shown.start)..byte(shown.end))
}

impl<'a> Files<'a> for Excerpts<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, Error> {
        Ok(self.sources.path(id))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, Error> {
        Ok(&self.excerpt(id)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, Error> {
        let lines = &self.excerpt(id)?.lines;
        let at = lines
            .partition_point(|l| l.range.start <= byte_index)
            .saturating_sub(1);
        lines.get(at).map(|l| l.index).ok_or(Error::FileMissing)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.line(id, line_index)?.range.clone())
    }

    /// The column in the file, not in the cut line: the header's `path:line:column` is the
    /// file's.
    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let line = self.line(id, line_index)?;
        Ok(self.sources.get(id).position(line.unmap(byte_index)).column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(content: &str, range: Range<usize>, primary: bool) -> Option<Range<usize>> {
        let marks = [Mark {
            range,
            message: 0,
            primary,
        }];
        window(content, 0, &marks)
    }

    #[test]
    fn windows_keep_the_line_start_centre_the_labels_or_show_a_long_span_start() {
        let line = "a".repeat(1000);
        assert_eq!(shown(&line[..WIDTH], 10..12, true), None, "fits whole");
        assert_eq!(shown(&line, 10..12, true), Some(0..WIDTH - 1));
        let room = WIDTH - 2;
        assert_eq!(
            shown(&line, 500..502, true),
            Some(500 - (room - 2) / 2..500 - (room - 2) / 2 + room)
        );
        assert_eq!(shown(&line, 990..995, true), Some(1000 - (WIDTH - 1)..1000));
        assert_eq!(
            shown(&line, 300..900, true),
            Some(300 - LEAD..300 - LEAD + room)
        );
    }

    #[test]
    fn windows_cut_between_characters() {
        let line = "€".repeat(1000);
        let window = shown(&line, 1500..1503, false).unwrap();
        assert!(line.is_char_boundary(window.start) && line.is_char_boundary(window.end));
        assert_eq!(line[window].chars().count(), WIDTH - 2);
    }
}
