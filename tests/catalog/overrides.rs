//! `catalog/overrides.toml`: where the schemas are wrong about bundles Apigee deploys, or say
//! nothing of Apigee Edge, the correction, each with the evidence for it (`why`).
//!
//! An entry names a type by a path of elements from a kind's root (`ProxyEndpoint/Flows/Flow`)
//! and changes that type, so every element of that type. An entry that changes nothing (its
//! path, element or attribute is not there, or is already so) fails the generator, so that an
//! update of the schemas that fixes a gap shows which override to drop.

use super::model::{Attribute, Element, Kind, Platforms, Type, Value, UNBOUNDED};
use super::resolve::Resolver;
use toml::de::{DeTable, DeValue};

pub struct Overrides {
    kinds: Vec<Fields>,
    elements: Vec<Fields>,
    attributes: Vec<Fields>,
    texts: Vec<Fields>,
}

/// One entry's fields; each is read once, and any left unread is an error.
struct Fields {
    entry: String,
    fields: Vec<(String, Field)>,
}

#[derive(Clone)]
enum Field {
    Text(String),
    Number(u32),
    Flag(bool),
    List(Vec<String>),
}

pub fn read(text: &str) -> Overrides {
    let table = DeTable::parse(text).unwrap_or_else(|e| panic!("overrides.toml: {}", e.message()));
    let mut overrides = Overrides {
        kinds: Vec::new(),
        elements: Vec::new(),
        attributes: Vec::new(),
        texts: Vec::new(),
    };
    for (key, value) in table.get_ref().iter() {
        let key = key.get_ref().as_ref();
        let list = match key {
            "kind" => &mut overrides.kinds,
            "element" => &mut overrides.elements,
            "attribute" => &mut overrides.attributes,
            "text" => &mut overrides.texts,
            other => panic!("overrides.toml: unknown table [[{other}]]"),
        };
        let entries = value.get_ref().as_array().expect("an array of tables");
        for (i, entry) in entries.iter().enumerate() {
            let entry_name = format!("[[{key}]] #{}", i + 1);
            list.push(fields(&entry_name, entry.get_ref()));
        }
    }
    overrides
}

fn fields(entry: &str, value: &DeValue) -> Fields {
    let table = value
        .as_table()
        .unwrap_or_else(|| panic!("{entry}: not a table"));
    let fields = table
        .iter()
        .map(|(key, value)| {
            let field = match value.get_ref() {
                DeValue::String(s) => Field::Text(s.to_string()),
                DeValue::Integer(n) => Field::Number(n.as_str().parse().unwrap()),
                DeValue::Boolean(b) => Field::Flag(*b),
                DeValue::Array(items) => Field::List(
                    items
                        .iter()
                        .map(|i| i.get_ref().as_str().expect("strings").to_owned())
                        .collect(),
                ),
                other => panic!("{entry}: `{}` is a {}", key.get_ref(), other.type_str()),
            };
            (key.get_ref().to_string(), field)
        })
        .collect();
    let mut fields = Fields {
        entry: entry.to_owned(),
        fields,
    };
    let why = fields.text("why");
    assert!(
        why.is_some_and(|w| !w.trim().is_empty()),
        "{entry}: no `why`"
    );
    fields
}

impl Fields {
    fn take(&mut self, name: &str) -> Option<Field> {
        let at = self.fields.iter().position(|(n, _)| n == name)?;
        Some(self.fields.remove(at).1)
    }

    fn text(&mut self, name: &str) -> Option<String> {
        match self.take(name)? {
            Field::Text(text) => Some(text),
            _ => panic!("{}: `{name}` must be a string", self.entry),
        }
    }

    fn required(&mut self, name: &str) -> String {
        let entry = self.entry.clone();
        self.text(name)
            .unwrap_or_else(|| panic!("{entry}: no `{name}`"))
    }

    fn number(&mut self, name: &str) -> Option<u32> {
        match self.take(name)? {
            Field::Number(n) => Some(n),
            Field::Text(t) if t == "unbounded" => Some(UNBOUNDED),
            _ => panic!("{}: `{name}` must be a number or \"unbounded\"", self.entry),
        }
    }

    fn flag(&mut self, name: &str) -> Option<bool> {
        match self.take(name)? {
            Field::Flag(b) => Some(b),
            _ => panic!("{}: `{name}` must be true or false", self.entry),
        }
    }

    fn list(&mut self, name: &str) -> Option<Vec<String>> {
        match self.take(name)? {
            Field::List(items) => Some(items),
            _ => panic!("{}: `{name}` must be a list of strings", self.entry),
        }
    }

    fn platforms(&mut self) -> Option<Platforms> {
        self.platforms_of("platforms")
    }

    fn platforms_of(&mut self, name: &str) -> Option<Platforms> {
        let entry = self.entry.clone();
        self.text(name).map(|p| match p.as_str() {
            "all" => Platforms::All,
            "x" => Platforms::X,
            "edge" => Platforms::Edge,
            other => panic!("{entry}: `{other}` is not all, x or edge"),
        })
    }

    /// Fails on a field no one read: a misspelt key must not pass for a correction.
    fn done(self) {
        let unread: Vec<&str> = self.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert!(unread.is_empty(), "{}: unknown keys {unread:?}", self.entry);
    }
}

/// Applies every entry, kinds first (a later path may start at a kind an entry adds).
pub fn apply(overrides: Overrides, resolver: &mut Resolver) {
    for mut fix in overrides.kinds {
        kind(&mut fix, resolver);
        fix.done();
    }
    for mut fix in overrides.elements {
        element(&mut fix, resolver);
        fix.done();
    }
    for mut fix in overrides.attributes {
        attribute(&mut fix, resolver);
        fix.done();
    }
    for mut fix in overrides.texts {
        text(&mut fix, resolver);
        fix.done();
    }
}

/// `[[kind]]`: renames a kind (`renames`: the schema's name), adds one whose structure the
/// schemas do not describe (`type`), says which platforms have it, or that Apigee deprecated
/// it (`deprecated`: what to use instead).
fn kind(fix: &mut Fields, resolver: &mut Resolver) {
    let name = fix.required("name");
    let entry = fix.entry.clone();
    let platforms = fix.platforms();
    let deprecated = fix.text("deprecated");
    if let Some(old) = fix.text("renames") {
        let kind = resolver
            .kind_mut(&old)
            .unwrap_or_else(|| panic!("{entry}: no kind {old}"));
        kind.name = name.clone();
    }
    if let Some(reference) = fix.text("type") {
        assert!(
            resolver.kind_mut(&name).is_none(),
            "{entry}: {name} is in the schemas"
        );
        let root = resolver.reference(None, &reference);
        let platforms = Platforms::All;
        resolver.add_kind(Kind {
            name: name.clone(),
            root,
            platforms,
            deprecated: None,
        });
    }
    let kind = resolver
        .kind_mut(&name)
        .unwrap_or_else(|| panic!("{entry}: no kind {name}"));
    if let Some(platforms) = platforms {
        assert_ne!(kind.platforms, platforms, "{entry}: changes nothing");
        kind.platforms = platforms;
    }
    if deprecated.is_some() {
        kind.deprecated = deprecated;
    }
}

/// `[[element]]`: adds an element to the type at `at`, or changes one (`renames`: the
/// schema's name for it; `min`, `max`, `type`, `platforms`, `deprecated`: what to use instead,
/// `group_max`: how many of the group of alternatives it is in may appear; `own_type`: the
/// element gets a copy of its type, which later entries at its path change alone; `removed`:
/// the element is not there, so it is unknown where it is written).
fn element(fix: &mut Fields, resolver: &mut Resolver) {
    let at = fix.required("at");
    let name = fix.required("name");
    let entry = fix.entry.clone();
    let renames = fix.text("renames");
    let reference = fix.text("type");
    let mut ty = reference.map(|r| resolver.reference(Some(&at), &r));
    if let Some(other) = fix.text("same_as") {
        let id = resolver.type_id_at(&other);
        ty = Some(id.unwrap_or_else(|| panic!("{entry}: no type at {other}")));
    }
    if fix.flag("own_type") == Some(true) {
        let path = format!("{at}/{name}");
        let id = resolver
            .type_id_at(&path)
            .unwrap_or_else(|| panic!("{entry}: no type at {path}"));
        let shared = resolver.type_at(&path).unwrap().name.clone();
        ty = Some(resolver.copy_type(id, format!("{shared} of {path}")));
    }
    if fix.flag("removed") == Some(true) {
        let target = resolver
            .type_at(&at)
            .unwrap_or_else(|| panic!("{entry}: no type at {at}"));
        let before = target.elements.len();
        target.elements.retain(|e| e.name != name);
        assert_ne!(
            before,
            target.elements.len(),
            "{entry}: {at} has no <{name}>"
        );
        for group in &mut target.groups {
            group.names.retain(|n| *n != name);
        }
        // A group left with one element is that element, required if the group was.
        let lone: Vec<(String, u32)> = (target.groups.iter())
            .filter(|g| g.names.len() == 1)
            .map(|g| (g.names[0].clone(), g.min))
            .collect();
        for (lone, min) in lone {
            let element = target.element_mut(&lone).unwrap();
            element.min = element.min.max(min);
        }
        target.groups.retain(|g| g.names.len() > 1);
        return;
    }
    let (min, max, platforms) = (fix.number("min"), fix.number("max"), fix.platforms());
    let deprecated = fix.text("deprecated");
    let with = fix.text("in_group_with");
    let group_max = fix.number("group_max");
    let target = resolver
        .type_at(&at)
        .unwrap_or_else(|| panic!("{entry}: no type at {at}"));
    let before = target.clone();
    if let Some(old) = &renames {
        let element = target
            .element_mut(old)
            .unwrap_or_else(|| panic!("{entry}: {at} has no <{old}>"));
        element.name = name.clone();
        for group in &mut target.groups {
            for n in group.names.iter_mut().filter(|n| *n == old) {
                n.clone_from(&name);
            }
        }
    }
    if target.element_mut(&name).is_none() {
        let ty = ty.unwrap_or_else(|| panic!("{entry}: a new element needs a `type`"));
        target.elements.push(Element {
            name: name.clone(),
            min: 0,
            max: 1,
            ty,
            platforms: Platforms::All,
            deprecated: None,
        });
    } else if let Some(ty) = ty {
        target.element_mut(&name).unwrap().ty = ty;
    }
    let element = target.element_mut(&name).unwrap();
    element.min = min.unwrap_or(element.min);
    element.max = max.unwrap_or(element.max);
    element.platforms = platforms.unwrap_or(element.platforms);
    if deprecated.is_some() {
        element.deprecated = deprecated;
    }
    if let Some(with) = with {
        let group = target
            .groups
            .iter_mut()
            .find(|g| g.names.contains(&with))
            .unwrap_or_else(|| panic!("{entry}: {at} has no group with <{with}>"));
        group.names.push(name.clone());
    }
    if let Some(max) = group_max {
        let group = target
            .groups
            .iter_mut()
            .find(|g| g.names.contains(&name))
            .unwrap_or_else(|| panic!("{entry}: <{name}> of {at} is in no group"));
        group.max = max;
    }
    assert_ne!(*target, before, "{entry}: changes nothing");
}

/// `[[attribute]]`: adds an attribute to the type at `at`, or changes one.
fn attribute(fix: &mut Fields, resolver: &mut Resolver) {
    let at = fix.required("at");
    let name = fix.required("name");
    let entry = fix.entry.clone();
    let value = fix.text("type").map(|r| resolver.value(&at, &r));
    let value = value.or_else(|| fix.list("values").map(Value::OneOf));
    let (required, platforms) = (fix.flag("required"), fix.platforms());
    let value_platforms = fix.platforms_of("values_on");
    let target = resolver
        .type_at(&at)
        .unwrap_or_else(|| panic!("{entry}: no type at {at}"));
    let before = target.clone();
    if !target.attributes.iter().any(|a| a.name == name) {
        let value = value
            .clone()
            .unwrap_or_else(|| panic!("{entry}: a new attribute needs a `type`"));
        target.attributes.push(Attribute {
            name: name.clone(),
            required: false,
            value,
            platforms: Platforms::All,
            value_platforms: Platforms::All,
        });
    }
    let attribute = target
        .attributes
        .iter_mut()
        .find(|a| a.name == name)
        .unwrap();
    attribute.value = value.unwrap_or(attribute.value.clone());
    attribute.required = required.unwrap_or(attribute.required);
    attribute.platforms = platforms.unwrap_or(attribute.platforms);
    attribute.value_platforms = value_platforms.unwrap_or(attribute.value_platforms);
    assert_ne!(*target, before, "{entry}: changes nothing");
}

/// `[[text]]`: changes the text the type at `at` holds: `type` (or `none`), or more values
/// of its enumeration (`add`).
fn text(fix: &mut Fields, resolver: &mut Resolver) {
    let at = fix.required("at");
    let entry = fix.entry.clone();
    let value = fix.text("type").map(|r| match r.as_str() {
        "none" => None,
        _ => Some(resolver.value(&at, &r)),
    });
    let add = fix.list("add");
    let target: &mut Type = resolver
        .type_at(&at)
        .unwrap_or_else(|| panic!("{entry}: no type at {at}"));
    let before = target.clone();
    if let Some(value) = value {
        target.text = value;
    }
    if let Some(add) = add {
        match &mut target.text {
            Some(Value::OneOf(values)) => values.extend(add),
            _ => panic!("{entry}: {at} holds no enumeration"),
        }
    }
    assert_ne!(*target, before, "{entry}: changes nothing");
}
