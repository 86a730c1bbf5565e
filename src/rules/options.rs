//! Typed rule options (selene's `type Config`): a rule declares a serde struct and reads it
//! through its context; `oauthlint.toml` sets it beside the level, as
//! `rule-name = { level = "warning", max-labels = 5 }`.
//!
//! The struct is the one source of the options' names, defaults and so types (its `Default`,
//! serialized); the rule's page is the one source of what each option means, in its
//! `## Options` section, one item an option:
//! ``- `max-labels` (integer, default `3`): how many places are labelled.``

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::sync::Arc;
use toml::de::{DeValue, ValueDeserializer};
use toml::Spanned;

/// What an options type must be: read from TOML, written as JSON by `oauthlint rules`, with a
/// default for every option. Declare it with
/// `#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]`.
pub trait RuleOptions: DeserializeOwned + Serialize + Default + Send + Sync + 'static {}

impl<T: DeserializeOwned + Serialize + Default + Send + Sync + 'static> RuleOptions for T {}

/// The options one rule runs with, of its options type.
pub type Options = Arc<dyn Any + Send + Sync>;

/// The options type of a rule without options.
#[derive(Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// A rule's options type, erased so that the registry can hold every rule.
pub struct OptionsType {
    defaults: fn() -> serde_json::Value,
    check: fn(ValueDeserializer) -> Result<(), toml::de::Error>,
    build: fn(toml::Table) -> Result<Options, toml::de::Error>,
}

impl OptionsType {
    pub const fn of<T: RuleOptions>() -> OptionsType {
        OptionsType {
            defaults: defaults::<T>,
            check: check::<T>,
            build: build::<T>,
        }
    }

    /// Each option's name and default value, by name.
    pub fn defaults(&self) -> Vec<(String, serde_json::Value)> {
        match (self.defaults)() {
            serde_json::Value::Object(map) => map.into_iter().collect(),
            _ => Vec::new(),
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.defaults().into_iter().map(|(name, _)| name).collect()
    }

    /// Reads a table of options as a configuration file gives it, for its mistakes (which carry
    /// their place in the file).
    pub fn check(&self, table: Spanned<DeValue>) -> Result<(), toml::de::Error> {
        (self.check)(ValueDeserializer::from(table))
    }

    /// The options a rule runs with: `table`, and the defaults for what it leaves out.
    pub fn build(&self, table: toml::Table) -> Result<Options, toml::de::Error> {
        (self.build)(table)
    }
}

fn defaults<T: RuleOptions>() -> serde_json::Value {
    serde_json::to_value(T::default()).expect("options serialize to JSON")
}

fn check<T: RuleOptions>(table: ValueDeserializer) -> Result<(), toml::de::Error> {
    T::deserialize(table).map(drop)
}

fn build<T: RuleOptions>(table: toml::Table) -> Result<Options, toml::de::Error> {
    Ok(Arc::new(T::deserialize(toml::Value::Table(table))?))
}

/// The TOML name of a value's type.
pub fn type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "none",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_f64() => "float",
        serde_json::Value::Number(_) => "integer",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "table",
    }
}

/// An option as the page's `## Options` section describes it.
pub struct Documented<'p> {
    pub name: &'p str,
    pub type_name: &'p str,
    /// The default as TOML.
    pub default: &'p str,
    pub description: String,
}

/// The options the page describes, in its order; a line that starts an item but does not
/// read `` - `name` (type, default `value`): description `` is an error.
pub fn documented(page: &str) -> Result<Vec<Documented<'_>>, String> {
    let section = page.split("\n## Options\n").nth(1).unwrap_or_default();
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut options: Vec<Documented> = Vec::new();
    for line in section.lines() {
        if let Some(item) = line.strip_prefix("- ") {
            options.push(item_of(item).ok_or_else(|| {
                format!("not `` - `name` (type, default `value`): description ``: {line}")
            })?);
        } else if let (Some(last), Some(more)) = (options.last_mut(), line.strip_prefix("  ")) {
            last.description.push(' ');
            last.description.push_str(more.trim());
        }
    }
    Ok(options)
}

fn item_of(item: &str) -> Option<Documented<'_>> {
    let (name, rest) = item.strip_prefix('`')?.split_once("` (")?;
    let (type_name, rest) = rest.split_once(", default `")?;
    let (default, description) = rest.split_once("`): ")?;
    Some(Documented {
        name,
        type_name,
        default,
        description: description.to_owned(),
    })
}

/// What the page gets wrong about the options `options` declares: it must describe each, with
/// its type and default, and nothing else; a rule without options says `None`.
pub fn page_mismatches(page: &str, options: &OptionsType) -> Vec<String> {
    let declared = options.defaults();
    let documented = match documented(page) {
        Ok(documented) => documented,
        Err(error) => return vec![error],
    };
    let mut wrong = Vec::new();
    if declared.is_empty() {
        let section = page.split("\n## Options\n\n").nth(1).unwrap_or_default();
        if !section.starts_with("None") {
            wrong.push("a rule without options says `None.` under `## Options`".to_owned());
        }
    }
    for (name, default) in &declared {
        let Some(doc) = documented.iter().find(|d| d.name == name) else {
            wrong.push(format!("option `{name}` is not described"));
            continue;
        };
        if doc.type_name != type_name(default) {
            wrong.push(format!(
                "option `{name}` is of type {}, not {}",
                type_name(default),
                doc.type_name
            ));
        }
        let written =
            ValueDeserializer::parse(doc.default).and_then(serde_json::Value::deserialize);
        if written.as_ref().ok() != Some(default) {
            wrong.push(format!(
                "the default of `{name}` is `{default}`, not `{}`",
                doc.default
            ));
        }
        if doc.description.is_empty() || default.is_null() {
            wrong.push(format!(
                "option `{name}` needs a description and a default value"
            ));
        }
    }
    for doc in documented
        .iter()
        .filter(|d| declared.iter().all(|(name, _)| name != d.name))
    {
        wrong.push(format!("`{}` is described but is no option", doc.name));
    }
    wrong
}
