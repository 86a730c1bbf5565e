//! From bytes on disk to an element tree with spans, and from folders and archives to a project.

pub mod archive;
pub mod decode;
pub mod discover;
pub mod javascript;
pub mod load;
pub mod read_errors;
pub mod suppress;
pub mod xml;

/// Writes `files` (paths relative to a fresh folder, and contents) under a temporary folder
/// named after `name` and this process, and gives the folder; the caller removes it.
#[cfg(test)]
pub(crate) fn temp_tree<'a, P: AsRef<std::path::Path>>(
    name: &str,
    files: impl IntoIterator<Item = (P, &'a [u8])>,
) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("oauthlint-{name}-{}", std::process::id()));
    for (relative, bytes) in files {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}
