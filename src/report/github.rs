//! `--format github`: one GitHub Actions workflow command a finding, which the runner turns into
//! an annotation on the pull request's diff:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.

use super::escape::{github_data, github_property, one_line};
use super::location::Location;
use super::{details, Output};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::SourceDb;
use std::io::{self, Write};

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    for d in output.diagnostics {
        writeln!(out, "{}", command(output.sources, d))?;
    }
    Ok(())
}

fn command(sources: &SourceDb, d: &Diagnostic) -> String {
    let command = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    };
    let at = Location::of(sources, &d.primary);
    let mut properties = vec![
        format!("file={}", github_property(at.file)),
        format!("line={}", at.line),
    ];
    // GitHub ignores columns on an annotation that spans lines, or misplaces it.
    let columns = !at.is_multiline();
    if columns {
        properties.push(format!("col={}", at.column));
    }
    properties.push(format!("endLine={}", at.end_line));
    if columns {
        properties.push(format!("endColumn={}", at.end_column));
    }
    properties.push(format!(
        "title={}",
        github_property(&format!("oauthlint ({})", d.rule))
    ));
    // One line each for the message, the labels and the help: the annotation's own line breaks.
    let mut message = vec![one_line(&d.message).into_owned()];
    message.extend(details(sources, d));
    format!(
        "::{command} {}::{}",
        properties.join(","),
        github_data(&message.join("\n"))
    )
}
