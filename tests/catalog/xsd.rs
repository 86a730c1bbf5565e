//! Reads the vendored schema files into element trees, with each file's includes, named types
//! and top-level element.

use oauthlint::parse::xml::{parse, Element};
use oauthlint::source::FileId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub struct Schemas {
    pub files: BTreeMap<String, SchemaFile>,
}

pub struct SchemaFile {
    pub includes: Vec<String>,
    /// `xs:complexType` and `xs:simpleType` declarations by name.
    pub types: BTreeMap<String, Element>,
    /// The file's top-level `xs:element`: a kind's root element.
    pub root: Option<Element>,
}

/// Reads every `.xsd` of `dir`.
pub fn read(dir: &Path) -> Schemas {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".xsd"))
        .collect();
    names.sort();
    let files = names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            let file = read_file(&name, &text);
            (name, file)
        })
        .collect();
    Schemas { files }
}

fn read_file(name: &str, text: &str) -> SchemaFile {
    let document = parse(FileId(0), text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    assert_eq!(local(&document.root), "schema", "{name}");
    let mut file = SchemaFile {
        includes: Vec::new(),
        types: BTreeMap::new(),
        root: None,
    };
    for child in document.root.elements() {
        match local(child) {
            "include" => file
                .includes
                .push(attribute(child, "schemaLocation").to_owned()),
            "complexType" | "simpleType" => {
                let type_name = attribute(child, "name").to_owned();
                file.types.insert(type_name, child.clone());
            }
            "element" => {
                assert!(file.root.is_none(), "{name}: two top-level elements");
                file.root = Some(child.clone());
            }
            other => panic!("{name}: unsupported top-level xs:{other}"),
        }
    }
    file
}

impl Schemas {
    /// `file` and every file it includes, directly or not.
    pub fn scope(&self, file: &str) -> BTreeSet<&str> {
        let mut scope = BTreeSet::new();
        let mut pending = vec![file];
        while let Some(name) = pending.pop() {
            let (name, schema) = self
                .files
                .get_key_value(name)
                .unwrap_or_else(|| panic!("{file} includes {name}, which is missing"));
            if scope.insert(name.as_str()) {
                pending.extend(schema.includes.iter().map(String::as_str));
            }
        }
        scope
    }

    /// The file, seen from `file`, that declares the type `name`.
    pub fn declaring(&self, file: &str, name: &str) -> (&str, &Element) {
        let found: Vec<(&str, &Element)> = self
            .scope(file)
            .into_iter()
            .filter_map(|f| self.files[f].types.get(name).map(|t| (f, t)))
            .collect();
        match found.as_slice() {
            [one] => *one,
            [] => panic!("{file}: type `{name}` is not declared"),
            _ => panic!("{file}: type `{name}` is declared twice"),
        }
    }
}

/// An element's name without its `xs:` prefix (the schemas write no other).
pub fn local(element: &Element) -> &str {
    element
        .name
        .strip_prefix("xs:")
        .unwrap_or_else(|| panic!("`{}` is not in the xs: namespace", element.name))
}

/// A required attribute's value.
pub fn attribute<'e>(element: &'e Element, name: &str) -> &'e str {
    optional(element, name).unwrap_or_else(|| panic!("<{}> has no `{name}`", element.name))
}

pub fn optional<'e>(element: &'e Element, name: &str) -> Option<&'e str> {
    element.attribute(name).map(|a| a.value.as_str())
}
