//! Findings with the source lines that prove them (codespan-reporting), then a one-line summary.

use super::escape::one_line;
use super::excerpt::Excerpts;
use super::{Output, Summary};
use crate::diagnostic::{Diagnostic, Level};
use crate::filter::BaselineCounts;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label, LabelStyle, Severity};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};
use std::io::{self, Write};
use std::ops::Range;

pub fn render(output: &Output, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let config = Config::default();
    for diagnostic in output.diagnostics {
        let (excerpts, ranges) = Excerpts::of(output.sources, diagnostic);
        let report = convert(diagnostic, &ranges);
        header(
            &mut *colored(&mut *out, color),
            &config,
            diagnostic,
            &report,
        )?;
        let mut emitted = Vec::new();
        term::emit(
            &mut *colored(&mut emitted, color),
            &config,
            &excerpts,
            &report,
        )
        .map_err(|e| io::Error::other(e.to_string()))?;
        // codespan-reporting names the info level `note`: its header line gives way to ours. The
        // header is one line, since the message is.
        let body = emitted
            .iter()
            .position(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        out.write_all(&emitted[body..])?;
    }
    writeln!(out, "{}", summary_line(&output.summary))?;
    if let Some(baseline) = output.summary.baseline {
        writeln!(out, "{}", baseline_line(baseline))?;
    }
    Ok(())
}

fn colored<'a>(out: &'a mut dyn Write, color: bool) -> Box<dyn WriteColor + 'a> {
    if color {
        Box::new(Ansi::new(out))
    } else {
        Box::new(NoColor::new(out))
    }
}

/// `info[rule]: message`, in codespan-reporting's colours, with the level named as in every
/// other format.
fn header(
    out: &mut dyn WriteColor,
    config: &Config,
    diagnostic: &Diagnostic,
    report: &Report<crate::source::FileId>,
) -> io::Result<()> {
    out.set_color(config.styles.header(report.severity))?;
    write!(out, "{}[{}]", diagnostic.level.as_str(), diagnostic.rule)?;
    out.set_color(&config.styles.header_message)?;
    write!(out, ": {}", report.message)?;
    out.reset()?;
    writeln!(out)
}

/// The finding for codespan-reporting, with its labels at `ranges` of the [`Excerpts`].
fn convert(diagnostic: &Diagnostic, ranges: &[Range<usize>]) -> Report<crate::source::FileId> {
    let severity = match diagnostic.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Note,
    };
    let styled = std::iter::once((&diagnostic.primary, LabelStyle::Primary)).chain(
        diagnostic
            .secondary
            .iter()
            .map(|l| (l, LabelStyle::Secondary)),
    );
    let labels = styled
        .zip(ranges)
        .map(|((l, style), range)| {
            Label::new(style, l.span.file, range.clone()).with_message(one_line(&l.message))
        })
        .collect();
    // A CR or BEL in a message would garble the terminal: control characters are escaped.
    Report::new(severity)
        .with_code(diagnostic.rule)
        .with_message(one_line(&diagnostic.message))
        .with_labels(labels)
        .with_notes(
            diagnostic
                .help
                .iter()
                .map(|h| format!("help: {}", one_line(h)))
                .collect(),
        )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn summary_line(summary: &Summary) -> String {
    let mut files = plural(summary.files, "file");
    if summary.excluded > 0 {
        files.push_str(&format!(", {} excluded", summary.excluded));
    }
    let scope = format!("{} ({files})", plural(summary.bundles, "bundle"));
    let total = summary.errors + summary.warnings + summary.infos;
    if total == 0 {
        return format!("no problems found in {scope}");
    }
    let parts: Vec<String> = [
        (summary.errors, "error"),
        (summary.warnings, "warning"),
        (summary.infos, "info"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, word)| plural(n, word))
    .collect();
    format!(
        "{} ({}) in {scope}",
        plural(total, "problem"),
        parts.join(", ")
    )
}

fn baseline_line(baseline: BaselineCounts) -> String {
    let known = format!(
        "baseline: {} known, not shown",
        plural(baseline.matched, "finding")
    );
    match baseline.gone {
        0 => known,
        1 => format!("{known}; 1 no longer occurs: if it was fixed, write the baseline again with --write-baseline"),
        gone => format!("{known}; {gone} no longer occur: if they were fixed, write the baseline again with --write-baseline"),
    }
}
