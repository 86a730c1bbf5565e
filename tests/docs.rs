//! Every example in `rules/*.md` is a test: its `<!-- expect: … -->` markers must match the
//! findings exactly, and only then is its output compared with the snapshot. An archive is given
//! as the list of its entries and built here, so hostile zips are never stored. An example may
//! give an `oauthlint.toml` (a profile, a rule's options), which its run is configured with.

mod common;

use common::{
    assert_findings, case_settings_for, expectations, lint_with, scratch, with_preview_for,
    Finding, CASE_CONFIG,
};
use libtest_mimic::{Arguments, Trial};
use oauthlint::parse::load::{load_memory, MemoryFile};
use oauthlint::rules::{RuleMeta, ALL};
use std::io::Write;
use zip::write::SimpleFileOptions;

struct Example {
    title: String,
    files: Vec<MemoryFile>,
    /// Text of each file, for its expectation markers.
    texts: Vec<(String, String)>,
    /// Archives given as a list of entries (`` `proxy.zip` (zip): ``): the archive's name and
    /// each line of its list. Files named `proxy.zip!/…` are entries of it too.
    archives: Vec<(String, Vec<String>)>,
}

const DEFAULT_FILE: &str = "apiproxy/proxies/default.xml";

/// Splits the `## Examples` section of a page into its `### ` examples.
fn examples(page: &str) -> Vec<Example> {
    let section = page
        .split("\n## Examples\n")
        .nth(1)
        .expect("page has ## Examples");
    let section = section.split("\n## ").next().unwrap();
    let mut out: Vec<Example> = Vec::new();
    let mut pending: Option<(String, String)> = None;
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix("### ") {
            out.push(Example {
                title: title.to_owned(),
                files: Vec::new(),
                texts: Vec::new(),
                archives: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix('`').filter(|l| l.ends_with(':')) {
            let (path, tail) = rest.split_once('`').expect("file name line");
            pending = Some((path.to_owned(), tail.to_owned()));
        } else if line.starts_with("```") {
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner.starts_with("```") {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            let (path, tail) = pending
                .take()
                .unwrap_or((DEFAULT_FILE.to_owned(), String::new()));
            let example = out.last_mut().expect("a block belongs to an example");
            if tail.contains("(zip)") {
                let list = body.lines().map(str::to_owned).collect();
                example.archives.push((path, list));
                continue;
            }
            // An unreadable file's block gives the read error; its markers are not part of it.
            let content = if tail.contains("(unreadable)") {
                Err(body
                    .split("<!--")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned())
            } else {
                Ok(body.clone().into_bytes())
            };
            example.texts.push((path.clone(), body));
            example.files.push((path, content));
        }
    }
    out
}

/// Adds a descriptor and a target to every proxy bundle of the example that lacks them. The
/// target is the harness's, not the example's: where the example routes elsewhere, a
/// suppression keeps `unreferenced-target` from reporting it.
fn complete(files: &mut Vec<MemoryFile>) {
    let project = load_memory(files.clone());
    let routed_elsewhere: Vec<String> = project
        .bundles
        .iter()
        .filter(|b| {
            let mut rules = b.proxy_endpoints.iter().flat_map(|e| &e.route_rules);
            !b.proxy_endpoints.is_empty()
                && !rules.any(|r| {
                    let target = r.target_endpoint.as_ref();
                    target.is_some_and(|t| t.value == "default" || t.is_dynamic())
                })
        })
        .map(|b| format!("{}/", b.dir))
        .collect();
    let mut roots: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| {
            p.find("apiproxy/")
                .map(|at| p[..at + "apiproxy/".len()].to_owned())
        })
        .collect();
    roots.sort();
    roots.dedup();
    for root in roots {
        let has = |prefix: &str| {
            files
                .iter()
                .any(|(p, _)| p.starts_with(&format!("{root}{prefix}")))
        };
        if !has("targets/") {
            let unrouted = if routed_elsewhere.contains(&root) {
                "<!-- oauthlint-disable unreferenced-target: the docs harness adds this target -->"
            } else {
                ""
            };
            let target = format!("{unrouted}<TargetEndpoint name=\"default\">\n  <HTTPTargetConnection><URL>https://backend.example.com</URL></HTTPTargetConnection>\n</TargetEndpoint>\n");
            files.push((
                format!("{root}targets/default.xml"),
                Ok(target.as_bytes().to_vec()),
            ));
        }
        let has_descriptor = files
            .iter()
            .any(|(p, _)| p.strip_prefix(&root).is_some_and(|r| !r.contains('/')));
        if !has_descriptor {
            files.push((
                format!("{root}example.xml"),
                Ok(b"<APIProxy name=\"example\"/>\n".to_vec()),
            ));
        }
    }
}

/// Replaces each archive's files (`proxy.zip!/…`) and list by the archive's bytes, and returns
/// the findings its list expects: a marker on a line expects a finding at that entry.
fn build_archives(files: &mut Vec<MemoryFile>, archives: &[(String, Vec<String>)]) -> Vec<Finding> {
    let mut expected = Vec::new();
    for (archive, list) in archives {
        let prefix = format!("{archive}!/");
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        for (path, content) in files.iter().filter(|(p, _)| p.starts_with(&prefix)) {
            writer.start_file(&path[prefix.len()..], options).unwrap();
            writer.write_all(content.as_ref().unwrap()).unwrap();
        }
        files.retain(|(p, _)| !p.starts_with(&prefix));
        for line in list {
            let entry = line.split("<!--").next().unwrap().trim();
            if let Some((name, target)) = entry.split_once(" -> ") {
                writer.add_symlink(name, target, options).unwrap();
                expected.extend(expectations(&format!("{prefix}{name}"), line));
                continue;
            }
            // `name (17 MiB)`: that many blanks, which compress a thousandfold.
            let (name, size) = match entry
                .strip_suffix(" MiB)")
                .and_then(|e| e.rsplit_once(" ("))
            {
                Some((name, mib)) => (name, mib.parse::<usize>().unwrap() << 20),
                None => (entry, 0),
            };
            writer.start_file(name, options).unwrap();
            writer.write_all(&vec![b' '; size]).unwrap();
            expected.extend(expectations(&format!("{prefix}{name}"), line));
        }
        let bytes = writer.finish().unwrap().into_inner();
        files.push((archive.clone(), Ok(bytes)));
    }
    expected
}

fn slug(title: &str) -> String {
    let mut slug: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    slug.trim_matches('-').to_owned()
}

/// One test per example, named `rule-name::example-slug`, so that one can be run alone:
/// `cargo test --test docs -- unreachable-flow::flagged-a-catch-all-flow-placed-first`.
fn main() {
    let trials = ALL
        .iter()
        .flat_map(|rule| {
            let meta = rule.meta();
            examples(meta.page).into_iter().map(move |example| {
                let name = format!("{}::{}", meta.name, slug(&example.title));
                Trial::test(name, move || {
                    check(meta, example);
                    Ok(())
                })
            })
        })
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// Asserts the example's findings, then compares its output with the snapshot.
fn check(meta: &RuleMeta, example: Example) {
    let mut expected: Vec<Finding> = example
        .texts
        .iter()
        .flat_map(|(p, t)| expectations(p, t))
        .collect();
    let mut files = example.files;
    // An example's `oauthlint.toml` configures its run (a profile, a rule's options), as a
    // fixture case's does: the settings read it from a folder of its own.
    let settings = match files.iter().position(|(p, _)| p == CASE_CONFIG) {
        Some(at) => {
            let dir = scratch(&format!("docs-{}-{}", meta.name, slug(&example.title)));
            std::fs::write(dir.join(CASE_CONFIG), files.remove(at).1.unwrap()).unwrap();
            case_settings_for(&dir, Some(meta.name))
        }
        None => with_preview_for(meta.name),
    };
    complete(&mut files);
    expected.extend(build_archives(&mut files, &example.archives));
    let (found, rendered) = lint_with(&load_memory(files), &settings);
    let what = format!("rules/{}.md, example \"{}\"", meta.name, example.title);
    assert_findings(&what, expected, found, &rendered);
    let name = format!("{}__{}", meta.name, slug(&example.title));
    insta::with_settings!({ description => what, omit_expression => true }, {
        insta::assert_snapshot!(name, rendered);
    });
}
