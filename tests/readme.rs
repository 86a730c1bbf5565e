//! The README's pasted `oauthlint trace` run is what the binary prints today (when the shared
//! corpus it runs against is present), so the README cannot drift from the engine.

use std::path::Path;
use std::process::Command;

const MARKER: &str = "    --scenario examples/password-refresh-verify.http\n";

#[test]
fn the_readme_trace_run_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/bundles/apigee+api-platform-samples");
    if !corpus.is_dir() {
        eprintln!("skipped: the shared corpus is not present");
        return;
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find(MARKER)
        .expect("the README shows the trace command")
        + MARKER.len();
    let pasted = &readme[start..start + readme[start..].find("```").unwrap()];
    let output = Command::new(env!("CARGO_BIN_EXE_oauthlint"))
        .args(["trace"])
        .arg(corpus.join("doc-samples/oauth-doc-examples"))
        .arg(corpus.join("sample-proxies/oauth-verify-accesstoken"))
        .args(["--scenario", "examples/password-refresh-verify.http"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        pasted,
        String::from_utf8_lossy(&output.stdout),
        "update the README's trace run"
    );
}
