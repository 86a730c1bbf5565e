//! Parses every `<Condition>` of the shared bundle corpus, `../shared/corpus/bundles` beside the
//! clone. Part of the shared group: ignored by default, run by `cargo test -- --ignored` (CI does).

use std::path::{Path, PathBuf};

use super::*;

/// Conditions in the corpus that are genuine syntax errors in their bundles.
/// Deployed bundles among them (NHS identity-service and PDS "live" proxies) suggest the
/// runtime tolerates a missing final `)` (○).
const KNOWN_BAD: &[&str] = &[
    // Unbalanced parentheses.
    "( proxy.pathsuffix MatchesPath \"/axpublisher/**\" and (request.verb = \"POST\")",
    "(scope JavaRegex \".*(^| )(urn:nhsd:apim:user-nhs-id:aal3:personal-demographics-service|urn:nhsd:apim:user-nhs-cis2:aal[23]:personal-demographics-service|personal-demographics-service:USER-RESTRICTED)( |$).*\") or ((scope JavaRegex \".*(^| )urn:nhsd:apim:app:level3:personal-demographics-service( |$).*\" and apim-app-flow-vars.pds.app-restricted.update Is \"true\")",
    "((proxy.pathsuffix MatchesPath \"/token\") and (request.verb Equals \"POST\") and (request.formparam.grant_type Is null)",
    "((proxy.pathsuffix MatchesPath \"/token\") and (request.verb Equals \"POST\") and (request.formparam.grant_type IsNot null)",
    // `/~` is a typo for `~/` (MatchesPath) in an old sample.
    "proxy.pathsuffix /~ \"/3leg/access_token\"",
    "proxy.pathsuffix /~ \"/3leg/request_token\"",
    "proxy.pathsuffix /~ \"/3leg/verifier\"",
];

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bundles");
    assert!(
        dir.is_dir(),
        "the shared test group needs {}: clone the project beside the workspace's shared/ folder",
        dir.display()
    );
    dir
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

/// Text of every `<Condition>…</Condition>` (possibly multi-line) outside comments,
/// XML-decoded.
fn conditions(xml: &str) -> Vec<String> {
    let xml = without_comments(xml);
    let mut out = Vec::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<Condition>") {
        rest = &rest[start + "<Condition>".len()..];
        let Some(end) = rest.find("</Condition>") else {
            break;
        };
        out.push(element_text(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

fn without_comments(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("-->")
            .map_or("", |end| &rest[start + end + 3..]);
    }
    out.push_str(rest);
    out
}

/// Character data: entities decoded outside `<![CDATA[…]]>` sections, kept inside.
fn element_text(raw: &str) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(start) = rest.find("<![CDATA[") {
        out.push_str(&xml_decode(&rest[..start]));
        let body = &rest[start + "<![CDATA[".len()..];
        let end = body.find("]]>").unwrap_or(body.len());
        out.push_str(&body[..end]);
        rest = body.get(end + 3..).unwrap_or("");
    }
    out.push_str(&xml_decode(rest));
    out
}

fn xml_decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest.find(';').map(|semi| (&rest[1..semi], semi + 1));
        let decoded = entity.and_then(|(name, len)| {
            let c = match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix('x') {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, len))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn xml_decoding() {
    assert_eq!(
        xml_decode("a &lt;= 1 &amp;&amp; b &gt; &quot;x&apos;&#65;&#x42;&bogus"),
        "a <= 1 && b > \"x'AB&bogus"
    );
    assert_eq!(
        conditions(
            "<Condition>a</Condition>\n<Condition>b\n c</Condition><!-- <Condition>x</Condition> -->\
             <Condition><![CDATA[ a &lt; \"<\" ]]> &lt;</Condition>"
        ),
        ["a", "b\n c", " a &lt; \"<\"  <"]
    );
}

#[test]
#[ignore = "needs ../shared beside the clone (the workspace corpus); run with `cargo test -- --ignored`"]
fn corpus_conditions_parse() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    xml_files(&dir, &mut files);
    let mut all: Vec<String> = Vec::new();
    for file in files {
        if let Ok(xml) = std::fs::read_to_string(&file) {
            all.extend(conditions(&xml));
        }
    }
    all.sort();
    all.dedup();
    let mut failed = Vec::new();
    let mut regexes = 0;
    let mut unsupported = Vec::new();
    for text in &all {
        match parse(text) {
            Ok(Some(e)) => {
                parse_ok(text);
                // Evaluation never panics, whatever is known.
                eval(&e, &MapEnv::new());
                eval(&e, &AllUnknown);
                for pattern in regex_literals(&e) {
                    regexes += 1;
                    if java_regex_matches(pattern, "probe") == Truth::Unknown {
                        unsupported.push(pattern.to_string());
                    }
                }
            }
            Ok(None) => {}
            Err(e) => failed.push((text.as_str(), e)),
        }
    }
    eprintln!(
        "{} distinct conditions, {} parse, {} fail",
        all.len(),
        all.len() - failed.len(),
        failed.len()
    );
    for (text, e) in &failed {
        eprintln!("  {text:?}: {e}");
    }
    eprintln!(
        "{regexes} JavaRegex literals, {} not evaluable:",
        unsupported.len()
    );
    for pattern in &unsupported {
        eprintln!("  {pattern:?}");
    }
    let unexpected: Vec<_> = failed
        .iter()
        .filter(|(t, _)| !KNOWN_BAD.contains(&t.trim()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
    let fixed: Vec<_> = KNOWN_BAD
        .iter()
        .filter(|bad| !failed.iter().any(|(t, _)| t.trim() == **bad))
        .collect();
    assert!(
        fixed.is_empty(),
        "listed as bad but parsed or absent: {fixed:#?}"
    );
}

struct AllUnknown;

impl Env for AllUnknown {
    fn lookup(&self, _: &str) -> Lookup {
        Lookup::Unknown
    }
}

/// Literal patterns of the `JavaRegex` comparisons in `e`.
fn regex_literals(e: &Expr) -> Vec<&str> {
    match &e.kind {
        ExprKind::Or(a, b) | ExprKind::And(a, b) => {
            let mut out = regex_literals(a);
            out.extend(regex_literals(b));
            out
        }
        ExprKind::Not(inner) => regex_literals(inner),
        ExprKind::Compare(Comparison {
            op: Op::JavaRegex,
            rhs:
                Operand {
                    kind: OperandKind::Str(pattern),
                    ..
                },
            ..
        }) => vec![pattern.as_str()],
        ExprKind::Compare(_) | ExprKind::Bare(_) => Vec::new(),
    }
}
