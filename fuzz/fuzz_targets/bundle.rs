//! A whole in-memory bundle from arbitrary bytes, through the whole pipeline: discover, parse,
//! model, engine (symbolic runs), rules, report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauthlint::parse::load::{load_memory, MemoryFile};

/// Where the pieces of the input go: a proxy with a target, policies, and a shared flow.
const PATHS: [&str; 6] = [
    "p/apiproxy/proxies/default.xml",
    "p/apiproxy/targets/default.xml",
    "p/apiproxy/policies/A.xml",
    "p/apiproxy/policies/B.xml",
    "s/sharedflowbundle/sharedflows/default.xml",
    "s/sharedflowbundle/policies/C.xml",
];

fuzz_target!(|data: &[u8]| {
    // Pieces are separated by a NUL byte, which XML never contains.
    let files: Vec<MemoryFile> = data
        .split(|&b| b == 0)
        .zip(PATHS)
        .map(|(piece, path)| (path.to_owned(), Ok(piece.to_vec())))
        .collect();
    let project = load_memory(files);
    let diagnostics = oauthlint::lint(&project, &oauthlint::settings::Settings::default()).diagnostics;
    let output = oauthlint::report::Output {
        sources: &project.sources,
        trees: &project.trees,
        diagnostics: &diagnostics,
        summary: oauthlint::report::Summary::new(project.bundles.len(), project.files_read, &diagnostics),
    };
    for format in [oauthlint::report::Format::Human, oauthlint::report::Format::Json] {
        let mut sink = Vec::new();
        oauthlint::report::render(format, &output, false, &mut sink).unwrap();
    }
});
