//! The files under a bundle's `resources/` (scripts, stylesheets, specifications, properties):
//! listed at load, read only when a rule asks, since most runs never look inside them. The
//! JavaScript policy's scripts are read at load, their text kept for the findings' snippets, and
//! parsed when a rule first asks.

use super::Script;
use crate::catalog::Platforms;
use crate::parse::javascript;
use crate::source::{FileId, SourceDb, Span};
use std::sync::OnceLock;

/// How the loader reads one resource later: from disk, from a zipped bundle, from memory.
pub trait Fetch: Send + Sync {
    /// The file's bytes, or why they cannot be had.
    fn fetch(&self) -> Result<Vec<u8>, String>;
}

/// Bytes already in memory (an editor's buffer, files given by a test), or why there are none.
impl Fetch for Result<Vec<u8>, String> {
    fn fetch(&self) -> Result<Vec<u8>, String> {
        self.clone()
    }
}

/// A resource as the loader hands it over.
pub struct ResourceFile {
    /// The path shown in findings.
    pub path: String,
    /// The path inside the bundle folder (`resources/jsc/a.js`).
    pub relative: String,
    pub fetch: Box<dyn Fetch>,
}

/// The folder a resource sits in, which says what it is (`jsc://a.js` names `resources/jsc/a.js`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    Jsc,
    Js,
    Java,
    Py,
    Node,
    Hosted,
    Xsl,
    Wsdl,
    Xsd,
    Oas,
    Properties,
    Graphql,
    SecurityPolicy,
    /// Any other folder, as named; empty for a file directly in `resources/`.
    Other(String),
}

pub struct Resource {
    pub kind: ResourceKind,
    /// The path below the kind's folder: `a.js`, `lib/util.js`.
    pub name: String,
    /// The path inside the bundle folder: `resources/jsc/a.js`.
    pub relative: String,
    /// The file in the source database, to point a finding at; its text there stays empty but
    /// for a script.
    pub file: FileId,
    /// Whether its text is in the sources: true for a readable file of `resources/jsc/`.
    is_script: bool,
    script: OnceLock<Script>,
    fetch: Box<dyn Fetch>,
    content: OnceLock<Result<Vec<u8>, String>>,
}

const FOLDER: &str = "resources/";

/// The type of a resource from its path inside the bundle (`resources/jsc/a.js`), and its name
/// below the type's folder (`a.js`).
pub fn kind_and_name(relative: &str) -> (ResourceKind, &str) {
    let inside = relative.strip_prefix(FOLDER).unwrap_or(relative);
    let (kind, name) = inside.split_once('/').unwrap_or(("", inside));
    (ResourceKind::of(kind), name)
}

/// True for a file of a bundle's `resources/` folder (`relative` is inside the bundle folder).
pub fn is_resource(relative: &str) -> bool {
    relative.len() > FOLDER.len() && relative.starts_with(FOLDER) && !super::is_hidden(relative)
}

impl ResourceKind {
    fn of(folder: &str) -> ResourceKind {
        match folder {
            "jsc" => ResourceKind::Jsc,
            "js" => ResourceKind::Js,
            "java" => ResourceKind::Java,
            "py" => ResourceKind::Py,
            "node" => ResourceKind::Node,
            "hosted" => ResourceKind::Hosted,
            "xsl" => ResourceKind::Xsl,
            "wsdl" => ResourceKind::Wsdl,
            "xsd" => ResourceKind::Xsd,
            "oas" => ResourceKind::Oas,
            "properties" => ResourceKind::Properties,
            "graphql" => ResourceKind::Graphql,
            "securityPolicy" => ResourceKind::SecurityPolicy,
            other => ResourceKind::Other(other.to_owned()),
        }
    }

    /// The platforms that have the type, `None` for a folder that is no type of Apigee's. Apigee
    /// X's "Manage resources" lists graphql, java, js, jsc, oas, properties, py, securityPolicy,
    /// wsdl, xsd and xsl; Edge's adds hosted and node, its Node.js targets. Whether Edge has the
    /// types X added is not known, so they count for every platform.
    pub fn platforms(&self) -> Option<Platforms> {
        match self {
            ResourceKind::Node | ResourceKind::Hosted => Some(Platforms::Edge),
            ResourceKind::Other(_) => None,
            _ => Some(Platforms::All),
        }
    }

    /// Whether the type's files serve only where a policy names them by URL (`jsc://a.js`, see
    /// [`crate::catalog::resources`]): JavaScript, Python, XSL, XSD, WSDL, OpenAPI and GraphQL
    /// files and Java archives. Not judged: properties files, read as `propertyset.*` variables;
    /// Node.js and hosted files, run by targets; `js`, `securityPolicy` and other folders.
    pub fn named_by_policies(&self) -> bool {
        matches!(
            self,
            ResourceKind::Jsc
                | ResourceKind::Py
                | ResourceKind::Xsl
                | ResourceKind::Xsd
                | ResourceKind::Wsdl
                | ResourceKind::Oas
                | ResourceKind::Graphql
                | ResourceKind::Java
        )
    }

    /// Whether a policy that names one file of the type uses them all: the JavaCallout's
    /// archive runs with every JAR of `resources/java/` on its class path, where the JavaCallout
    /// reference puts the libraries it depends on.
    pub fn used_together(&self) -> bool {
        *self == ResourceKind::Java
    }

    /// Whether files of the type may name others of the bundle (`xsl:include`, an XSD's or a
    /// WSDL's import, an OpenAPI `$ref`), which are then used without a policy naming them.
    pub fn may_include_others(&self) -> bool {
        matches!(
            self,
            ResourceKind::Xsl | ResourceKind::Xsd | ResourceKind::Wsdl | ResourceKind::Oas
        )
    }

    /// The folder's name, as in a resource URL.
    pub fn as_str(&self) -> &str {
        match self {
            ResourceKind::Jsc => "jsc",
            ResourceKind::Js => "js",
            ResourceKind::Java => "java",
            ResourceKind::Py => "py",
            ResourceKind::Node => "node",
            ResourceKind::Hosted => "hosted",
            ResourceKind::Xsl => "xsl",
            ResourceKind::Wsdl => "wsdl",
            ResourceKind::Xsd => "xsd",
            ResourceKind::Oas => "oas",
            ResourceKind::Properties => "properties",
            ResourceKind::Graphql => "graphql",
            ResourceKind::SecurityPolicy => "securityPolicy",
            ResourceKind::Other(folder) => folder,
        }
    }
}

impl Resource {
    /// `file` (under `resources/`, see [`is_resource`]), shown as the source `id`.
    pub fn new(file: ResourceFile, id: FileId) -> Resource {
        let (kind, name) = kind_and_name(&file.relative);
        Resource {
            kind,
            name: name.to_owned(),
            relative: file.relative.clone(),
            file: id,
            is_script: false,
            script: OnceLock::new(),
            fetch: file.fetch,
            content: OnceLock::new(),
        }
    }

    /// A script of `resources/jsc/` already read, its decoded text given to the sources as `id`
    /// when the `content` could be read.
    pub fn read_script(
        file: ResourceFile,
        id: FileId,
        content: Result<Vec<u8>, String>,
    ) -> Resource {
        Resource {
            is_script: content.is_ok(),
            content: OnceLock::from(content),
            ..Resource::new(file, id)
        }
    }

    /// Where a finding about the whole file points.
    pub fn span(&self) -> Span {
        Span::new(self.file, 0..0)
    }

    /// How a policy names it: `jsc://a.js`.
    pub fn url(&self) -> String {
        format!("{}://{}", self.kind.as_str(), self.name)
    }

    /// The parsed script, for a readable file of `resources/jsc/`: parsed on the first call, from
    /// its text in `sources`.
    pub fn script(&self, sources: &SourceDb) -> Option<&Script> {
        self.is_script.then(|| {
            self.script
                .get_or_init(|| javascript::parse(self.file, &sources.get(self.file).text))
        })
    }

    /// The file's bytes, read on the first call; or why they cannot be had.
    pub fn content(&self) -> Result<&[u8], &str> {
        match self.content.get_or_init(|| self.fetch.fetch()) {
            Ok(bytes) => Ok(bytes),
            Err(message) => Err(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;
    use super::*;
    use crate::model::Syntax;

    #[test]
    fn resources_are_listed_by_kind_and_name() {
        let project = project(&[
            ("apiproxy/resources/py/b.py", "print()"),
            ("apiproxy/resources/jsc/a.js", "var a;"),
            ("apiproxy/resources/node/lib/util.js", ""),
            ("apiproxy/resources/readme.txt", ""),
            ("apiproxy/manifests/manifest.xml", "<Manifest/>"),
        ]);
        let resources = &project.bundles[0].resources;
        let listed: Vec<(&str, &str, String)> = resources
            .iter()
            .map(|r| (r.kind.as_str(), r.name.as_str(), r.url()))
            .collect();
        assert_eq!(
            listed,
            [
                ("jsc", "a.js", "jsc://a.js".to_owned()),
                ("node", "lib/util.js", "node://lib/util.js".to_owned()),
                ("py", "b.py", "py://b.py".to_owned()),
                ("", "readme.txt", "://readme.txt".to_owned()),
            ]
        );
        assert_eq!(resources[0].kind, ResourceKind::Jsc);
        assert_eq!(resources[3].kind, ResourceKind::Other(String::new()));
        let a = &resources[0];
        assert_eq!(a.relative, "resources/jsc/a.js");
        assert_eq!(
            project.sources.path(a.file),
            "p/apiproxy/resources/jsc/a.js"
        );
        assert_eq!(a.content(), Ok(&b"var a;"[..]));
        assert_eq!(project.files_read, 0, "no XML file was read");
    }

    #[test]
    fn only_scripts_are_read_at_load_their_text_kept_in_the_sources() {
        let project = project(&[
            ("apiproxy/resources/jsc/a.js", "var a = ;"),
            ("apiproxy/resources/py/b.py", "print()"),
        ]);
        let [script, other] = &project.bundles[0].resources[..] else {
            panic!("two resources");
        };
        assert_eq!(project.sources.get(script.file).text, "var a = ;");
        let syntax = script.script(&project.sources).map(|s| &s.syntax);
        assert!(matches!(syntax, Some(Syntax::Invalid { .. })));
        assert_eq!(project.sources.get(other.file).text, "", "read when asked");
        assert!(other.script(&project.sources).is_none());
    }
}
