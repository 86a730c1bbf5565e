//! The linter never writes into what it reads: after linting and tracing a read-only copy of the
//! fixtures, every file and folder is as it was (contents, sizes, modification times), and
//! nothing was added. Permissions alone would prove nothing when tests run as root, so the whole
//! tree is compared.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

type Listing = BTreeMap<PathBuf, (u64, std::time::SystemTime, Vec<u8>)>;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn listing(root: &Path, out: &mut Listing) {
    for entry in std::fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        let content = if meta.is_dir() {
            Vec::new()
        } else {
            std::fs::read(entry.path()).unwrap()
        };
        out.insert(
            entry.path(),
            (meta.len(), meta.modified().unwrap(), content),
        );
        if meta.is_dir() {
            listing(&entry.path(), out);
        }
    }
}

fn set_read_only(root: &Path) {
    for entry in std::fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            set_read_only(&entry.path());
        }
        let mut permissions = entry.metadata().unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(entry.path(), permissions).unwrap();
    }
}

#[test]
fn linting_and_tracing_write_nothing_into_the_tree() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let root = std::env::temp_dir().join(format!("oauthlint-untouched-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for part in ["rules", "engine", "parse"] {
        copy_tree(&fixtures.join(part), &root.join(part));
    }
    set_read_only(&root);
    let mut before = Listing::new();
    listing(&root, &mut before);

    let run = |args: &[&str]| {
        let status = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
            .args(args)
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            matches!(status.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    for format in ["human", "json"] {
        run(&["--format", format, "rules", "engine", "parse"]);
    }
    let scenario = "engine/password-grant-refresh-verify-revoke/scenario.http";
    run(&[
        "trace",
        "engine/password-grant-refresh-verify-revoke",
        "--scenario",
        scenario,
    ]);

    let mut after = Listing::new();
    listing(&root, &mut after);
    let changed: Vec<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(changed.is_empty(), "changed or added: {changed:?}");

    // Restore write permission so the copy can be removed.
    for path in after.keys().rev().chain(std::iter::once(&root)) {
        let mut permissions = std::fs::metadata(path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(path, permissions).unwrap();
    }
    std::fs::remove_dir_all(&root).unwrap();
}
