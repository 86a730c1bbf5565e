//! Runs the binary on `fixtures/cli/<case>/`: `args` holds one argument a line, `tree/` is the
//! working directory, and `output.snap` records the exit code, stdout and stderr.

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
        let record = format!(
            "args: {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            args.join(" ")
        );
        insta::with_settings!({
            snapshot_path => case.clone(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!("output", record);
        });
    }
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

#[test]
fn a_baseline_is_stable_survives_line_shifts_and_names_files_from_its_folder() {
    let dir = scratch("baseline");
    let proxy = dir.join("repo/proxies/shop/apiproxy/proxies/default.xml");
    std::fs::create_dir_all(proxy.parent().unwrap()).unwrap();
    let flows = "<ProxyEndpoint name=\"default\">\n  <Flows>\n    <Flow name=\"cart\"><Condition>request.verb = POST</Condition></Flow>\n    <Flow name=\"orders\"><Condition>a = \"1\" and b = \"2\" or c = \"3\"</Condition></Flow>\n  </Flows>\n  <RouteRule name=\"noroute\"/>\n</ProxyEndpoint>\n";
    std::fs::write(&proxy, flows).unwrap();
    let repo = dir.join("repo");
    let (code, stdout, _) = oauthlint(&["--write-baseline", "base.json", "proxies"], &repo);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "wrote 2 findings to the baseline `base.json`\n")
    );
    let written = std::fs::read_to_string(repo.join("base.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    let files: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["proxies/shop/apiproxy/proxies/default.xml"; 2]);

    // Written from another folder, through another path, the file is the same.
    let shop = repo.join("proxies/shop");
    oauthlint(&["--write-baseline", "../../base.json", "."], &shop);
    assert_eq!(
        std::fs::read_to_string(repo.join("base.json")).unwrap(),
        written
    );

    // Lines above the findings move them; the baseline still knows them.
    std::fs::write(
        &proxy,
        flows.replace(
            "<Flows>",
            "<Description>\n  shop\n  </Description>\n  <Flows>",
        ),
    )
    .unwrap();
    let (code, stdout, _) = oauthlint(&["--baseline", "../../base.json", "."], &shop);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.ends_with("baseline: 2 findings known, not shown\n"),
        "{stdout}"
    );

    // A new finding is reported and fails the run; the fixed one is counted as gone.
    std::fs::write(
        &proxy,
        flows.replace("POST", "\"POST\"").replace(
            "</Flows>",
            "  <Flow name=\"x\"><Condition>(a = \"1\"</Condition></Flow>\n  </Flows>",
        ),
    )
    .unwrap();
    let (code, stdout, _) = oauthlint(
        &["--format", "json", "--baseline", "base.json", "proxies"],
        &repo,
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(code, 1);
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["invalid-condition"]);
    assert_eq!(
        json["summary"]["baseline"],
        serde_json::json!({"matched": 1, "gone": 1})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
