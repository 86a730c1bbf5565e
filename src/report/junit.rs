//! `--format junit`: JUnit XML for Jenkins' and Azure Pipelines' test views.
//!
//! A testsuite per rule, every rule of the registry every run: a finding is a testcase named
//! `path:line:col` in class `oauthlint.<rule>`, and a rule without findings is one passing
//! testcase. An error or a warning is a failed testcase, since either can fail the build
//! (`--max-warnings`). An info finding never fails the build, so it is a passing testcase with the
//! finding in `<system-out>`: Jenkins, GitLab and Azure Pipelines count only `<failure>` and
//! `<error>` against a build, and Jenkins shows the output on the testcase's page. Not
//! `<skipped>`, which would say that a check did not run, and count in the skipped trend.
//!
//! Per rule rather than per file, because Jenkins splits a class name at its last dot
//! into package and class (`OA-Token.xml` would become class `xml`), while rule names hold no
//! dot; and because the same suites every run keep the per-test history and pass rates
//! comparable, and a clean run reports passed tests instead of an empty report, which Jenkins'
//! `junit` step rejects.

use super::escape::{xml_attr, xml_text};
use super::location::Location;
use super::{concise, details, Output};
use crate::diagnostic::{Diagnostic, Level};
use crate::rules::ALL;
use crate::source::SourceDb;
use std::io::{self, Write};

pub fn render(output: &Output, out: &mut dyn Write) -> io::Result<()> {
    let suites: Vec<(&str, Vec<&Diagnostic>)> = rule_names(output.diagnostics)
        .into_iter()
        .map(|rule| {
            let found = output.diagnostics.iter().filter(|d| d.rule == rule);
            (rule, found.collect())
        })
        .collect();
    let tests: usize = suites.iter().map(|(_, found)| found.len().max(1)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="oauthlint" tests="{tests}" failures="{}" errors="0">"#,
        failures(output.diagnostics.iter())
    )?;
    for (rule, found) in &suites {
        suite(output.sources, rule, found, out)?;
    }
    writeln!(out, "</testsuites>")
}

/// How many of `found` are failed testcases: those at a level that can fail the build.
fn failures<'a>(found: impl Iterator<Item = &'a Diagnostic>) -> usize {
    found.filter(|d| d.level != Level::Info).count()
}

/// The registry's rules in its order, then any other rule a finding names (none today).
fn rule_names(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    let mut names: Vec<&str> = ALL.iter().map(|r| r.meta().name).collect();
    for d in diagnostics {
        if !names.contains(&d.rule) {
            names.push(d.rule);
        }
    }
    names
}

fn suite(
    sources: &SourceDb,
    rule: &str,
    found: &[&Diagnostic],
    out: &mut dyn Write,
) -> io::Result<()> {
    let rule = xml_attr(rule);
    writeln!(
        out,
        r#"  <testsuite name="{rule}" tests="{}" failures="{}" errors="0" skipped="0">"#,
        found.len().max(1),
        failures(found.iter().copied())
    )?;
    if found.is_empty() {
        writeln!(
            out,
            r#"    <testcase classname="oauthlint.{rule}" name="no findings"/>"#
        )?;
    }
    for d in found {
        let name = Location::of(sources, &d.primary).to_string();
        writeln!(
            out,
            r#"    <testcase classname="oauthlint.{rule}" name="{}">"#,
            xml_attr(&name)
        )?;
        let mut body = vec![concise::line(sources, d)];
        body.extend(details(sources, d));
        let body = body.join("\n");
        let body = xml_text(&body);
        if d.level == Level::Info {
            writeln!(out, "      <system-out>{body}</system-out>")?;
        } else {
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{body}</failure>"#,
                d.level.as_str(),
                xml_attr(&d.message),
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")
}
