//! The default command: lint, print, and choose the exit code.

use super::stdout::stdout;
use super::{CheckArgs, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS};
use crate::diagnostic::Level;
use crate::parse::load::{load, Buffer};
use crate::report::{render, summary_line, Format, Output, Summary};
use crate::settings::{write_baseline, ConfigChoice, Options, Settings};
use miette::{miette, IntoDiagnostic};
use std::fs::{self, OpenOptions};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

pub fn run(args: &CheckArgs) -> miette::Result<u8> {
    let buffer = args.stdin_filename.as_deref().map(buffer).transpose()?;
    // An editor's working folder may be anywhere: with a buffer, only the PATHs given are walked.
    let paths = match (&args.paths[..], &buffer) {
        ([], None) => vec![PathBuf::from(".")],
        _ => args.paths.clone(),
    };
    for path in &paths {
        std::fs::metadata(path).map_err(|e| miette!("cannot read `{}`: {e}", path.display()))?;
    }
    let settings = Settings::new(&Options {
        paths: &paths,
        config: match (&args.config, args.no_config) {
            (Some(file), _) => ConfigChoice::File(file),
            (None, true) => ConfigChoice::Ignore,
            (None, false) => ConfigChoice::Discover,
        },
        select: args.select.as_deref(),
        ignore: &args.ignore,
        levels: &args.levels,
        preview: args.preview,
        profile: args.profile,
        baseline: args.baseline.as_deref(),
        threads: args.threads.map(|n| n.get()),
    })?;
    let project = load(
        &paths,
        buffer,
        &|path| settings.excluded(path),
        settings.threads(),
    );
    if project.bundles.is_empty() && project.problems.is_empty() && project.files_excluded == 0 {
        let paths: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
        return Err(miette!(
            help = "oauthlint looks for folders named `apiproxy` or `sharedflowbundle`; a zipped bundle is read when its path is given",
            "no Apigee bundle found under {}",
            paths.join(", ")
        ));
    }
    let report = crate::lint(&project, &settings);
    if let Some(file) = &args.write_baseline {
        let count = write_baseline(file, &project, &settings, &report.diagnostics)?;
        let findings = if count == 1 { "finding" } else { "findings" };
        writeln!(
            stdout(),
            "wrote {count} {findings} to the baseline `{}`",
            file.display()
        )
        .into_diagnostic()?;
        return Ok(EXIT_CLEAN);
    }
    let diagnostics = report.diagnostics;
    let summary = Summary {
        excluded: project.files_excluded,
        baseline: report.baseline,
        ..Summary::new(project.bundles.len(), project.files_read, &diagnostics)
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.format == Format::Human
                && args.output.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let output = Output {
        sources: &project.sources,
        outlines: &project.outlines,
        diagnostics: &diagnostics,
        summary,
    };
    let mut report = Vec::new();
    render(args.format, &output, color, &mut report).into_diagnostic()?;
    // The process ends soon: freeing every node of the model one by one would cost more
    // than linting a large bundle, and the system takes the memory back anyway.
    std::mem::forget(project);
    let mut out = stdout();
    match &args.output {
        Some(path) => {
            write_report(path, &report)
                .map_err(|e| miette!("cannot write `{}`: {e}", path.display()))?;
            writeln!(out, "{}", summary_line(&summary)).into_diagnostic()?;
        }
        None => {
            out.write_all(&report).into_diagnostic()?;
            // Keeps stdout parseable while the terminal or CI log still gets the counts.
            if args.format.is_machine_readable() {
                eprintln!("{}", summary_line(&summary));
            }
        }
    }
    out.flush().into_diagnostic()?;
    let too_many_warnings = args.max_warnings.filter(|&max| summary.warnings > max);
    if let Some(max) = too_many_warnings {
        // The only failure no finding shows, so it is said; on stderr, where it cannot break a
        // machine-readable report.
        let warnings = match summary.warnings {
            1 => "1 warning exceeds".to_owned(),
            n => format!("{n} warnings exceed"),
        };
        eprintln!("error: {warnings} --max-warnings {max}");
    }
    let failed = diagnostics.iter().any(|d| d.level == Level::Error) || too_many_warnings.is_some();
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Standard input, as the content of the bundle file at `path`.
fn buffer(path: &Path) -> miette::Result<Buffer> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| miette!("cannot read standard input: {e}"))?;
    Buffer::new(path.to_path_buf(), bytes).ok_or_else(|| {
        miette!(
            help = "give the path of a file inside an `apiproxy` or `sharedflowbundle` folder",
            "--stdin-filename `{}` is not in a bundle",
            path.display()
        )
    })
}

/// Writes the report to `path`, or to the file a symbolic link there names (the link stays). A
/// device, pipe or socket (`/dev/null`, `/dev/stdout`, a named pipe) is written in place:
/// renaming a file over it would replace it, `/dev/null` included.
fn write_report(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(meta) = fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            return OpenOptions::new().write(true).open(path)?.write_all(bytes);
        }
    }
    let mut target = path.to_path_buf();
    // Links to links are followed as the system does, up to its own limit.
    for _ in 0..40 {
        let Ok(next) = fs::read_link(&target) else {
            break;
        };
        target = target.parent().unwrap_or(Path::new("")).join(next);
    }
    write_atomically(&target, bytes)
}

/// Writes a temporary file beside `path`, then renames it over `path`: a reader never sees half a
/// report, and a failed write leaves the previous report in place.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.is_dir() {
        return Err(io::Error::other(
            "it is a folder, and --output takes a file",
        ));
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file name"))?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let temp = folder.unwrap_or(Path::new(".")).join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    let renamed = written.and_then(|()| fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed
}
