//! Runs the binary on `fixtures/cli/<case>/`: `args` holds one argument a line, `tree/` is the
//! working directory, and `output.snap` records the exit code, stdout and stderr, and the file
//! that `--output FILE` wrote (removed after the run).

use std::path::{Path, PathBuf};
use std::process::Command;

fn oauthlint(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs");
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn cli_cases() {
    for case in cases() {
        let args = std::fs::read_to_string(case.join("args")).unwrap();
        let args: Vec<&str> = args.lines().filter(|l| !l.is_empty()).collect();
        let tree = case.join("tree");
        let cwd = if tree.is_dir() { tree } else { case.clone() };
        let (code, stdout, stderr) = oauthlint(&args, &cwd);
        assert_ne!(
            code,
            101,
            "{}: the binary panicked:\n{stderr}",
            case.display()
        );
        let mut record = format!(
            "args: {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            args.join(" ")
        );
        if let Some(written) = take_written_report(&args, &cwd) {
            record.push_str(&written);
        }
        insta::with_settings!({
            snapshot_path => case.clone(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("output", record);
        });
    }
}

/// The file named by `--output`, as a record section, removed so that the tree stays as committed.
fn take_written_report(args: &[&str], cwd: &Path) -> Option<String> {
    let at = args.iter().position(|a| *a == "--output" || *a == "-o")?;
    let name = args[at + 1];
    let path = cwd.join(name);
    if path.is_dir() {
        return Some(format!("--- file {name}\n(a folder)\n"));
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => format!("(not written: {})\n", e.kind()),
    };
    let _ = std::fs::remove_file(&path);
    Some(format!("--- file {name}\n{text}"))
}

/// A scratch folder of this test's own, removed first so reruns start clean.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauthlint-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn symlinks_are_reported_and_never_followed_out_of_the_tree() {
    use std::os::unix::fs::symlink;
    let dir = scratch("symlinks");
    let bundle = dir.join("repo/apiproxy");
    std::fs::create_dir_all(bundle.join("policies")).unwrap();
    std::fs::create_dir_all(bundle.join("proxies")).unwrap();
    std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
    std::fs::write(
        dir.join("elsewhere/secret.xml"),
        "<AssignMessage name=\"Secret\"/>",
    )
    .unwrap();
    std::fs::write(
        bundle.join("proxies/default.xml"),
        "<ProxyEndpoint name=\"default\"><RouteRule name=\"n\"/></ProxyEndpoint>",
    )
    .unwrap();
    symlink(
        dir.join("elsewhere/secret.xml"),
        bundle.join("policies/Secret.xml"),
    )
    .unwrap();
    symlink("missing.xml", bundle.join("policies/Broken.xml")).unwrap();
    symlink("default.xml", bundle.join("proxies/alias.xml")).unwrap();
    symlink(".", bundle.join("policies/loop")).unwrap();
    let (code, stdout, _) = oauthlint(&["--format", "json", "repo"], &dir);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "repo/apiproxy/policies/Broken.xml");
    assert!(found[0].1.starts_with("broken symbolic link"));
    assert_eq!(found[1].0, "repo/apiproxy/policies/Secret.xml");
    assert!(found[1].1.contains("outside the linted tree: not followed"));
    // The alias inside the tree is read as a second endpoint file; the loop is not walked.
    assert_eq!(json["summary"]["files"], 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_is_identical_from_run_to_run() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let first = oauthlint(&["--format", "json", "."], &fixtures);
    for _ in 0..3 {
        assert_eq!(oauthlint(&["--format", "json", "."], &fixtures), first);
    }
}
