//! Finding bundles below the paths given on the command line.
//!
//! A bundle is a folder named `apiproxy` or `sharedflowbundle` (the outermost one: an `apiproxy/`
//! template inside another bundle's resources is that bundle's resource). Hidden files and
//! folders outside bundle folders, `node_modules` and what `.gitignore`/`.ignore` files exclude
//! are skipped, so a `target/` copy made by a Maven build is not linted twice when the repository
//! ignores it. Inside a bundle folder, hidden files and folders are walked (they are zipped and
//! deployed with the bundle, and `unexpected-bundle-file` reports them), but never `.git`.
//!
//! A `.zip` met on the walk is not read: a repository that keeps exported archives beside the
//! bundle folders they came from would get every finding twice, and an archive is usually a build
//! output or a download rather than the source under review. A zipped bundle is linted when its
//! path is given (see `load`).

use crate::model::BundleKind;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct FoundBundle {
    pub kind: BundleKind,
    /// Path of the bundle folder as shown in findings.
    pub display: String,
    /// The folder that holds the bundle folder, used as a name when there is no descriptor.
    pub fallback_name: String,
    pub files: Vec<FoundFile>,
}

impl FoundBundle {
    pub fn new(kind: BundleKind, dir: &Path) -> FoundBundle {
        FoundBundle {
            kind,
            display: display_path(dir),
            fallback_name: fallback_name(&dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())),
            files: Vec::new(),
        }
    }
}

pub struct FoundFile {
    pub path: PathBuf,
    pub display: String,
    /// Path inside the bundle folder, `/`-separated.
    pub relative: String,
}

/// Something the walk could not enter or read: reported, never dropped.
pub struct WalkProblem {
    pub display: String,
    pub message: String,
}

pub struct Discovery {
    pub bundles: Vec<FoundBundle>,
    pub problems: Vec<WalkProblem>,
}

pub fn bundle_kind(name: &str) -> Option<BundleKind> {
    match name {
        "apiproxy" => Some(BundleKind::ApiProxy),
        "sharedflowbundle" => Some(BundleKind::SharedFlow),
        _ => None,
    }
}

/// Shows a path with `/` separators and without a leading `./`.
pub fn display_path(path: &Path) -> String {
    display_text(&path.to_string_lossy())
}

/// [`display_path`] of a path already made text.
fn display_text(text: &str) -> String {
    let mut text = text.replace('\\', "/");
    if text.len() > 2 && text.starts_with("./") {
        text.drain(..2);
    }
    text
}

/// A bundle folder the walk is in: entries come depth first, so the walk has left it at the
/// first entry no deeper than it.
struct Visit {
    dir: PathBuf,
    /// `dir` as text: every path below it starts with it.
    text: String,
    kind: BundleKind,
    /// `None` for the root itself, which the walk never leaves.
    depth: Option<usize>,
    /// Its bundle, once a file of it was found, and how many files an earlier walk of the same
    /// folder (from another root) had found: only those can be found again.
    bundle: Option<(usize, usize)>,
}

pub fn discover(roots: &[PathBuf]) -> Discovery {
    // Keyed by the bundle folder's canonical path so overlapping roots do not lint a bundle twice.
    let mut keys: Vec<PathBuf> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let mut bundles: Vec<FoundBundle> = Vec::new();
    let mut problems = Vec::new();
    for root in roots {
        let root_kind = root_kind(root);
        let (walked_root, in_bundle) = (root.clone(), root_kind.is_some());
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(false)
            .require_git(false)
            .ignore(true)
            .parents(true)
            .follow_links(false)
            // By name: entries of one folder share its path as text, so comparing their paths
            // compares their names, without taking each path apart for its name at every step.
            .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
            .filter_entry(move |entry| walked(entry, &walked_root, in_bundle))
            .build();
        let mut visit = root_kind.map(|kind| Visit {
            dir: root.clone(),
            text: root.to_string_lossy().into_owned(),
            kind,
            depth: None,
            bundle: None,
        });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    problems.push(walk_problem(&error));
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            let depth = entry.depth();
            if visit
                .as_ref()
                .is_some_and(|v| v.depth.is_some_and(|d| depth <= d))
            {
                visit = None;
            }
            if file_type.is_dir() {
                // The outermost bundle folder below the root holds the files below it.
                if visit.is_none() && depth > 0 {
                    let kind = entry.file_name().to_str().and_then(bundle_kind);
                    visit = kind.map(|kind| Visit {
                        dir: entry.path().to_path_buf(),
                        text: entry.path().to_string_lossy().into_owned(),
                        kind,
                        depth: Some(depth),
                        bundle: None,
                    });
                }
                continue;
            }
            let Some(visit) = visit.as_mut() else {
                continue;
            };
            let path = entry.path();
            // A FIFO or device would block or never end a read: report it, never open it.
            if !file_type.is_file() && !file_type.is_symlink() {
                problems.push(WalkProblem {
                    display: display_path(path),
                    message: "not a regular file (a FIFO, socket or device): not read".into(),
                });
                continue;
            }
            if file_type.is_symlink() {
                match symlink_verdict(root, path) {
                    Link::Follow => {}
                    Link::Skip => continue,
                    Link::Refuse(message) => {
                        problems.push(WalkProblem {
                            display: display_path(path),
                            message,
                        });
                        continue;
                    }
                }
            }
            let (at, before) = *visit.bundle.get_or_insert_with(|| {
                let key = std::fs::canonicalize(&visit.dir).unwrap_or_else(|_| visit.dir.clone());
                match index.get(&key) {
                    Some(&at) => (at, bundles[at].files.len()),
                    None => {
                        index.insert(key.clone(), bundles.len());
                        bundles.push(FoundBundle {
                            kind: visit.kind,
                            display: display_path(&visit.dir),
                            fallback_name: fallback_name(&key),
                            files: Vec::new(),
                        });
                        keys.push(key);
                        (bundles.len() - 1, 0)
                    }
                }
            });
            // Every path below the bundle folder starts with its text, then a separator.
            let text = path.to_string_lossy();
            let inside = text
                .get(visit.text.len()..)
                .unwrap_or_default()
                .trim_start_matches(std::path::is_separator);
            let relative = display_text(inside);
            let files = &mut bundles[at].files;
            if files[..before].iter().any(|f| f.relative == relative) {
                continue;
            }
            files.push(FoundFile {
                path: path.to_path_buf(),
                display: display_text(&text),
                relative,
            });
        }
    }
    // In the order of their shown paths, and of their folders' canonical paths for equal ones.
    let mut order: Vec<usize> = (0..bundles.len()).collect();
    order.sort_by(|&a, &b| (&bundles[a].display, &keys[a]).cmp(&(&bundles[b].display, &keys[b])));
    let mut slots: Vec<Option<FoundBundle>> = bundles.into_iter().map(Some).collect();
    let bundles = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Discovery { bundles, problems }
}

/// Whether the walk enters `entry`: never `node_modules` nor `.git`, and a hidden file or folder
/// only inside a bundle folder (`root` itself, when `in_bundle`, or a folder below it).
fn walked(entry: &ignore::DirEntry, root: &Path, in_bundle: bool) -> bool {
    let name = match entry.depth() {
        0 => entry.file_name().as_encoded_bytes(),
        // Below the root, a path is its folder's joined with its name: the name is what follows
        // the last separator (found without taking the whole path apart).
        _ => {
            let path = entry.path().as_os_str().as_encoded_bytes();
            let start = path
                .iter()
                .rposition(|&b| std::path::is_separator(b.into()));
            &path[start.map_or(0, |i| i + 1)..]
        }
    };
    if name == b"node_modules" || name == b".git" {
        return false;
    }
    if entry.depth() == 0 || !name.starts_with(b".") {
        return true;
    }
    in_bundle
        || entry.path().strip_prefix(root).is_ok_and(|inside| {
            let mut parents = inside.components();
            parents.next_back();
            parents.any(|c| bundle_kind(&c.as_os_str().to_string_lossy()).is_some())
        })
}

enum Link {
    /// A link to a file inside the linted tree: read it.
    Follow,
    /// A link to a folder inside the tree: its files are reached by their own path.
    Skip,
    Refuse(String),
}

/// Symbolic links are never followed out of the linted tree, and a broken one is reported.
fn symlink_verdict(root: &Path, link: &Path) -> Link {
    let target = match std::fs::canonicalize(link) {
        Ok(target) => target,
        Err(error) => {
            return Link::Refuse(format!(
                "broken symbolic link: {}",
                super::read_errors::io_words(&error)
            ))
        }
    };
    let inside = std::fs::canonicalize(root).is_ok_and(|root| target.starts_with(root));
    match (inside, target.is_dir(), target.is_file()) {
        (true, true, _) => Link::Skip,
        (true, false, true) => Link::Follow,
        (true, false, false) => {
            Link::Refuse("symbolic link to a FIFO, socket or device: not read".into())
        }
        (false, _, _) => Link::Refuse(format!(
            "symbolic link to `{}`, outside the linted tree: not followed",
            display_path(&target)
        )),
    }
}

/// The kind of bundle `root` itself is, if it is a bundle folder (`.` may be one).
fn root_kind(root: &Path) -> Option<BundleKind> {
    let name = root
        .canonicalize()
        .ok()?
        .file_name()?
        .to_string_lossy()
        .into_owned();
    bundle_kind(&name)
}

/// The outermost bundle folder holding `path`, starting at `root` itself.
fn enclosing_bundle(
    root: &Path,
    root_kind: Option<BundleKind>,
    path: &Path,
) -> Option<(PathBuf, BundleKind)> {
    if let Some(kind) = root_kind {
        return Some((root.to_path_buf(), kind));
    }
    let relative = path.strip_prefix(root).ok()?;
    let mut dir = root.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        components.peek()?; // the last component is the file itself
        dir.push(component);
        if let Some(kind) = bundle_kind(&component.as_os_str().to_string_lossy()) {
            return Some((dir, kind));
        }
    }
    None
}

/// The outermost bundle folder holding `file` (which need not exist), and the file's path inside
/// it: found on the path as written, else on its absolute form (an editor may name a file
/// relative to the folder it sits in).
pub fn bundle_holding(file: &Path) -> Option<(PathBuf, BundleKind, String)> {
    let split = |file: &Path| {
        let (dir, kind) = enclosing_bundle(Path::new(""), None, file)?;
        let relative = display_path(file.strip_prefix(&dir).ok()?);
        Some((dir, kind, relative))
    };
    split(file).or_else(|| split(&std::path::absolute(file).ok()?))
}

/// The name of the folder holding the bundle folder at `absolute` (its canonical path, or its path
/// when it has none), or the bundle folder's own name at the top.
fn fallback_name(absolute: &Path) -> String {
    absolute
        .parent()
        .and_then(Path::file_name)
        .or_else(|| absolute.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn walk_problem(error: &ignore::Error) -> WalkProblem {
    let mut path = None;
    let message;
    let mut current = error;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| display_path(p));
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err
            }
            ignore::Error::Loop { child, .. } => {
                path.get_or_insert_with(|| display_path(child));
                message = "symbolic link loop: not followed".into();
                break;
            }
            ignore::Error::Io(io) => {
                message = super::read_errors::io_words(io);
                break;
            }
            other => {
                message = other.to_string();
                break;
            }
        }
    }
    WalkProblem {
        display: path.unwrap_or_default(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_found_once_under_their_outermost_bundle_folder_in_walk_order() {
        let names = [
            "p/a/apiproxy/proxies/default.xml",
            "p/a/apiproxy/resources/apiproxy/x.xml",
            "p/a/apiproxy/policies/P-b.xml",
            "p/a/apiproxy/policies/P/c.xml",
            "p/a-b/sharedflowbundle/sharedflows/default.xml",
            "p/a.xml",
        ];
        let dir = super::super::temp_tree("discover", names.map(|n| (n, &b"<x/>"[..])));
        // Overlapping roots: the bundle is walked three times, its files are listed once.
        let roots = [dir.join("p"), dir.join("p/a/apiproxy/"), dir.join("p/a")];
        let found = discover(&roots);
        std::fs::remove_dir_all(&dir).unwrap();
        let top = display_path(&dir);
        let shown: Vec<(&str, Vec<(&str, &str)>)> = found
            .bundles
            .iter()
            .map(|b| {
                let files = b
                    .files
                    .iter()
                    .map(|f| (&f.display[top.len()..], &f.relative[..]));
                (&b.display[top.len()..], files.collect())
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "/p/a-b/sharedflowbundle",
                    vec![(
                        "/p/a-b/sharedflowbundle/sharedflows/default.xml",
                        "sharedflows/default.xml"
                    )]
                ),
                (
                    "/p/a/apiproxy",
                    vec![
                        ("/p/a/apiproxy/policies/P/c.xml", "policies/P/c.xml"),
                        ("/p/a/apiproxy/policies/P-b.xml", "policies/P-b.xml"),
                        ("/p/a/apiproxy/proxies/default.xml", "proxies/default.xml"),
                        (
                            "/p/a/apiproxy/resources/apiproxy/x.xml",
                            "resources/apiproxy/x.xml"
                        ),
                    ]
                ),
            ]
        );
        assert_eq!(found.bundles[1].fallback_name, "a");
        assert!(found.problems.is_empty());
    }
}
