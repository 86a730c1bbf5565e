//! Reading bundles into a [`Project`], from disk or from memory.

use super::discover::{bundle_kind, discover, Discovery};
use crate::model::{
    build_bundle, is_model_file, BundleFile, BundleKind, LoadProblem, ProblemKind, Project,
};
use crate::source::Span;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Discovers and loads every bundle below `roots`, leaving out the files whose shown path
/// `excluded` matches (and a bundle all of whose files it matches). Unreadable files become
/// problems of the project, never errors of the run.
pub fn load_paths(roots: &[PathBuf], excluded: &dyn Fn(&str) -> bool) -> Project {
    let Discovery { bundles, problems } = discover(roots);
    let mut project = Project::default();
    for problem in problems {
        if excluded(&problem.display) {
            project.files_excluded += 1;
            continue;
        }
        unreadable(&mut project, problem.display, problem.message);
    }
    for found in bundles {
        let (skipped, files): (Vec<_>, Vec<_>) = found
            .files
            .into_iter()
            .filter(|f| is_model_file(&f.relative))
            .partition(|f| excluded(&f.display));
        project.files_excluded += skipped.len();
        if files.is_empty() && !skipped.is_empty() {
            continue;
        }
        let contents = files
            .into_iter()
            .map(|f| {
                let bytes =
                    std::fs::read(&f.path).map_err(|e| format!("cannot read the file: {e}"));
                (f.display, f.relative, bytes)
            })
            .collect();
        add_bundle(
            &mut project,
            found.kind,
            found.display,
            found.fallback_name,
            contents,
        );
    }
    project
}

/// A file given in memory: its path and its bytes, or why they could not be had.
pub type MemoryFile = (String, Result<Vec<u8>, String>);

/// Loads bundles from files given in memory (tests, editor buffers): each path is grouped under
/// its outermost `apiproxy/` or `sharedflowbundle/` folder; other paths are not bundle files.
pub fn load_memory(files: Vec<MemoryFile>) -> Project {
    type Group = (
        BundleKind,
        String,
        Vec<(String, String, Result<Vec<u8>, String>)>,
    );
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (path, bytes) in files {
        let parts: Vec<&str> = path.split('/').collect();
        let Some(at) = parts[..parts.len() - 1]
            .iter()
            .position(|p| bundle_kind(p).is_some())
        else {
            continue;
        };
        let dir = parts[..=at].join("/");
        let relative = parts[at + 1..].join("/");
        let fallback = if at > 0 { parts[at - 1] } else { parts[at] }.to_owned();
        let kind = bundle_kind(parts[at]).unwrap_or(BundleKind::ApiProxy);
        let group = groups
            .entry(dir)
            .or_insert_with(|| (kind, fallback, Vec::new()));
        if is_model_file(&relative) {
            group.2.push((path, relative, bytes));
        }
    }
    let mut project = Project::default();
    for (dir, (kind, fallback, contents)) in groups {
        add_bundle(&mut project, kind, dir, fallback, contents);
    }
    project
}

fn add_bundle(
    project: &mut Project,
    kind: BundleKind,
    dir: String,
    fallback_name: String,
    contents: Vec<(String, String, Result<Vec<u8>, String>)>,
) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for (path, relative, bytes) in contents {
        match bytes {
            Ok(bytes) => files.push(BundleFile {
                path,
                relative,
                bytes,
            }),
            Err(message) => {
                unreadable(project, path, message);
                failed.push(relative);
            }
        }
    }
    let mut bundle = build_bundle(kind, dir, fallback_name, files, project);
    bundle.failed_files.extend(failed);
    project.bundles.push(bundle);
}

fn unreadable(project: &mut Project, path: String, message: String) {
    let id = project.sources.add(path, String::new());
    project.problems.push(LoadProblem {
        kind: ProblemKind::Unreadable,
        message,
        span: Span::new(id, 0..0),
    });
}
