//! Runs the binary over a generated tree of broken and hostile files: it must finish with exit 0
//! or 1, report every problem file, and stay within generous bounds of time and memory (measured
//! here, not asserted as a benchmark: the bounds are far above what a correct run needs). These
//! are the input limits git cannot hold as fixtures (a 50 MB file, a FIFO, a symbolic link loop);
//! their findings are snapshotted like `fixtures/parse/`.

#![cfg(target_os = "linux")]

mod common;

use common::{file_messages, scratch};

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIME_BOUND: Duration = Duration::from_secs(60);
const MEMORY_BOUND_KIB: u64 = 1024 * 1024;

/// Deterministic junk bytes (no random crate needed).
fn junk(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn build_tree(root: &Path) {
    let bundle = root.join("repo/apiproxy");
    let policies = bundle.join("policies");
    std::fs::create_dir_all(&policies).unwrap();
    std::fs::create_dir_all(bundle.join("proxies")).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(policies.join(name), bytes).unwrap();
    std::fs::write(
        bundle.join("proxies/default.xml"),
        "<ProxyEndpoint name=\"default\"><HTTPProxyConnection><BasePath>/h</BasePath></HTTPProxyConnection><RouteRule name=\"n\"/></ProxyEndpoint>",
    )
    .unwrap();
    write(
        "Truncated.xml",
        b"<AssignMessage name=\"Truncated\">\n  <Set>\n    <Payload>{\"a\":",
    );
    write("Junk.xml", &junk(64 * 1024));
    let mut huge = b"<AssignMessage name=\"Huge\"><Set><Payload>".to_vec();
    huge.resize(50 * 1024 * 1024, b'x');
    write("Huge.xml", &huge);
    let deep = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
    write("Deep.xml", deep.as_bytes());
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let previous = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    laughs.push_str(
        "]>\n<AssignMessage name=\"Laughs\"><Set><Payload>&lol9;</Payload></Set></AssignMessage>\n",
    );
    write("Laughs.xml", laughs.as_bytes());
    std::os::unix::fs::symlink("Loop.xml", policies.join("Loop.xml")).unwrap();
    std::os::unix::fs::symlink(".", policies.join("again")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(policies.join("Fifo.xml"))
        .status()
        .unwrap();
    assert!(fifo.success(), "mkfifo");
}

/// Runs the binary, polling its peak resident memory until it exits.
fn run_measured(root: &Path) -> (i32, String, Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(["--format", "json", "repo"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).unwrap();
        text
    });
    let mut peak_kib = 0;
    let code = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().expect("exited, not killed by a signal");
        }
        if start.elapsed() > TIME_BOUND {
            child.kill().unwrap();
            panic!("still running after {TIME_BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (code, reader.join().unwrap(), start.elapsed(), peak_kib)
}

#[test]
fn hostile_tree_is_reported_within_bounds() {
    let root = scratch("hostile");
    build_tree(&root);
    let (code, stdout, elapsed, peak_kib) = run_measured(&root);
    assert!(code == 0 || code == 1, "exit code {code}");
    assert!(elapsed < TIME_BOUND, "took {elapsed:?}");
    assert!(peak_kib < MEMORY_BOUND_KIB, "peak memory {peak_kib} KiB");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("the JSON report");
    let found = file_messages(&json);
    let about = |file: &str| -> Vec<&str> {
        found
            .iter()
            .filter(|(f, _)| f == &format!("repo/apiproxy/policies/{file}"))
            .map(|(_, m)| m.as_str())
            .collect()
    };
    for (file, expected) in [
        ("Truncated.xml", "is never closed"),
        ("Junk.xml", "invalid UTF-8"),
        ("Huge.xml", "larger than 8 MiB"),
        ("Deep.xml", "nest deeper than"),
        ("Laughs.xml", "undefined entity `&lol9;`"),
        ("Loop.xml", "broken symbolic link"),
        ("Fifo.xml", "not a regular file"),
    ] {
        let messages = about(file);
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{file}: expected `{expected}`, found {messages:?}\nall: {found:#?}"
        );
    }
    let record: Vec<String> = found
        .iter()
        .map(|(file, message)| format!("{file}: {message}"))
        .collect();
    insta::assert_snapshot!("hostile_tree_findings", record.join("\n"));
    // The healthy endpoint was still read alongside the broken policies.
    assert!(json["summary"]["files"].as_u64().unwrap() >= 1);
    std::fs::remove_dir_all(&root).unwrap();
}
