//! The default command: lint, print, and choose the exit code.

use super::{CheckArgs, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS};
use crate::diagnostic::Level;
use crate::parse::load::load_paths;
use crate::report::{render, Format, Output, Summary};
use crate::settings::{write_baseline, ConfigChoice, Options, Settings};
use miette::{miette, IntoDiagnostic};
use std::io::{IsTerminal, Write};

pub fn run(args: &CheckArgs) -> miette::Result<u8> {
    for path in &args.paths {
        std::fs::metadata(path).map_err(|e| miette!("cannot read `{}`: {e}", path.display()))?;
    }
    let settings = Settings::new(&Options {
        paths: &args.paths,
        config: match (&args.config, args.no_config) {
            (Some(file), _) => ConfigChoice::File(file),
            (None, true) => ConfigChoice::Ignore,
            (None, false) => ConfigChoice::Discover,
        },
        select: args.select.as_deref(),
        ignore: &args.ignore,
        levels: &args.levels,
        baseline: args.baseline.as_deref(),
    })?;
    let project = load_paths(&args.paths, &|path| settings.excluded(path));
    if project.bundles.is_empty() && project.problems.is_empty() && project.files_excluded == 0 {
        let paths: Vec<String> = args
            .paths
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        return Err(miette!(
            help = "oauthlint looks for folders named `apiproxy` or `sharedflowbundle`",
            "no Apigee bundle found under {}",
            paths.join(", ")
        ));
    }
    let report = crate::lint(&project, &settings);
    if let Some(file) = &args.write_baseline {
        let count = write_baseline(file, &project, &settings, &report.diagnostics)?;
        let findings = if count == 1 { "finding" } else { "findings" };
        println!(
            "wrote {count} {findings} to the baseline `{}`",
            file.display()
        );
        return Ok(EXIT_CLEAN);
    }
    let diagnostics = report.diagnostics;
    let summary = Summary {
        excluded: project.files_excluded,
        baseline: report.baseline,
        ..Summary::new(project.bundles.len(), project.files_read, &diagnostics)
    };
    let stdout = std::io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.format == Format::Human
                && stdout.is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let output = Output {
        sources: &project.sources,
        diagnostics: &diagnostics,
        summary,
    };
    let mut out = stdout.lock();
    render(args.format, &output, color, &mut out).into_diagnostic()?;
    out.flush().into_diagnostic()?;
    let too_many_warnings = args.max_warnings.is_some_and(|max| summary.warnings > max);
    let failed = diagnostics.iter().any(|d| d.level == Level::Error) || too_many_warnings;
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}
