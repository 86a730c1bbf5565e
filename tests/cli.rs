//! Runs the binary on `fixtures/cli/<case>/`: `args` holds one argument a line, `tree/` is the
//! working directory, and `output.snap` records the exit code, stdout and stderr, and the file
//! that `--output FILE` wrote (removed after the run).

mod common;

use common::{file_messages, fixture_cases, scratch};
use oauthlint::rules::ALL;
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

#[test]
fn cli_cases() {
    for case in fixture_cases("cli") {
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

/// `oauthlint rules` lists the registry: every rule in order, with its level, category, preview
/// mark and summary, and with `--format json` its options too.
#[test]
fn the_rule_listings_are_the_registry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = oauthlint(&["rules", "--format", "json"], root);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let listed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let registry: Vec<serde_json::Value> = ALL.iter().map(|r| r.meta().listing()).collect();
    assert_eq!(listed, serde_json::Value::Array(registry));

    let (code, stdout, stderr) = oauthlint(&["rules"], root);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let lines: Vec<String> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let registry: Vec<String> = ALL
        .iter()
        .map(|rule| {
            let m = rule.meta();
            let preview = if m.preview { "(preview) " } else { "" };
            let (level, category) = (m.level.as_str(), m.category.as_str());
            format!("{} {level} {category} {preview}{}", m.name, m.summary())
        })
        .collect();
    assert_eq!(lines, registry);
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
    let found = file_messages(&json);
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

/// A zip archive of `(name, content)` entries, deflated, as Apigee exports bundles.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The files of a fixture bundle folder, as zip entries below `apiproxy/`.
fn fixture_bundle(case: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cli")
        .join(case)
        .join("tree/proxies/identity/apiproxy");
    let mut files = Vec::new();
    for folder in ["proxies", "policies"] {
        for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = format!(
                "apiproxy/{folder}/{}",
                path.file_name().unwrap().to_string_lossy()
            );
            files.push((name, std::fs::read(&path).unwrap()));
        }
    }
    files.sort();
    files
}

/// Every file below `dir` with its size and modification time, to prove a run wrote nothing.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.path().symlink_metadata().unwrap();
            if meta.is_dir() {
                pending.push(entry.path());
            }
            out.push((entry.path(), meta.len(), meta.modified().unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_zipped_bundle_is_linted_in_memory_and_zips_met_on_a_walk_are_not() {
    let dir = scratch("zipped");
    let files = fixture_bundle("json-format");
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    std::fs::write(dir.join("identity.zip"), zip_of(&entries)).unwrap();
    for (name, content) in &files {
        let path = dir.join("identity").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let (code, stdout, stderr) = oauthlint(&["identity.zip"], &dir);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("identity.zip!/apiproxy/policies/OA-Token.xml:1:16"));
    insta::assert_snapshot!("zipped_bundle", stdout);
    // The folder walk finds the bundle folder once and leaves the exported archive beside it.
    let (_, walked, _) = oauthlint(&["--format", "json", "."], &dir);
    let json: serde_json::Value = serde_json::from_str(&walked).unwrap();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    // Two findings of the one policy: refresh tokens never refreshed, and no revocation.
    assert_eq!(files, ["identity/apiproxy/policies/OA-Token.xml"; 2]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hostile_and_broken_zips_are_refused_with_findings_and_nothing_is_written() {
    let dir = scratch("hostile");
    let repo = dir.join("repo");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let endpoint: &[u8] =
        b"<ProxyEndpoint name=\"default\"><RouteRule name=\"n\"/></ProxyEndpoint>";
    let outside = dir.join("outside.xml");
    let outside = outside.to_string_lossy();
    let blanks = vec![b' '; 17 << 20];
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(repo.join(name), bytes).unwrap();

    write(
        "traversal.zip",
        zip_of(&[
            ("apiproxy/proxies/default.xml", endpoint),
            ("../evil.xml", b"<evil/>"),
        ]),
    );
    write("absolute.zip", zip_of(&[(outside.as_ref(), b"<evil/>")]));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.add_symlink("apiproxy/policies/Link.xml", "/etc/passwd", options)
        .unwrap();
    write("symlink.zip", zip.finish().unwrap().into_inner());
    write(
        "bomb.zip",
        zip_of(&[
            ("apiproxy/proxies/default.xml", endpoint),
            ("apiproxy/policies/Bomb.xml", &blanks),
        ]),
    );
    // The same bomb whose headers claim 1 KiB: reading must stop all the same.
    let mut lying = zip_of(&[("apiproxy/policies/Bomb.xml", &blanks)]);
    let central = lying.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    for at in [22, central + 24] {
        lying[at..at + 4].copy_from_slice(&1024u32.to_le_bytes());
    }
    write("lying-bomb.zip", lying);
    let names: Vec<String> = (0..10_001)
        .map(|i| format!("apiproxy/resources/jsc/{i}.js"))
        .collect();
    let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    write("many.zip", zip_of(&many));
    // Stored, not deflated, so the archive itself is past the size limit.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = options.compression_method(zip::CompressionMethod::Stored);
    zip.start_file("apiproxy/resources/java/big.jar", stored)
        .unwrap();
    std::io::Write::write_all(&mut zip, &blanks).unwrap();
    write("large.zip", zip.finish().unwrap().into_inner());
    // Two entries renamed to one name after the archive was written.
    let mut twice = zip_of(&[
        ("apiproxy/policies/A.xml", b"<AssignMessage name=\"A\"/>"),
        ("apiproxy/policies/B.xml", b"<AssignMessage name=\"B\"/>"),
    ]);
    while let Some(at) = twice.windows(14).position(|w| w == b"policies/B.xml") {
        twice[at + 9] = b'A';
    }
    write("twice.zip", twice);
    let good = zip_of(&[("apiproxy/proxies/default.xml", endpoint)]);
    write("truncated.zip", good[..good.len() / 2].to_vec());
    let mut damaged = zip_of(&[("apiproxy/proxies/default.xml", &blanks[..4096])]);
    let data = 30 + "apiproxy/proxies/default.xml".len();
    damaged[data..data + 8].copy_from_slice(&[0xff; 8]);
    write("damaged.zip", damaged);

    let before = listing(&dir);
    let zips = [
        "absolute.zip",
        "bomb.zip",
        "damaged.zip",
        "large.zip",
        "lying-bomb.zip",
        "many.zip",
        "symlink.zip",
        "traversal.zip",
        "truncated.zip",
        "twice.zip",
    ];
    let mut args = vec!["--format", "json"];
    args.extend(zips);
    let output = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(&args)
        .current_dir(&repo)
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert_eq!(listing(&dir), before, "the run wrote to disk");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap().to_owned();
            (text("file"), text("rule"), text("message"))
        })
        .collect();
    let expected = [
        (format!("absolute.zip!/{outside}"), "unsafe-archive"),
        (
            "bomb.zip!/apiproxy/policies/Bomb.xml".into(),
            "unsafe-archive",
        ),
        (
            "damaged.zip!/apiproxy/proxies/default.xml".into(),
            "unreadable-file",
        ),
        ("large.zip".into(), "unsafe-archive"),
        (
            "lying-bomb.zip!/apiproxy/policies/Bomb.xml".into(),
            "unreadable-file",
        ),
        ("many.zip".into(), "unsafe-archive"),
        (
            "symlink.zip!/apiproxy/policies/Link.xml".into(),
            "unsafe-archive",
        ),
        ("traversal.zip!/../evil.xml".into(), "unsafe-archive"),
        ("truncated.zip".into(), "unreadable-file"),
        ("twice.zip".into(), "unsafe-archive"),
    ];
    let pairs: Vec<(String, &str)> = found
        .iter()
        .map(|(f, r, _)| (f.clone(), r.as_str()))
        .collect();
    assert_eq!(pairs, expected, "{found:#?}");
    let report: String = found
        .iter()
        .map(|(file, rule, message)| format!("{file}\n  {rule}: {message}\n"))
        .collect::<String>()
        .replace(outside.as_ref(), "<outside>");
    insta::assert_snapshot!("hostile_zips", report);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs the binary with `input` on its standard input.
fn oauthlint_with_stdin(args: &[&str], cwd: &Path, input: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn stdin_filename_lints_the_buffer_in_place_of_the_file_on_disk() {
    let dir = scratch("stdin");
    for (name, content) in fixture_bundle("json-format") {
        let path = dir.join("proxies/identity").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let file = "proxies/identity/apiproxy/policies/OA-Token.xml";
    let on_disk = std::fs::read_to_string(dir.join(file)).unwrap();
    // On disk, the policy issues refresh tokens nobody exchanges: a warning.
    let (code, stdout, _) = oauthlint(&["proxies"], &dir);
    assert!(code == 0 && stdout.contains("refresh-token-never-refreshed"));

    // The unsaved buffer leaves <SupportedGrantTypes> open, and no longer issues refresh tokens.
    let buffer = "<OAuthV2 name=\"OA-Token\">\n  <Operation>GenerateAccessToken</Operation>\n  <SupportedGrantTypes><GrantType>client_credentials</GrantType>\n</OAuthV2>\n";
    let (code, stdout, stderr) = oauthlint_with_stdin(&["--stdin-filename", file], &dir, buffer);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert!(stdout.contains(&format!("{file}:4:1")), "{stdout}");
    assert!(!stdout.contains("refresh-token-never-refreshed"));
    insta::assert_snapshot!("stdin_buffer", stdout);

    // An editor that runs in the file's own folder names it from there.
    let policies = dir.join("proxies/identity/apiproxy/policies");
    let (code, stdout, _) =
        oauthlint_with_stdin(&["--stdin-filename", "OA-Token.xml"], &policies, buffer);
    assert!(
        code == 1 && stdout.contains("─ OA-Token.xml:4:1"),
        "{stdout}"
    );

    let fixed = buffer.replace("</GrantType>\n", "</GrantType></SupportedGrantTypes>\n");
    let (code, stdout, _) = oauthlint_with_stdin(&["--stdin-filename", file], &dir, &fixed);
    assert_eq!(code, 0);
    // Only the project's missing revocation endpoint is left, an info.
    assert!(
        stdout.contains("1 problem (1 info) in 1 bundle (2 files)"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(dir.join(file)).unwrap(), on_disk);

    // A file that is not in a bundle is a failure of the run, said on stderr.
    let (code, stdout, stderr) =
        oauthlint_with_stdin(&["--stdin-filename", "notes.xml"], &dir, "<x/>");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("`notes.xml` is not in a bundle"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
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

/// Runs the binary with its standard output a pipe whose reader is already gone, as in
/// `oauthlint … | head -1` once `head` has exited: the first write fails, whatever the output's
/// size and however fast the reader would have been.
fn oauthlint_into_closed_pipe(args: &[&str], cwd: &Path) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(writer)
        .output()
        .unwrap();
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_its_exit_code() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let broken = fixtures.join("cli/lint-broken-files-and-healthy-proxy/tree");
    let warnings = fixtures.join("cli/warnings-exit-zero/tree");
    let engine = fixtures.join("engine/authorization-code-used-twice");
    let dir = scratch("closed-stdout");
    for (name, content) in fixture_bundle("json-format") {
        let path = dir.join("proxies/identity").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let mut cases: Vec<(Vec<&str>, &Path)> = Vec::new();
    let formats = format_names();
    for format in &formats {
        cases.push((vec!["--format", format, "proxies"], &broken));
        cases.push((vec!["--format", format, "proxies"], &warnings));
    }
    cases.extend([
        (vec!["rules"], dir.as_path()),
        (vec!["rules", "--format", "json"], &dir),
        (vec!["explain", "ambiguous-and-or"], &dir),
        (vec!["trace", ".", "--scenario", "scenario.http"], &engine),
        (
            vec![
                "trace",
                ".",
                "--scenario",
                "scenario.http",
                "--format",
                "json",
            ],
            &engine,
        ),
        (
            vec!["--output", "report.json", "--format", "json", "proxies"],
            &dir,
        ),
        (vec!["--write-baseline", "baseline.json", "proxies"], &dir),
    ]);
    for (args, cwd) in cases {
        let (code, _, stderr) = oauthlint(&args, cwd);
        assert_eq!(
            oauthlint_into_closed_pipe(&args, cwd),
            (code, stderr),
            "oauthlint {}",
            args.join(" ")
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--output` through a symbolic link writes the file it names and keeps the link; into a named
/// pipe it writes the pipe, which stays one (renaming a file over it would replace it, as it
/// would `/dev/null`).
#[cfg(unix)]
#[test]
fn output_keeps_a_link_and_a_pipe_it_writes_through() {
    let dir = scratch("output-link-and-pipe");
    let endpoint = dir.join("apiproxy/proxies/default.xml");
    std::fs::create_dir_all(endpoint.parent().unwrap()).unwrap();
    std::fs::write(
        &endpoint,
        r#"<ProxyEndpoint name="default"><RouteRule name="n"/></ProxyEndpoint>"#,
    )
    .unwrap();
    std::os::unix::fs::symlink("real.json", dir.join("link.json")).unwrap();
    let (code, _, stderr) = oauthlint(&["--output", "link.json", "--format", "json", "."], &dir);
    assert!(code <= 1, "{stderr}");
    let link = std::fs::symlink_metadata(dir.join("link.json")).unwrap();
    assert!(link.file_type().is_symlink());
    let report = std::fs::read_to_string(dir.join("real.json")).unwrap();
    assert!(report.trim_start().starts_with('{') || report.trim_start().starts_with('['));

    let pipe = dir.join("pipe");
    // mkfifo is POSIX: a machine without it fails the test rather than skipping the pipe.
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo made no pipe");
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };
    let (code, _, stderr) = oauthlint(&["--output", "pipe", "--format", "json", "."], &dir);
    assert!(code <= 1, "{stderr}");
    assert_eq!(reader.join().unwrap(), report);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_long_line_is_cut_around_its_labels() {
    let dir = scratch("long-line");
    let endpoint = dir.join("apiproxy/proxies/default.xml");
    std::fs::create_dir_all(endpoint.parent().unwrap()).unwrap();
    // One line of 100,000 characters, as in a minified file; `€` takes three bytes.
    let flagged = r#"<Condition>a = "1" and b = "2" or c = "3"</Condition>"#;
    let long = format!(
        r#"<Condition>{}b = "2" or c = "3"</Condition>"#,
        r#"a = "1" and "#.repeat(100)
    );
    let text = format!(
        r#"<ProxyEndpoint name="default"><!--{}--><Flows><Flow name="f">{flagged}</Flow><!--{}--><Flow name="g">{long}</Flow></Flows><RouteRule name="n"/></ProxyEndpoint>"#,
        "€".repeat(50_000),
        "x".repeat(50_000),
    );
    std::fs::write(&endpoint, &text).unwrap();
    let (code, stdout, stderr) = oauthlint(&["."], &dir);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // The help quotes the long condition whole; the source lines are cut.
    let snippets: Vec<&str> = stdout.lines().filter(|l| l.contains('│')).collect();
    assert!(snippets.len() >= 4);
    assert!(snippets.iter().all(|l| l.chars().count() < 150), "{stdout}");
    assert!(stdout.len() < 8_000, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    // The header names the file's column, not the cut line's.
    let column = |needle: &str| text[..text.find(needle).unwrap()].chars().count() + 1;
    let condition = column(flagged) + "<Condition>".len();
    assert!(stdout.contains(&format!("apiproxy/proxies/default.xml:1:{condition}")));
    assert!(stdout.contains(&format!(
        "apiproxy/proxies/default.xml:1:{}",
        column(&long) + "<Condition>".len()
    )));
    // A short span is shown whole, between cut marks, with its carets under it.
    let at = lines.iter().position(|l| l.contains(flagged)).unwrap();
    let (shown, carets) = (lines[at], lines[at + 1]);
    assert!(
        shown.starts_with("1 │ …€€€") && shown.ends_with("xxx…"),
        "{shown}"
    );
    let char_at = |line: &str, byte: usize| line[..byte].chars().count();
    let start = char_at(shown, shown.find(flagged).unwrap() + "<Condition>".len());
    assert_eq!(char_at(carets, carets.find('^').unwrap()), start);
    assert_eq!(
        carets.matches('^').count(),
        r#"a = "1" and b = "2" or c = "3""#.len()
    );
    // A span longer than the window is shown from its start, its carets running to the cut.
    let at = lines
        .iter()
        .position(|l| l.contains(r#"<Condition>a = "1" and a = "1""#))
        .unwrap();
    let (shown, carets) = (lines[at], lines[at + 1]);
    assert!(
        shown.starts_with("1 │ …") && shown.ends_with('…'),
        "{shown}"
    );
    let start = char_at(
        shown,
        shown.find("<Condition>").unwrap() + "<Condition>".len(),
    );
    assert_eq!(char_at(carets, carets.find('^').unwrap()), start);
    assert_eq!(carets.chars().count(), shown.chars().count(), "{carets}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every `--format` name, as the command line spells it.
fn format_names() -> Vec<String> {
    use clap::ValueEnum;
    oauthlint::report::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_owned())
        .collect()
}

#[test]
fn max_warnings_exceeded_is_said_on_stderr_in_every_format() {
    let tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cli/warnings-exit-zero/tree");
    for format in &format_names() {
        let args = ["--format", format, "--max-warnings", "0", "proxies"];
        let (code, stdout, stderr) = oauthlint(&args, &tree);
        assert_eq!(code, 1, "{format}");
        assert_eq!(
            stderr.lines().last(),
            Some("error: 1 warning exceeds --max-warnings 0"),
            "{format}"
        );
        // Stdout holds the report alone, as without --max-warnings.
        let without = ["--format", format, "proxies"];
        assert_eq!(stdout, oauthlint(&without, &tree).1, "{format}");
        let (code, _, stderr) = oauthlint(
            &["--format", format, "--max-warnings", "1", "proxies"],
            &tree,
        );
        assert_eq!(code, 0, "{format}");
        assert!(!stderr.contains("--max-warnings"), "{format}: {stderr}");
    }
}

/// `projects` splits a run for the project-wide rules: a refresh policy in one sample no longer
/// answers for the token policy of another.
#[test]
fn projects_split_a_run_for_the_project_wide_rules() {
    let dir = scratch("projects");
    let proxy = |name: &str, policy: &str, body: &str| {
        let root = dir.join("samples").join(name).join("apiproxy");
        std::fs::create_dir_all(root.join("proxies")).unwrap();
        std::fs::create_dir_all(root.join("policies")).unwrap();
        let endpoint = format!(
            "<ProxyEndpoint name=\"default\"><HTTPProxyConnection><BasePath>/{name}</BasePath></HTTPProxyConnection>\
             <PreFlow><Request><Step><Name>{policy}</Name></Step></Request></PreFlow><RouteRule name=\"r\"/></ProxyEndpoint>"
        );
        std::fs::write(root.join("proxies/default.xml"), endpoint).unwrap();
        let policy_xml = format!("<OAuthV2 name=\"{policy}\">{body}</OAuthV2>");
        std::fs::write(root.join(format!("policies/{policy}.xml")), policy_xml).unwrap();
    };
    proxy(
        "authorize",
        "OA-Token",
        "<Operation>GenerateAccessToken</Operation><SupportedGrantTypes><GrantType>authorization_code</GrantType></SupportedGrantTypes>",
    );
    proxy(
        "refresh",
        "OA-Refresh",
        "<Operation>RefreshAccessToken</Operation>",
    );
    let rule = [
        "--select",
        "refresh-token-never-refreshed",
        "--format",
        "concise",
        ".",
    ];

    // One run, one project: the sibling's refresh counts.
    let (code, stdout, _) = oauthlint(&rule, &dir);
    assert!(
        code == 0 && stdout.starts_with("no problems found"),
        "{stdout}"
    );

    std::fs::write(dir.join("oauthlint.toml"), "projects = [\"samples/*\"]\n").unwrap();
    let (code, stdout, _) = oauthlint(&rule, &dir);
    assert_eq!(code, 0, "warnings do not fail the run: {stdout}");
    assert!(
        stdout.contains("samples/authorize/apiproxy/policies/OA-Token.xml")
            && stdout.contains("refresh-token-never-refreshed"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The report is the same, byte for byte, on one thread and on several: bundles are read,
/// parsed and checked on the threads, and their results taken in the order one thread gives.
/// The formats' project (three repositories of bundles, read from a folder) in every format,
/// and every fixture case of the rules as one project of several hundred bundles.
#[test]
fn threads_do_not_change_the_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let formats = [
        "human",
        "concise",
        "json",
        "sarif",
        "github",
        "junit",
        "checkstyle",
        "gitlab",
    ];
    let runs = formats
        .iter()
        .map(|f| ("fixtures/formats/kitchen-sink", *f))
        .chain([("fixtures/rules", "json"), ("fixtures/rules", "human")]);
    for (project, format) in runs {
        let run = |threads: &str| {
            let args = [
                "--no-config",
                "--preview",
                "--format",
                format,
                "--threads",
                threads,
                project,
            ];
            let (code, stdout, stderr) = oauthlint(&args, root);
            assert!(code == 0 || code == 1, "{project} {format}: {stderr}");
            (code, stdout, stderr)
        };
        let one = run("1");
        assert!(
            one.1.len() > 1000,
            "{project} {format}: findings to compare"
        );
        for threads in ["2", "4", "7"] {
            assert!(
                run(threads) == one,
                "{project} --format {format}: --threads {threads} differs from --threads 1"
            );
        }
    }
    let (code, _, stderr) = oauthlint(&["--threads", "0", "fixtures/formats"], root);
    assert_eq!(code, 2, "no thread at all is refused: {stderr}");
}
