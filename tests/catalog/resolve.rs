//! Turns the schemas into the catalog: every kind's root type, and every type it reaches,
//! flattened (a derived type holds its base's attributes and elements) into one table.
//!
//! The schemas use `xs:include`, named and anonymous complex and simple types, extension and
//! restriction of complex and simple content, `xs:all`, `xs:sequence`, `xs:choice`, `xs:any`,
//! `xs:openContent`, enumerations, patterns, lengths and assertions. They use no `xs:group`,
//! `xs:attributeGroup`, `xs:union`, `xs:list`, element `ref`s or defaults: meeting one fails
//! the generator, so a new construct is handled on purpose rather than silently.

use super::assertions::{self, Meaning};
use super::model::{Attribute, Catalog, Element, Group, Kind, Platforms, Type, Value, UNBOUNDED};
use super::xsd::{attribute, local, optional, Schemas};
use oauthlint::parse::xml::Element as Node;
use std::collections::BTreeMap;

/// Where a type is declared: a built-in `xs:` type, or a file and the type's name (for a type
/// written inside a declaration, the path of elements that leads to it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Builtin(String),
    Declared { file: String, name: String },
}

/// Resolves the schemas' kinds and the types they reach; the overrides then change them through
/// its methods, and [`Resolver::finish`] gives the catalog.
pub struct Resolver<'s> {
    schemas: &'s Schemas,
    kinds: Vec<Kind>,
    /// The file each kind comes from (none for a kind the overrides add).
    kind_files: Vec<Option<String>>,
    ids: BTreeMap<Key, usize>,
    /// The table, in the order types are first met; a slot is reserved (with an empty type)
    /// before its type is resolved, so that a type may refer to itself.
    types: Vec<Type>,
    /// Named complex types already flattened, for the types derived from them.
    flattened: BTreeMap<Key, Type>,
    /// The kind's file: type names resolve among it and the files it includes, as an XSD
    /// processor reads them (an included file may use a type it does not include itself).
    scope: String,
}

impl<'s> Resolver<'s> {
    pub fn new(schemas: &'s Schemas) -> Resolver<'s> {
        let mut resolver = Resolver {
            schemas,
            kinds: Vec::new(),
            kind_files: Vec::new(),
            ids: BTreeMap::new(),
            types: Vec::new(),
            flattened: BTreeMap::new(),
            scope: String::new(),
        };
        for (file, schema) in &schemas.files {
            let Some(root) = &schema.root else {
                continue;
            };
            resolver.scope = file.clone();
            let root_type = resolver.element_type(file, root, "");
            resolver.kinds.push(Kind {
                name: attribute(root, "name").to_owned(),
                root: root_type,
                platforms: Platforms::All,
                deprecated: None,
            });
            resolver.kind_files.push(Some(file.clone()));
        }
        resolver
    }

    /// The catalog, its kinds sorted by name.
    pub fn finish(self) -> Catalog {
        let mut kinds = self.kinds;
        kinds.sort_by(|a, b| a.name.cmp(&b.name));
        Catalog {
            kinds,
            types: self.types,
        }
    }

    pub fn kind_mut(&mut self, name: &str) -> Option<&mut Kind> {
        self.kinds.iter_mut().find(|k| k.name == name)
    }

    pub fn add_kind(&mut self, kind: Kind) {
        self.kinds.push(kind);
        self.kind_files.push(None);
    }

    /// The type at `path`: a kind, then the names of elements each inside the one before.
    pub fn type_at(&mut self, path: &str) -> Option<&mut Type> {
        let id = self.type_id_at(path)?;
        Some(&mut self.types[id])
    }

    /// Adds a copy of type `id`, named `name`, for one element to change alone.
    pub fn copy_type(&mut self, id: usize, name: String) -> usize {
        let copy = Type {
            name,
            ..self.types[id].clone()
        };
        self.types.push(copy);
        self.types.len() - 1
    }

    pub fn type_id_at(&self, path: &str) -> Option<usize> {
        let mut names = path.split('/');
        let kind = names.next()?;
        let mut id = self.kinds.iter().find(|k| k.name == kind)?.root;
        for name in names {
            id = self.types[id].elements.iter().find(|e| e.name == name)?.ty;
        }
        Some(id)
    }

    /// The table index of a type an override names: `any` (`xs:anyType`), `empty` (no
    /// attributes, elements or text), a built-in `xs:` type, or a type of the schema of the kind
    /// `path` starts at.
    pub fn reference(&mut self, path: Option<&str>, reference: &str) -> usize {
        match reference {
            "any" => self.type_named("xs:anyType"),
            "empty" => self.id(Key::Builtin("empty".into()), |_| Type::new("empty")),
            _ if reference.starts_with("xs:") => self.type_named(reference),
            _ => {
                self.enter(path.expect("a path to find the schema type in"));
                self.type_named(reference)
            }
        }
    }

    /// The value of a simple type an override names, seen from the kind `path` starts at.
    pub fn value(&mut self, path: &str, reference: &str) -> Value {
        if reference.starts_with("xs:") {
            return self.value_of("", reference).0;
        }
        let file = self.enter(path);
        self.value_of(&file, reference).0
    }

    /// Resolves names in the schema of the kind `path` starts at, from now on; returns its file.
    fn enter(&mut self, path: &str) -> String {
        let kind = path.split('/').next().unwrap_or_default();
        let index = self.kinds.iter().position(|k| k.name == kind);
        let file = index.and_then(|i| self.kind_files[i].clone());
        let file =
            file.unwrap_or_else(|| panic!("{path}: not the path of a kind from the schemas"));
        self.scope.clone_from(&file);
        file
    }
}

/// How often a particle may occur, as a factor on the particles inside it.
#[derive(Clone, Copy)]
struct Occurs {
    min: u32,
    max: u32,
}

impl Occurs {
    const ONCE: Occurs = Occurs { min: 1, max: 1 };

    fn of(particle: &Node) -> Occurs {
        let min = optional(particle, "minOccurs").map_or(1, |v| v.parse().unwrap());
        let max = match optional(particle, "maxOccurs") {
            None => 1,
            Some("unbounded") => UNBOUNDED,
            Some(v) => v.parse().unwrap(),
        };
        Occurs { min, max }
    }

    fn times(self, inner: Occurs) -> Occurs {
        let multiply = |a: u32, b: u32| {
            if a == 0 || b == 0 {
                0
            } else if a == UNBOUNDED || b == UNBOUNDED {
                UNBOUNDED
            } else {
                a.saturating_mul(b)
            }
        };
        Occurs {
            min: multiply(self.min, inner.min),
            max: multiply(self.max, inner.max),
        }
    }
}

impl Resolver<'_> {
    /// The table index of `key`'s type, resolving it the first time.
    fn id(&mut self, key: Key, resolve: impl FnOnce(&mut Self) -> Type) -> usize {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.types.len();
        self.ids.insert(key, id);
        self.types.push(Type::new(""));
        let ty = resolve(self);
        self.types[id] = ty;
        id
    }

    /// The type of an `xs:element` declared in `file`, inside the type named `owner`.
    fn element_type(&mut self, file: &str, element: &Node, owner: &str) -> usize {
        let name = attribute(element, "name");
        let path = if owner.is_empty() {
            name.to_owned()
        } else {
            format!("{owner}/{name}")
        };
        if let Some(reference) = optional(element, "type") {
            return self.type_named(reference);
        }
        let inline: Vec<&Node> = element.elements().collect();
        match inline.as_slice() {
            // No type: xs:anyType.
            [] => self.type_named("xs:anyType"),
            [inline] => {
                let key = Key::Declared {
                    file: file.to_owned(),
                    name: path.clone(),
                };
                self.id(key, |r| r.declared_type(file, inline, &path))
            }
            _ => panic!("{file}: element {path} declares more than one type"),
        }
    }

    /// The table index of the type `reference` (`xs:string`, or a name) seen from `file`.
    fn type_named(&mut self, reference: &str) -> usize {
        if let Some(builtin) = reference.strip_prefix("xs:") {
            let key = Key::Builtin(reference.to_owned());
            return self.id(key, |_| builtin_type(builtin));
        }
        let (declaring, node) = self.schemas.declaring(&self.scope, reference);
        let key = Key::Declared {
            file: declaring.to_owned(),
            name: reference.to_owned(),
        };
        self.id(key, |r| r.declared_type(declaring, node, reference))
    }

    fn declared_type(&mut self, file: &str, node: &Node, name: &str) -> Type {
        match local(node) {
            "complexType" => self.complex(file, node, name),
            "simpleType" => {
                let (value, assertions) = self.simple(file, node, name);
                Type {
                    assertions,
                    ..Type::simple(name, value)
                }
            }
            other => panic!("{file}: unsupported xs:{other} as the type of {name}"),
        }
    }

    /// A named complex type, flattened, for a type derived from it.
    fn base(&mut self, base: &str) -> Type {
        if let Some(builtin) = base.strip_prefix("xs:") {
            return builtin_type(builtin);
        }
        let (declaring, node) = self.schemas.declaring(&self.scope, base);
        let key = Key::Declared {
            file: declaring.to_owned(),
            name: base.to_owned(),
        };
        if let Some(ty) = self.flattened.get(&key) {
            return ty.clone();
        }
        let ty = self.declared_type(declaring, node, base);
        self.flattened.insert(key, ty.clone());
        ty
    }

    fn complex(&mut self, file: &str, node: &Node, name: &str) -> Type {
        let mut ty = Type::new(name);
        let mut asserts = Vec::new();
        for child in node.elements() {
            match local(child) {
                "simpleContent" => ty = self.simple_content(file, child, name),
                "complexContent" => ty = self.complex_content(file, child, name, &mut asserts),
                _ => self.content(file, child, name, &mut ty, &mut asserts),
            }
        }
        if optional(node, "mixed") == Some("true") {
            ty.text = Some(Value::Text);
        }
        apply(&mut ty, &asserts, file);
        ty
    }

    /// A particle, attribute or assertion of a complex type (or of its derivation).
    fn content(
        &mut self,
        file: &str,
        node: &Node,
        owner: &str,
        ty: &mut Type,
        asserts: &mut Vec<String>,
    ) {
        match local(node) {
            "sequence" | "all" | "choice" => self.particle(file, node, owner, Occurs::ONCE, ty),
            "attribute" => {
                let attribute = self.attribute(file, node, owner);
                ty.attributes.retain(|a| a.name != attribute.name);
                ty.attributes.push(attribute);
            }
            "anyAttribute" => ty.any_attributes = true,
            // Open content is an `xs:any` allowed anywhere among the elements.
            "openContent" => ty.any_elements = true,
            "assert" => asserts.push(attribute(node, "test").to_owned()),
            other => panic!("{file}: unsupported xs:{other} in {owner}"),
        }
    }

    fn complex_content(
        &mut self,
        file: &str,
        node: &Node,
        name: &str,
        asserts: &mut Vec<String>,
    ) -> Type {
        let [derivation] = node.elements().collect::<Vec<_>>()[..] else {
            panic!("{file}: {name}: complexContent must hold one derivation");
        };
        let base = self.base(attribute(derivation, "base"));
        let mut ty = match local(derivation) {
            "extension" => base,
            // A restriction keeps its base's attributes and assertions, and states its content.
            "restriction" => Type {
                attributes: base.attributes,
                assertions: base.assertions,
                text: base
                    .text
                    .filter(|_| optional(node, "mixed") == Some("true")),
                ..Type::new(name)
            },
            other => panic!("{file}: unsupported xs:{other} in {name}"),
        };
        ty.name = name.to_owned();
        match optional(node, "mixed") {
            Some("true") => ty.text = ty.text.or(Some(Value::Text)),
            Some("false") => ty.text = None,
            _ => {}
        }
        for child in derivation.elements() {
            self.content(file, child, name, &mut ty, asserts);
        }
        ty
    }

    fn simple_content(&mut self, file: &str, node: &Node, name: &str) -> Type {
        let [derivation] = node.elements().collect::<Vec<_>>()[..] else {
            panic!("{file}: {name}: simpleContent must hold one derivation");
        };
        let base = attribute(derivation, "base");
        let mut ty = match base.strip_prefix("xs:") {
            Some(builtin) => builtin_type(builtin),
            None => {
                let (declaring, declared) = self.schemas.declaring(&self.scope, base);
                match local(declared) {
                    "simpleType" => {
                        let (value, assertions) = self.simple(declaring, declared, base);
                        Type {
                            assertions,
                            ..Type::simple(name, value)
                        }
                    }
                    _ => self.base(base),
                }
            }
        };
        ty.name = name.to_owned();
        let restriction = match local(derivation) {
            "extension" => false,
            "restriction" => true,
            other => panic!("{file}: unsupported xs:{other} in {name}"),
        };
        let mut asserts = Vec::new();
        for child in derivation.elements() {
            match local(child) {
                // A restriction of simple content may narrow its text to a simple type.
                "simpleType" if restriction => {
                    let (value, assertions) = self.simple(file, child, name);
                    ty.text = Some(value);
                    ty.assertions.extend(assertions);
                }
                _ => self.content(file, child, name, &mut ty, &mut asserts),
            }
        }
        apply(&mut ty, &asserts, file);
        ty
    }

    /// Adds the elements of a particle, occurring `outer` times, to `ty`.
    fn particle(&mut self, file: &str, node: &Node, owner: &str, outer: Occurs, ty: &mut Type) {
        let occurs = outer.times(Occurs::of(node));
        match local(node) {
            "element" => {
                let element = Element {
                    name: attribute(node, "name").to_owned(),
                    min: occurs.min,
                    max: occurs.max,
                    ty: self.element_type(file, node, owner),
                    platforms: Platforms::All,
                    deprecated: None,
                };
                add_element(ty, element, file);
            }
            "any" => ty.any_elements = true,
            "sequence" | "all" => {
                for child in node.elements() {
                    self.particle(file, child, owner, occurs, ty);
                }
            }
            "choice" => {
                let alternatives: Vec<&Node> = node.elements().collect();
                if alternatives.len() == 1 {
                    return self.particle(file, alternatives[0], owner, occurs, ty);
                }
                // Each alternative may be left out, and may repeat as often as the choice.
                let each = Occurs {
                    min: 0,
                    max: occurs.max,
                };
                for alternative in &alternatives {
                    self.particle(file, alternative, owner, each, ty);
                }
                choice_group(ty, &alternatives, occurs);
            }
            other => panic!("{file}: unsupported xs:{other} in {owner}"),
        }
    }

    fn attribute(&mut self, file: &str, node: &Node, owner: &str) -> Attribute {
        let name = attribute(node, "name").to_owned();
        let required = match optional(node, "use") {
            None | Some("optional") => false,
            Some("required") => true,
            Some(other) => panic!("{file}: {owner}/@{name}: unsupported use=\"{other}\""),
        };
        let value = match optional(node, "type") {
            // No type: xs:anySimpleType.
            None => Value::Text,
            Some(reference) => self.value_of(file, reference).0,
        };
        Attribute {
            name,
            required,
            value,
            platforms: Platforms::All,
            value_platforms: Platforms::All,
        }
    }

    /// The value type a simple type `reference` names, and its assertions not understood.
    fn value_of(&mut self, file: &str, reference: &str) -> (Value, Vec<String>) {
        if let Some(builtin) = reference.strip_prefix("xs:") {
            return (builtin_value(builtin), Vec::new());
        }
        let (declaring, node) = self.schemas.declaring(&self.scope, reference);
        assert_eq!(
            local(node),
            "simpleType",
            "{file}: {reference} is not a simple type"
        );
        self.simple(declaring, node, reference)
    }

    fn simple(&mut self, file: &str, node: &Node, name: &str) -> (Value, Vec<String>) {
        let [restriction] = node.elements().collect::<Vec<_>>()[..] else {
            panic!("{file}: simpleType {name} must hold one restriction");
        };
        assert_eq!(local(restriction), "restriction", "{file}: {name}");
        let (mut value, mut assertions) = self.value_of(file, attribute(restriction, "base"));
        let mut enumeration = Vec::new();
        let mut length = (0, UNBOUNDED);
        for facet in restriction.elements() {
            let facet_value = || attribute(facet, "value").to_owned();
            match local(facet) {
                "enumeration" => enumeration.push(facet_value()),
                "pattern" => value = Value::Pattern(facet_value()),
                "minLength" => length.0 = facet_value().parse().unwrap(),
                "maxLength" => length.1 = facet_value().parse().unwrap(),
                "assertion" => {
                    let test = attribute(facet, "test");
                    match assertions::on_value(test) {
                        Some(understood) => value = understood,
                        None => assertions.push(assertions::normalize(test)),
                    }
                }
                other => panic!("{file}: unsupported facet xs:{other} in {name}"),
            }
        }
        if !enumeration.is_empty() {
            value = Value::OneOf(enumeration);
        }
        if length != (0, UNBOUNDED) {
            assert_eq!(
                value,
                Value::Text,
                "{file}: {name}: a length on a non-text value"
            );
            value = Value::Length {
                min: length.0,
                max: length.1,
            };
        }
        (value, assertions)
    }
}

fn builtin_value(name: &str) -> Value {
    match name {
        "boolean" => Value::Boolean,
        "integer" => Value::Integer,
        "string" | "anyURI" | "NCName" | "NMTOKEN" | "anySimpleType" => Value::Text,
        other => panic!("unsupported built-in type xs:{other}"),
    }
}

fn builtin_type(name: &str) -> Type {
    let full = format!("xs:{name}");
    match name {
        // Any attribute, any element, any text.
        "anyType" => Type {
            any_elements: true,
            any_attributes: true,
            text: Some(Value::Text),
            ..Type::new(full)
        },
        _ => Type::simple(full, builtin_value(name)),
    }
}

/// Adds an element a type's content declares, once: the schemas never declare one name twice
/// in a type, and meeting that fails the generator.
fn add_element(ty: &mut Type, element: Element, file: &str) {
    assert!(
        ty.element_mut(&element.name).is_none(),
        "{file}: {} declares <{}> twice",
        ty.name,
        element.name
    );
    ty.elements.push(element);
}

/// The group a choice of several elements makes: at least one when the choice must occur (and
/// each alternative must then appear), at most one when it occurs once.
fn choice_group(ty: &mut Type, alternatives: &[&Node], occurs: Occurs) {
    let names: Option<Vec<String>> = alternatives
        .iter()
        .map(|a| (local(a) == "element").then(|| attribute(a, "name").to_owned()))
        .collect();
    let names = names.expect("a choice of elements only");
    let each_required = alternatives.iter().all(|a| Occurs::of(a).min >= 1);
    let min = u32::from(occurs.min >= 1 && each_required);
    let max = if occurs.max == 1 {
        1
    } else {
        names.len() as u32
    };
    if min > 0 || max < names.len() as u32 {
        ty.groups.push(Group { names, min, max });
    }
}

/// Applies a type's own assertions: those the catalog understands tighten its elements or add
/// groups; the others are kept as written.
fn apply(ty: &mut Type, asserts: &[String], file: &str) {
    for test in asserts {
        let meaning = assertions::on_type(test);
        let known = |ty: &Type, name: &str| ty.elements.iter().any(|e| e.name == name);
        match meaning {
            Some(Meaning::Bounds(bounds)) if bounds.iter().all(|b| known(ty, &b.name)) => {
                for bound in bounds {
                    let element = ty.element_mut(&bound.name).unwrap();
                    element.min = element.min.max(bound.min);
                    element.max = element.max.min(bound.max);
                    assert!(
                        element.min <= element.max,
                        "{file}: {} contradicts",
                        ty.name
                    );
                }
            }
            Some(Meaning::Group { names, min, max }) if names.iter().all(|n| known(ty, n)) => {
                ty.groups.push(Group { names, min, max });
            }
            Some(Meaning::Text(text)) => ty.text = text,
            _ => ty.assertions.push(assertions::normalize(test)),
        }
    }
}
