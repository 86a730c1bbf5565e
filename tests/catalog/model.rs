//! The catalog as the generator builds it: the same shape as `oauthlint::catalog`'s tables,
//! with owned strings and type indexes.

/// `u32::MAX`, written `UNBOUNDED` in the generated file.
pub const UNBOUNDED: u32 = u32::MAX;

#[derive(Default)]
pub struct Catalog {
    pub kinds: Vec<Kind>,
    pub types: Vec<Type>,
}

pub struct Kind {
    pub name: String,
    pub root: usize,
    pub platforms: Platforms,
    /// What Apigee says to use instead, when it deprecated the kind.
    pub deprecated: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Type {
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub elements: Vec<Element>,
    pub text: Option<Value>,
    pub any_elements: bool,
    pub any_attributes: bool,
    pub groups: Vec<Group>,
    pub assertions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub min: u32,
    pub max: u32,
    pub ty: usize,
    pub platforms: Platforms,
    /// What Apigee says to use instead, when it deprecated the element.
    pub deprecated: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub required: bool,
    pub value: Value,
    pub platforms: Platforms,
    /// The platforms that refuse a value outside `value`.
    pub value_platforms: Platforms,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub names: Vec<String>,
    pub min: u32,
    pub max: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text,
    Boolean,
    Integer,
    OneOf(Vec<String>),
    Pattern(String),
    Length { min: u32, max: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platforms {
    All,
    X,
    Edge,
}

impl Type {
    pub fn new(name: impl Into<String>) -> Type {
        Type {
            name: name.into(),
            attributes: Vec::new(),
            elements: Vec::new(),
            text: None,
            any_elements: false,
            any_attributes: false,
            groups: Vec::new(),
            assertions: Vec::new(),
        }
    }

    /// A type that holds only text of `value`.
    pub fn simple(name: impl Into<String>, value: Value) -> Type {
        Type {
            text: Some(value),
            ..Type::new(name)
        }
    }

    pub fn element_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements.iter_mut().find(|e| e.name == name)
    }
}
