//! The default command: lint, print, and choose the exit code.

use super::{CheckArgs, ColorChoice, EXIT_CLEAN, EXIT_FINDINGS};
use crate::diagnostic::Level;
use crate::parse::load::{load, Buffer};
use crate::report::{render, Format, Output, Summary};
use miette::{miette, IntoDiagnostic};
use std::io::{IsTerminal, Read, Write};
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
    let project = load(&paths, buffer);
    if project.bundles.is_empty() && project.problems.is_empty() {
        let paths: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
        return Err(miette!(
            help = "oauthlint looks for folders named `apiproxy` or `sharedflowbundle`; a zipped bundle is read when its path is given",
            "no Apigee bundle found under {}",
            paths.join(", ")
        ));
    }
    let diagnostics = crate::lint(&project);
    let summary = Summary::new(project.bundles.len(), project.files_read, &diagnostics);
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
