//! Reading bundles into a [`Project`]: from folders on disk, zipped bundles, an editor's buffer,
//! or files given in memory.

use super::archive::{self, Entry, Refused, MAX_ARCHIVE_BYTES};
use super::discover::{bundle_holding, bundle_kind, discover, display_path, Discovery};
use super::discover::{FoundBundle, FoundFile};
use super::read_errors::io_words;
use crate::model::{
    build_bundle, has_no_place, is_model_file, is_resource, Bundle, BundleFile, BundleKind, Fetch,
    Loaded, ProblemKind, Project, ResourceFile,
};
use crate::source::FileId;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Discovers and loads every bundle below `roots`, and every zipped bundle among them, leaving
/// out the files whose shown path `excluded` matches (and a bundle all of whose files it
/// matches). Unreadable files become problems of the project, never errors of the run.
pub fn load_paths(roots: &[PathBuf], excluded: &(dyn Fn(&str) -> bool + Sync)) -> Project {
    load(roots, None, excluded, crate::threads::all_cores())
}

/// An editor's unsaved buffer: the content of one bundle file, given instead of what is on disk.
pub struct Buffer {
    /// The path the editor gave; findings in the buffer show it.
    path: PathBuf,
    bytes: Vec<u8>,
    bundle: PathBuf,
    kind: BundleKind,
    /// The path inside the bundle folder, `/`-separated.
    relative: String,
}

impl Buffer {
    /// `None` when `path` is in no `apiproxy/` or `sharedflowbundle/` folder. The file itself
    /// need not exist yet.
    pub fn new(path: PathBuf, bytes: Vec<u8>) -> Option<Buffer> {
        let (bundle, kind, relative) = bundle_holding(&path)?;
        Some(Buffer {
            path,
            bytes,
            bundle,
            kind,
            relative,
        })
    }

    /// Puts the buffer in its bundle, in place of the file on disk if there is one.
    fn place_in(&self, bundles: &mut Vec<FoundBundle>) {
        let display = display_path(&self.bundle);
        let at = match bundles.iter().position(|b| b.display == display) {
            Some(at) => at,
            // No file of the bundle is on disk yet.
            None => {
                bundles.push(FoundBundle::new(self.kind, &self.bundle));
                bundles.len() - 1
            }
        };
        let files = &mut bundles[at].files;
        files.retain(|f| f.relative != self.relative);
        files.push(FoundFile {
            path: self.path.clone(),
            display: display_path(&self.path),
            relative: self.relative.clone(),
        });
    }
}

/// [`load_paths`], and with a buffer also the bundle holding it, with the buffer's content in
/// place of its file on disk. The bundle folders are read and parsed on up to `threads` threads;
/// the project is the same whatever their number.
pub fn load(
    roots: &[PathBuf],
    mut buffer: Option<Buffer>,
    excluded: &(dyn Fn(&str) -> bool + Sync),
    threads: usize,
) -> Project {
    let (archives, mut folders): (Vec<PathBuf>, Vec<PathBuf>) = roots
        .iter()
        .cloned()
        .partition(|p| is_archive(p) && p.is_file());
    if let Some(buffer) = &buffer {
        // Walked first, so the bundle's files are shown the way the editor named the buffer.
        if buffer.bundle.is_dir() {
            folders.insert(0, buffer.bundle.clone());
        }
    }
    let Discovery {
        mut bundles,
        problems,
    } = discover(&folders);
    if let Some(buffer) = &buffer {
        buffer.place_in(&mut bundles);
    }
    let mut project = Project::default();
    for walk in problems {
        if excluded(&walk.display) {
            project.files_excluded += 1;
            continue;
        }
        problem(
            &mut project,
            ProblemKind::Unreadable,
            walk.display,
            walk.message,
        );
    }
    // What each bundle folder holds (sorted out on the threads, unless an editor's buffer is to
    // take a file's place), and the id its first file will have (each of its files adds one to
    // the project): the folders are then read and parsed on the threads, and the project takes
    // them in walk order, as one thread would have read them.
    let held = match buffer {
        Some(_) => bundles
            .into_iter()
            .map(|found| holding(found, excluded, &mut buffer))
            .collect(),
        None => crate::threads::map(threads, bundles, |found| {
            holding(found, excluded, &mut None)
        }),
    };
    let mut next = project.next_file().0;
    let mut folders = Vec::new();
    for (skipped, held) in held {
        project.files_excluded += skipped;
        let Some((folder, contents)) = held else {
            continue;
        };
        let first = FileId(next);
        next += contents.len() as u32;
        folders.push((folder, contents, first));
    }
    let read = crate::threads::map(threads, folders, |(folder, contents, first)| {
        let contents = contents
            .into_iter()
            .map(|(display, relative, entry)| (display, relative, entry.read()))
            .collect();
        let (kind, display, fallback_name) = folder;
        read_bundle(kind, display, fallback_name, contents, first)
    });
    for (bundle, loaded) in read {
        project.absorb(loaded);
        project.push_bundle(bundle);
    }
    for path in archives {
        let display = display_path(&path);
        if excluded(&display) {
            project.files_excluded += 1;
            continue;
        }
        // Never more than the limit is read, whatever the file's size.
        let mut bytes = Vec::new();
        let read = std::fs::File::open(&path)
            .and_then(|file| file.take(MAX_ARCHIVE_BYTES + 1).read_to_end(&mut bytes));
        match read {
            Ok(_) => add_archive(&mut project, &display, bytes),
            Err(e) => problem(
                &mut project,
                ProblemKind::Unreadable,
                display,
                format!("cannot read the file: {}", io_words(&e)),
            ),
        }
    }
    project.resolve_references();
    project
}

/// A bundle folder's kind, shown path and fallback name.
type Folder = (BundleKind, String, String);

/// The files of a bundle folder to load (its shown and relative paths, and how to have their
/// content), and how many files of it `excluded` left out; no folder when it left out every
/// file the model is built from. The editor's buffer, if any, takes its file's place.
#[allow(clippy::type_complexity)]
fn holding(
    found: FoundBundle,
    excluded: &(dyn Fn(&str) -> bool + Sync),
    buffer: &mut Option<Buffer>,
) -> (usize, Option<(Folder, Vec<(String, String, Pending)>)>) {
    let (model, others): (Vec<_>, Vec<_>) = found
        .files
        .into_iter()
        .partition(|f| is_model_file(&f.relative));
    let (skipped, files): (Vec<_>, Vec<_>) = model.into_iter().partition(|f| excluded(&f.display));
    if files.is_empty() && !skipped.is_empty() {
        return (skipped.len(), None);
    }
    // An excluded resource is left out of the list; the summary counts only the files the
    // model is built from, as before resources were listed.
    let resources = others.into_iter().filter(|f| {
        (is_resource(&f.relative) || has_no_place(&f.relative)) && !excluded(&f.display)
    });
    let contents: Vec<_> = files
        .into_iter()
        .chain(resources)
        .map(|f| {
            let buffered = buffer.take_if(|b| b.path == f.path).map(|b| b.bytes);
            let entry = if has_no_place(&f.relative) {
                Pending::Ready(Entry::Unplaced)
            } else if is_model_file(&f.relative) {
                match buffered {
                    Some(bytes) => Pending::Ready(Entry::Read(Ok(bytes))),
                    None => Pending::Disk(f.path),
                }
            } else {
                Pending::Ready(Entry::Lazy(match buffered {
                    Some(bytes) => Box::new(Ok::<_, String>(bytes)),
                    None => Box::new(DiskFile(f.path)),
                }))
            };
            (f.display, f.relative, entry)
        })
        .collect();
    let folder = (found.kind, found.display, found.fallback_name);
    (skipped.len(), Some((folder, contents)))
}

/// A file given in memory: its path and its bytes, or why they could not be had.
pub type MemoryFile = (String, Result<Vec<u8>, String>);

/// Loads bundles from files given in memory (tests, the rule pages' examples): each path is
/// grouped under its outermost `apiproxy/` or `sharedflowbundle/` folder, and a `.zip` outside
/// such a folder is read as a zipped bundle; other paths are not bundle files.
pub fn load_memory(files: Vec<MemoryFile>) -> Project {
    let mut project = Project::default();
    let mut loose = Vec::new();
    for (path, bytes) in files {
        match bytes {
            Ok(bytes) if is_archive(Path::new(&path)) && place(&path).is_none() => {
                add_archive(&mut project, &path, bytes)
            }
            bytes if place(&path).is_some_and(|p| is_resource(p.relative)) => {
                loose.push((path, Entry::Lazy(Box::new(bytes))))
            }
            _ if place(&path).is_some_and(|p| has_no_place(p.relative)) => {
                loose.push((path, Entry::Unplaced))
            }
            bytes => loose.push((path, Entry::Read(bytes.map_err(unreadable)))),
        }
    }
    add_grouped(&mut project, "", None, loose);
    project.resolve_references();
    project
}

fn is_archive(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Lints a zipped bundle's entries as `x.zip!/apiproxy/…`, or reports why the archive was refused.
fn add_archive(project: &mut Project, display: &str, bytes: Vec<u8>) {
    match archive::entries(bytes.into()) {
        Ok(entries) => {
            let stem = Path::new(display).file_stem().map(|s| s.to_string_lossy());
            add_grouped(project, &format!("{display}!/"), stem.as_deref(), entries)
        }
        Err(Refused {
            entry,
            kind,
            message,
        }) => {
            let path = match entry {
                Some(entry) => format!("{display}!/{entry}"),
                None => display.to_owned(),
            };
            problem(project, kind, path, message)
        }
    }
}

/// Where a `/`-separated path sits in a bundle: its outermost bundle folder, and what holds it.
pub(super) struct Place<'a> {
    pub dir: &'a str,
    /// The path inside the bundle folder.
    pub relative: &'a str,
    pub kind: BundleKind,
    /// The folder holding the bundle folder, if the path names one.
    pub holder: Option<&'a str>,
}

/// The outermost `apiproxy/` or `sharedflowbundle/` folder on `path` (its last part is the file).
pub(super) fn place(path: &str) -> Option<Place<'_>> {
    let mut start = 0;
    let mut holder = None;
    while let Some(len) = path[start..].find('/') {
        let name = &path[start..start + len];
        if let Some(kind) = bundle_kind(name) {
            return Some(Place {
                dir: &path[..start + len],
                relative: &path[start + len + 1..],
                kind,
                holder,
            });
        }
        holder = Some(name);
        start += len + 1;
    }
    None
}

/// Groups files by their outermost bundle folder and loads each group as a bundle. Paths are
/// shown after `prefix` (an archive's `x.zip!/`); a bundle folder at the top is named after
/// `top` (the archive), else after itself. Files outside any bundle folder are not bundle files.
fn add_grouped(
    project: &mut Project,
    prefix: &str,
    top: Option<&str>,
    files: Vec<(String, Entry)>,
) {
    type Group = (BundleKind, String, Vec<(String, String, Entry)>);
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (path, entry) in files {
        // A refused archive entry is reported wherever it sits; a file that could not be read
        // only if the model needs it, as no other file is read.
        let refused = matches!(entry, Entry::Read(Err((ProblemKind::UnsafeArchive, _))));
        let Some(at) = place(&path) else {
            if let (true, Entry::Read(Err((kind, message)))) = (refused, entry) {
                problem(project, kind, format!("{prefix}{path}"), message);
            }
            continue;
        };
        // With no holder, `dir` is the bundle folder's own name.
        let fallback = at.holder.or(top).unwrap_or(at.dir);
        let group = groups
            .entry(format!("{prefix}{}", at.dir))
            .or_insert_with(|| (at.kind, fallback.to_owned(), Vec::new()));
        // A refused entry stays among its bundle's failed files, so rules know one is missing.
        if is_model_file(at.relative)
            || refused
            || matches!(entry, Entry::Lazy(_) | Entry::Unplaced)
        {
            group
                .2
                .push((format!("{prefix}{path}"), at.relative.to_owned(), entry));
        }
    }
    for (dir, (kind, fallback, contents)) in groups {
        add_bundle(project, kind, dir, fallback, contents);
    }
}

fn add_bundle(
    project: &mut Project,
    kind: BundleKind,
    dir: String,
    fallback_name: String,
    contents: Vec<(String, String, Entry)>,
) {
    let (bundle, loaded) = read_bundle(kind, dir, fallback_name, contents, project.next_file());
    project.absorb(loaded);
    project.push_bundle(bundle);
}

/// A bundle file before it is read: a file on disk the model is built from is read on the
/// thread that parses it.
enum Pending {
    Ready(Entry),
    Disk(PathBuf),
}

impl Pending {
    fn read(self) -> Entry {
        match self {
            Pending::Ready(entry) => entry,
            Pending::Disk(path) => Entry::Read(read_capped(&path).map_err(unreadable)),
        }
    }
}

/// Decodes, parses and lowers one bundle's files apart from the project, the first of them to
/// have the id `first` in it; each of `contents` adds one file.
fn read_bundle(
    kind: BundleKind,
    dir: String,
    fallback_name: String,
    contents: Vec<(String, String, Entry)>,
    first: FileId,
) -> (Bundle, Loaded) {
    let mut loaded = Loaded::starting_at(first);
    let mut files = Vec::new();
    let mut resources = Vec::new();
    let mut failed = Vec::new();
    let mut unplaced = Vec::new();
    let count = contents.len();
    for (path, relative, entry) in contents {
        let bytes = match entry {
            Entry::Read(bytes) => bytes,
            Entry::Unplaced => {
                unplaced.push((path, relative));
                continue;
            }
            Entry::Lazy(fetch) => {
                resources.push(ResourceFile {
                    path,
                    relative,
                    fetch,
                });
                continue;
            }
        };
        let bytes = bytes.and_then(|b| {
            if b.len() as u64 > MAX_FILE_BYTES {
                Err(unreadable(too_large()))
            } else {
                Ok(b)
            }
        });
        match bytes {
            Ok(bytes) => files.push(BundleFile {
                path,
                relative,
                bytes,
            }),
            Err((kind, message)) => {
                loaded.problem(kind, path, message);
                failed.push(relative);
            }
        }
    }
    let mut bundle = build_bundle(
        kind,
        dir,
        fallback_name,
        files,
        resources,
        unplaced,
        &mut loaded,
    );
    bundle.failed_files.extend(failed);
    debug_assert_eq!(
        loaded.sources.next_id().0 - first.0,
        count as u32,
        "one file each"
    );
    (bundle, loaded)
}

/// Bundle files larger than this are reported and not read (policies are kilobytes; a
/// payload-heavy AssignMessage rarely reaches a megabyte).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads a file unless it is larger than [`MAX_FILE_BYTES`], counting the bytes actually read
/// (a file may grow, or report no size).
fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read the file: {}", io_words(&e)))?;
    // Room for the length the file had when opened: it is then read in one call or two, rather
    // than into a buffer grown from nothing a read at a time (the cap holds if it grew since).
    let length = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
    let mut bytes = Vec::with_capacity(length as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {}", io_words(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A resource on disk, read when asked.
struct DiskFile(PathBuf);

impl Fetch for DiskFile {
    fn fetch(&self) -> Result<Vec<u8>, String> {
        // The walk refused FIFOs and devices, but one may have taken the file's place since.
        match std::fs::metadata(&self.0) {
            Ok(meta) if meta.is_file() => read_capped(&self.0),
            Ok(_) => Err("not a regular file: not read".into()),
            Err(e) => Err(format!("cannot read the file: {e}")),
        }
    }
}

fn too_large() -> String {
    format!(
        "larger than {} MiB: not read",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

fn unreadable(message: String) -> (ProblemKind, String) {
    (ProblemKind::Unreadable, message)
}

fn problem(project: &mut Project, kind: ProblemKind, path: String, message: String) {
    let mut loaded = Loaded::starting_at(project.next_file());
    loaded.problem(kind, path, message);
    project.absorb(loaded);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn resources_on_disk_are_read_when_asked() {
        let dir = std::env::temp_dir().join(format!("oauthlint-lazy-{}", std::process::id()));
        let xsl = dir.join("p/apiproxy/resources/xsl");
        std::fs::create_dir_all(&xsl).unwrap();
        std::fs::write(xsl.join("a.xsl"), "at load").unwrap();
        std::fs::write(xsl.join("b.xsl"), "excluded").unwrap();
        let project = load_paths(std::slice::from_ref(&dir), &|p| p.ends_with("b.xsl"));
        std::fs::write(xsl.join("a.xsl"), "when asked").unwrap();
        let resources = &project.bundles[0].resources;
        assert_eq!(resources.len(), 1, "an excluded resource is not listed");
        assert_eq!(project.files_excluded, 0, "nor counted");
        assert_eq!(resources[0].content(), Ok(&b"when asked"[..]));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(resources[0].content(), Ok(&b"when asked"[..]), "read once");
    }

    #[test]
    fn files_the_layout_has_no_place_for_are_named_from_disk_and_archives() {
        let entries: [(&str, &[u8]); 6] = [
            (
                "apiproxy/proxies/default.xml",
                b"<ProxyEndpoint name=\"default\"/>",
            ),
            ("apiproxy/policies/AM-Set.xml.bak", b"<AssignMessage/>"),
            ("apiproxy/eslint.config.js", b"module.exports = [];"),
            ("apiproxy/README.md", b"notes"),
            ("apiproxy/manifests/manifest.xml", b"<Manifest/>"),
            (
                "apiproxy/integration-endpoints/default.xml",
                b"<IntegrationEndpoint/>",
            ),
        ];
        let expected = ["eslint.config.js", "policies/AM-Set.xml.bak"];
        let unplaced = |project: &Project| -> Vec<String> {
            let bundle = &project.bundles[0];
            bundle
                .unplaced_files
                .iter()
                .map(|f| f.relative.clone())
                .collect()
        };
        let archive = zipped(&entries);
        let project = load_memory(vec![("x.zip".into(), Ok(archive))]);
        assert_eq!(unplaced(&project), expected);
        assert_eq!(project.files_read, 1, "only the model's XML is read");
        let files = entries.map(|(name, bytes)| (format!("p/{name}"), bytes));
        let dir = super::super::temp_tree("unplaced", files);
        let project = load_paths(std::slice::from_ref(&dir), &|_| false);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(unplaced(&project), expected);
    }

    #[test]
    fn hidden_files_are_walked_inside_bundle_folders_only() {
        let names = [
            "p/apiproxy/proxies/default.xml",
            "p/apiproxy/.gitignore",
            "p/apiproxy/.DS_Store",
            "p/apiproxy/.git/HEAD",
            "p/apiproxy/resources/jsc/.eslintrc.json",
            "p/.github/apiproxy/proxies/default.xml",
            "p/.eslintrc.json",
        ];
        let endpoint = &b"<ProxyEndpoint name=\"default\"/>"[..];
        let dir = super::super::temp_tree("hidden", names.map(|n| (n, endpoint)));
        let unplaced = |root: PathBuf| -> Vec<Vec<String>> {
            let project = load_paths(&[root], &|_| false);
            let names = |b: &crate::model::Bundle| -> Vec<String> {
                b.unplaced_files
                    .iter()
                    .map(|f| f.relative.clone())
                    .collect()
            };
            project.bundles.iter().map(names).collect()
        };
        let expected = [vec![
            ".gitignore".to_owned(),
            "resources/jsc/.eslintrc.json".to_owned(),
        ]];
        let from_above = unplaced(dir.clone());
        let from_the_bundle = unplaced(dir.join("p/apiproxy"));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            from_above, expected,
            "no `.git`, `.DS_Store`, nor `.github` bundle"
        );
        assert_eq!(from_the_bundle, expected);
    }

    #[test]
    fn zipped_resources_are_inflated_when_asked_within_the_caps() {
        let big = vec![b' '; MAX_FILE_BYTES as usize + 1];
        let archive = zipped(&[
            (
                "apiproxy/proxies/default.xml",
                b"<ProxyEndpoint name=\"default\"/>",
            ),
            ("apiproxy/resources/xsl/t.xsl", b"<xsl:stylesheet/>"),
            ("apiproxy/resources/oas/", b""),
            ("apiproxy/resources/oas/big.yaml", &big),
        ]);
        let project = load_memory(vec![("x.zip".into(), Ok(archive))]);
        let resources = &project.bundles[0].resources;
        let names: Vec<&str> = resources.iter().map(|r| r.relative.as_str()).collect();
        assert_eq!(names, ["resources/oas/big.yaml", "resources/xsl/t.xsl"]);
        assert_eq!(
            project.sources.path(resources[1].file),
            "x.zip!/apiproxy/resources/xsl/t.xsl"
        );
        assert_eq!(resources[1].content(), Ok(&b"<xsl:stylesheet/>"[..]));
        assert!(resources[0].content().unwrap_err().contains("not read"));
        assert_eq!(project.files_read, 1);
    }

    #[test]
    fn an_editors_buffer_stands_for_its_resource() {
        let file = "p/apiproxy/resources/jsc/a.js";
        let dir = super::super::temp_tree("buffer", [(file, &b"saved"[..])]);
        let path = dir.join(file);
        let buffer = Buffer::new(path, b"unsaved".to_vec());
        let project = load(&[], buffer, &|_| false, 1);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            project.bundles[0].resources[0].content(),
            Ok(&b"unsaved"[..])
        );
    }
}
