//! `oauthlint.toml`: rule levels, overrides by path, paths left out of the run, the preview
//! rules, and what holds for the whole run (the profile).
//!
//! The file is read into spanned TOML values and checked by hand, so that every mistake (an
//! unknown key, a misspelt rule, a bad level) points at its place in the file and suggests the
//! closest right name.

use super::run::{RunKey, RunWide};
use super::{parse_level, Setting};
use crate::catalog::Profile;
use crate::rules::{self, apigeelint, RuleMeta};
use crate::suggest::closest;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{LabeledSpan, MietteDiagnostic, NamedSource};
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

pub const FILE_NAME: &str = "oauthlint.toml";

pub struct Config {
    /// The file's folder: globs are relative to it.
    pub dir: PathBuf,
    /// How errors name the file, and its text, for a mistake seen only beside another file.
    pub source: (String, String),
    /// `preview = true`: the preview rules run on the files it covers.
    pub preview: bool,
    /// apigeelint's `<!-- apigeelint disable=ID -->` comments suppress the rules that replace
    /// those IDs, in the files this configuration covers.
    pub honour_apigeelint_comments: bool,
    pub rules: Vec<(&'static str, Setting)>,
    /// The rules `[rules]` names, whatever it sets: a preview rule named there runs.
    pub named: Vec<&'static str>,
    pub overrides: Vec<Override>,
    pub exclude: Globs,
    /// `projects`: each folder a glob matches is a project of its own for the project-wide rules.
    pub projects: Globs,
    /// What holds for the whole run rather than per file (see `settings::run`).
    pub run_wide: Vec<RunWide>,
}

/// `[[overrides]]`: rule levels for the files its globs match.
pub struct Override {
    pub files: Globs,
    pub rules: Vec<(&'static str, Setting)>,
}

/// Globs over paths relative to the config's folder, `/`-separated: `*` stays within a folder,
/// `**` crosses folders, and a glob matching a folder covers everything below it.
pub struct Globs(GlobSet);

impl Globs {
    pub fn matches(&self, relative: &Path) -> bool {
        self.folder_matched(relative).is_some()
    }

    /// The outermost folder of `relative` (or `relative` itself) that a glob matches.
    pub fn folder_matched<'r>(&self, relative: &'r Path) -> Option<&'r Path> {
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty() && self.0.is_match(p))
            .last()
    }
}

impl Config {
    /// Parses a configuration's text, as if its file were in the current folder: the error is
    /// its message and the byte range it points at. Used by the fuzz target.
    pub fn parse_text(text: &str) -> Result<Config, (String, Range<usize>)> {
        parse(text, PathBuf::new()).map_err(|e| (e.message, e.span))
    }

    /// Reads the file at `path`; `shown` is how errors name it.
    pub fn read(path: &Path, shown: &str) -> miette::Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| miette::miette!("cannot read `{shown}`: {e}"))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        match parse(&text, dir) {
            Ok(config) => Ok(Config {
                source: (shown.to_owned(), text),
                ..config
            }),
            Err(error) => Err(report(error, shown, text)),
        }
    }

    /// A mistake at `span` in this file.
    pub fn error(
        &self,
        message: String,
        span: Range<usize>,
        label: &str,
        help: &str,
    ) -> miette::Report {
        let (shown, text) = &self.source;
        let error = Error::new(message, span, label, Some(help.to_owned()));
        report(error, shown, text.clone())
    }

    /// The level of `rule` for the file at `relative`, given its level before this config:
    /// `[rules]`, then each matching override in order.
    pub fn level(&self, rule: &str, relative: &Path, before: Setting) -> Setting {
        let overrides = self
            .overrides
            .iter()
            .filter(|o| o.files.matches(relative))
            .flat_map(|o| &o.rules);
        self.rules
            .iter()
            .chain(overrides)
            .rfind(|(name, _)| *name == rule)
            .map_or(before, |&(_, level)| level)
    }

    /// Whether `rule` may have a level in some file this config covers, given its level before
    /// the config: `[rules]` leaves it on, or an override turns it on.
    pub fn may_enable(&self, rule: &str, before: Setting) -> bool {
        let set = |rules: &[(&str, Setting)]| {
            rules
                .iter()
                .rfind(|(name, _)| *name == rule)
                .map(|&(_, level)| level)
        };
        set(&self.rules).unwrap_or(before).is_some()
            || self
                .overrides
                .iter()
                .any(|o| set(&o.rules).flatten().is_some())
    }
}

/// The error of the run for a mistake in the file `shown`.
fn report(error: Error, shown: &str, text: String) -> miette::Report {
    let mut diagnostic =
        MietteDiagnostic::new(error.message).with_label(LabeledSpan::at(error.span, error.label));
    if let Some(help) = error.help {
        diagnostic = diagnostic.with_help(help);
    }
    miette::Report::new(diagnostic).with_source_code(NamedSource::new(shown, text))
}

/// A mistake in the file: what, where, and how to fix it.
#[derive(Debug)]
struct Error {
    message: String,
    span: Range<usize>,
    label: String,
    help: Option<String>,
}

impl Error {
    fn new(message: String, span: Range<usize>, label: &str, help: Option<String>) -> Error {
        Error {
            message,
            span,
            label: label.into(),
            help,
        }
    }
}

type Entry<'a, 'i> = (
    &'a Spanned<toml::de::DeString<'i>>,
    &'a Spanned<DeValue<'i>>,
);

/// A table's entries in the order they appear in the file, so the first mistake is reported.
fn entries<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut entries: Vec<Entry> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn parse(text: &str, dir: PathBuf) -> Result<Config, Error> {
    let table = DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        Error::new(
            format!("not valid TOML: {}", e.message()),
            span,
            "here",
            None,
        )
    })?;
    let mut config = Config {
        dir,
        source: (FILE_NAME.to_owned(), String::new()),
        preview: false,
        honour_apigeelint_comments: false,
        rules: Vec::new(),
        named: Vec::new(),
        overrides: Vec::new(),
        exclude: Globs(GlobSet::empty()),
        projects: Globs(GlobSet::empty()),
        run_wide: Vec::new(),
    };
    for (key, value) in entries(table.get_ref()) {
        match key.get_ref().as_ref() {
            "profile" => {
                let profile = string(value, "`profile`")?;
                if Profile::from_name(profile).is_none() {
                    return Err(Error::new(
                        format!("`{profile}` is not a profile"),
                        value.span(),
                        "not a profile",
                        Some(one_of(profile, &Profile::NAMES)),
                    ));
                }
                config.run_wide.push(RunWide {
                    key: RunKey::Profile,
                    value: toml::Value::String(profile.to_owned()),
                    span: value.span(),
                });
            }
            "preview" => config.preview = boolean(value, "`preview`")?,
            "honour_apigeelint_comments" => {
                config.honour_apigeelint_comments = boolean(value, "`honour_apigeelint_comments`")?
            }
            "rules" => {
                let table = rules_table(value)?;
                config.rules = table.levels;
                config.named = table.named;
                config.run_wide.extend(table.options);
            }
            "overrides" => {
                for item in array(value, "`overrides`")? {
                    config.overrides.push(override_table(item)?);
                }
            }
            "exclude" => config.exclude = globs(value, "`exclude`")?,
            "projects" => config.projects = globs(value, "`projects`")?,
            _ => {
                return Err(unknown_key(
                    key,
                    &[
                        "profile",
                        "preview",
                        "honour_apigeelint_comments",
                        "rules",
                        "overrides",
                        "exclude",
                        "projects",
                    ],
                ))
            }
        }
    }
    Ok(config)
}

fn override_table(item: &Spanned<DeValue>) -> Result<Override, Error> {
    let table = table(item, "an override")?;
    let mut files = None;
    let mut rules = Vec::new();
    for (key, value) in entries(table) {
        match key.get_ref().as_ref() {
            "files" => files = Some(globs(value, "`files`")?),
            "rules" => {
                let table = rules_table(value)?;
                if let Some(option) = table.options.first() {
                    return Err(Error::new(
                        format!("{} is set in an override", option.key),
                        option.span.clone(),
                        "options belong in `[rules]`",
                        Some(
                            "a rule runs once over the whole project, so its options hold for \
                             every file: set them in `[rules]`"
                                .into(),
                        ),
                    ));
                }
                rules = table.levels;
            }
            _ => return Err(unknown_key(key, &["files", "rules"])),
        }
    }
    let files = files.ok_or_else(|| {
        Error::new(
            "an override needs `files`, the globs of the paths it applies to".into(),
            item.span(),
            "no `files`",
            Some("add `files = [\"proxies/legacy/**\"]`".into()),
        )
    })?;
    Ok(Override { files, rules })
}

/// What a `rules` table sets.
struct RulesTable {
    levels: Vec<(&'static str, Setting)>,
    /// Every rule it names.
    named: Vec<&'static str>,
    options: Vec<RunWide>,
}

/// `[rules]`: `name = "level"` or `name = { level = "level", option = value, … }`.
fn rules_table(value: &Spanned<DeValue>) -> Result<RulesTable, Error> {
    let mut levels = Vec::new();
    let mut named = Vec::new();
    let mut options = Vec::new();
    for (key, setting) in entries(table(value, "`rules`")?) {
        let name = key.get_ref().as_ref();
        let stood_for = apigeelint::rules_named(name)
            .map_err(|why| Error::new(why.message, key.span(), "not a rule", Some(why.help)))?;
        named.extend(stood_for.iter().map(|m| m.name));
        let set = |level: Setting| stood_for.iter().map(move |m| (m.name, level));
        // Options belong to one rule: an apigeelint ID takes only a level.
        let own = rules::find(name).map(|r| r.meta());
        match setting.get_ref() {
            DeValue::String(_) => levels.extend(set(level(setting)?)),
            DeValue::Table(entered) => {
                let mut given = DeTable::new();
                for (option, value) in entries(entered) {
                    let key = option.get_ref().as_ref();
                    if key == "level" {
                        levels.extend(set(level(value)?));
                        continue;
                    }
                    let Some(meta) = own else {
                        return Err(option_of_an_id(name, option, &stood_for));
                    };
                    let name = meta.name;
                    let known = meta.options.names();
                    if !known.iter().any(|k| k == key) {
                        return Err(unknown_option(name, option, &known));
                    }
                    given.insert(option.clone(), value.clone());
                    options.push(RunWide {
                        key: RunKey::Option {
                            rule: name,
                            name: key.to_owned(),
                        },
                        value: toml::Value::deserialize(ValueDeserializer::from(value.clone()))
                            .map_err(|e| {
                                Error::new(e.message().to_owned(), value.span(), "here", None)
                            })?,
                        span: value.span(),
                    });
                }
                if let Some(meta) = own {
                    let table = Spanned::new(setting.span(), DeValue::Table(given.clone()));
                    meta.options
                        .check(table)
                        .map_err(|e| wrong_option(meta, &e, setting.span(), &given))?;
                }
            }
            other => {
                return Err(Error::new(
                    format!(
                        "the setting of `{name}` must be a level or a table, not {}",
                        a(other)
                    ),
                    setting.span(),
                    "expected a level",
                    Some(format!("write `{name} = \"error\"`")),
                ))
            }
        }
    }
    Ok(RulesTable {
        levels,
        named,
        options,
    })
}

/// An option set under an apigeelint ID, which stands for rules rather than being one.
fn option_of_an_id(id: &str, option: &Spanned<toml::de::DeString>, rules: &[&RuleMeta]) -> Error {
    let names: Vec<String> = rules.iter().map(|m| format!("`{}`", m.name)).collect();
    Error::new(
        format!(
            "`{id}` is an apigeelint ID, so it takes a level but no option `{}`",
            option.get_ref().as_ref()
        ),
        option.span(),
        "not an option of an ID",
        Some(format!(
            "set options under the rule's own name: `{id}` stands for {}",
            names.join(", ")
        )),
    )
}

/// An option the rule does not have.
fn unknown_option(rule: &str, option: &Spanned<toml::de::DeString>, known: &[String]) -> Error {
    let key = option.get_ref().as_ref();
    let candidates = known.iter().map(String::as_str).chain(["level"]);
    let help = match closest(key, candidates) {
        Some(close) => format!("did you mean `{close}`?"),
        None if known.is_empty() => "the rule has no options: only its `level` can be set".into(),
        None => {
            let quoted: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("its options are {}, beside `level`", quoted.join(", "))
        }
    };
    Error::new(
        format!("`{rule}` has no option `{key}`"),
        option.span(),
        "not an option of this rule",
        Some(help),
    )
}

/// An option given a value its type does not take, at the value (`at`, the rule's table, when
/// the error has no place), with the option's type and default.
fn wrong_option(
    rule: &RuleMeta,
    error: &toml::de::Error,
    at: Range<usize>,
    given: &DeTable,
) -> Error {
    let span = error.span().unwrap_or(at);
    let option = entries(given)
        .into_iter()
        .find(|(_, value)| value.span().start <= span.start && span.end <= value.span().end)
        .and_then(|(key, _)| {
            rule.options()
                .into_iter()
                .find(|o| o.name == key.get_ref().as_ref())
        });
    let (what, help) = match option {
        Some(o) => (
            format!("the option `{}`", o.name),
            Some(format!(
                "`{}` takes {}; its default is `{}`",
                o.name,
                a_type(o.type_name),
                o.default
            )),
        ),
        None => ("an option".to_owned(), None),
    };
    Error::new(
        format!(
            "a wrong value for {what} of `{}`: {}",
            rule.name,
            error.message()
        ),
        span,
        "not a valid value",
        help,
    )
}

fn level(value: &Spanned<DeValue>) -> Result<Setting, Error> {
    let text = string(value, "a level")?;
    parse_level(text).map_err(|help| {
        Error::new(
            format!("`{text}` is not a level"),
            value.span(),
            "not a level",
            Some(help),
        )
    })
}

fn globs(value: &Spanned<DeValue>, what: &str) -> Result<Globs, Error> {
    let mut set = GlobSetBuilder::new();
    for item in array(value, what)? {
        let text = string(item, "a glob")?;
        let glob = GlobBuilder::new(text)
            .literal_separator(true)
            .build()
            .map_err(|e| {
                Error::new(
                    format!("`{text}` is not a glob: {}", e.kind()),
                    item.span(),
                    "not a glob",
                    None,
                )
            })?;
        set.add(glob);
    }
    let set = set.build().map_err(|e| {
        Error::new(
            format!("the globs of {what} do not compile: {e}"),
            value.span(),
            "here",
            None,
        )
    })?;
    Ok(Globs(set))
}

fn unknown_key(key: &Spanned<toml::de::DeString>, known: &[&str]) -> Error {
    let name = key.get_ref().as_ref();
    Error::new(
        format!("unknown key `{name}`"),
        key.span(),
        "not a setting here",
        Some(one_of(name, known)),
    )
}

/// "did you mean `x`?", or the list of what is accepted.
fn one_of(name: &str, known: &[&str]) -> String {
    match closest(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => {
            let quoted: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("expected one of {}", quoted.join(", "))
        }
    }
}

fn a(value: &DeValue) -> String {
    a_type(value.type_str())
}

/// `kind` with its article: "an integer", "a string".
fn a_type(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

fn mismatch(value: &Spanned<DeValue>, what: &str, expected: &str) -> Error {
    Error::new(
        format!("{what} must be {expected}, not {}", a(value.get_ref())),
        value.span(),
        &format!("expected {expected}"),
        None,
    )
}

fn boolean(value: &Spanned<DeValue>, what: &str) -> Result<bool, Error> {
    match value.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        _ => Err(mismatch(value, what, "true or false")),
    }
}

fn string<'a>(value: &'a Spanned<DeValue>, what: &str) -> Result<&'a str, Error> {
    value
        .get_ref()
        .as_str()
        .ok_or_else(|| mismatch(value, what, "a string"))
}

fn array<'a, 'i>(
    value: &'a Spanned<DeValue<'i>>,
    what: &str,
) -> Result<&'a [Spanned<DeValue<'i>>], Error> {
    match value.get_ref() {
        DeValue::Array(items) => Ok(items),
        _ => Err(mismatch(value, what, "an array")),
    }
}

fn table<'a, 'i>(value: &'a Spanned<DeValue<'i>>, what: &str) -> Result<&'a DeTable<'i>, Error> {
    value
        .get_ref()
        .as_table()
        .ok_or_else(|| mismatch(value, what, "a table"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;

    fn error(text: &str) -> (String, String, Option<String>) {
        let e = parse(text, PathBuf::new()).err().expect("an error");
        (e.message, text[e.span].to_owned(), e.help)
    }

    #[test]
    fn a_projects_glob_names_the_outermost_folder_it_matches() {
        let config = parse("projects = [\"samples/*\", \"docs/**\"]\n", PathBuf::new()).unwrap();
        let project = |path: &'static str| config.projects.folder_matched(Path::new(path));
        assert_eq!(
            project("samples/oauth/apiproxy"),
            Some(Path::new("samples/oauth"))
        );
        assert_eq!(project("docs/a/b/apiproxy"), Some(Path::new("docs/a")));
        assert_eq!(project("proxies/orders/apiproxy"), None);
    }

    #[test]
    fn reads_levels_overrides_and_excludes() {
        let config = parse(
            "profile = \"hybrid\"\nexclude = [\"vendor\"]\n[rules]\nambiguous-and-or = \"off\"\ninvalid-condition = { level = \"warning\" }\n[[overrides]]\nfiles = [\"proxies/legacy/**\"]\nrules = { ambiguous-and-or = \"error\" }\n",
            PathBuf::new(),
        )
        .unwrap();
        let level = |path: &str| config.level("ambiguous-and-or", Path::new(path), None);
        assert_eq!(level("proxies/new/apiproxy/proxies/default.xml"), None);
        assert_eq!(
            level("proxies/legacy/apiproxy/proxies/default.xml"),
            Some(crate::diagnostic::Level::Error)
        );
        assert_eq!(
            config.level("invalid-condition", Path::new("x.xml"), None),
            Some(crate::diagnostic::Level::Warning)
        );
        assert!(config.exclude.matches(Path::new("vendor/apiproxy/a.xml")));
        assert!(!config
            .exclude
            .matches(Path::new("proxies/vendor/apiproxy/a.xml")));
    }

    #[test]
    fn an_apigeelint_id_sets_every_rule_that_replaces_it_in_place() {
        let config = parse(
            "[rules]\nEP002 = \"off\"\nmalformed-step = \"error\"\n[[overrides]]\nfiles = [\"legacy\"]\nrules = { EP002 = \"info\" }\n",
            PathBuf::new(),
        )
        .unwrap();
        let level = |rule: &str, path: &str| config.level(rule, Path::new(path), None);
        assert_eq!(level("repeated-element", "a.xml"), None);
        assert_eq!(level("unknown-element", "a.xml"), None);
        // A later entry of one of its rules wins, as between rule names.
        assert_eq!(level("malformed-step", "a.xml"), Some(Level::Error));
        assert_eq!(level("repeated-element", "legacy/a.xml"), Some(Level::Info));
        // Naming an ID names its rules, so its preview rules run.
        assert!(config.named.contains(&"repeated-element"));
    }

    #[test]
    fn mistakes_point_at_their_place_and_suggest() {
        assert_eq!(
            error("[rules]\nPO025 = \"off\""),
            (
                "`PO025` is apigeelint's \"esLint\", which oauthlint does not port".into(),
                "PO025".into(),
                Some(
                    "out of scope (JavaScript style: ESLint); nothing replaces it, so leave it out"
                        .into()
                )
            )
        );
        assert_eq!(
            error("[rules]\nBN004 = \"off\"").0,
            "`BN004` is apigeelint's \"Unused Variables\", which oauthlint does not port"
        );
        assert_eq!(
            error("exclud = []"),
            (
                "unknown key `exclud`".into(),
                "exclud".into(),
                Some("did you mean `exclude`?".into())
            )
        );
        assert_eq!(
            error("[rules]\nambigous-and-or = \"off\""),
            (
                "no rule named `ambigous-and-or`".into(),
                "ambigous-and-or".into(),
                Some("did you mean `ambiguous-and-or`?".into())
            )
        );
        assert_eq!(
            error("[rules]\ninvalid-condition = { level = \"error\", max = 2 }").0,
            "`invalid-condition` has no option `max`"
        );
        assert_eq!(
            error("[rules]\ninvalid-condition = 1").0,
            "the setting of `invalid-condition` must be a level or a table, not an integer"
        );
        assert_eq!(
            error("profile = \"edg\"").2,
            Some("did you mean `edge`?".into())
        );
        // The rule of the unit tests has options.
        assert_eq!(
            error("[rules]\ntest-probe = { max-name-lenght = 3 }"),
            (
                "`test-probe` has no option `max-name-lenght`".into(),
                "max-name-lenght".into(),
                Some("did you mean `max-name-length`?".into())
            )
        );
        assert_eq!(
            error("[rules]\ntest-probe = { limit = 3 }").2,
            Some("its options are `allowed-prefixes`, `max-name-length`, beside `level`".into())
        );
        let (message, at, help) = error("[rules]\ntest-probe = { max-name-length = \"six\" }");
        assert!(
            message.starts_with("a wrong value for the option `max-name-length` of `test-probe`: "),
            "{message}"
        );
        assert_eq!(at, "\"six\"");
        assert_eq!(
            help,
            Some("`max-name-length` takes an integer; its default is `0`".into())
        );
        assert_eq!(
            error("[[overrides]]\nfiles = [\"a\"]\nrules = { test-probe = { max-name-length = 3 } }"),
            (
                "option `max-name-length` of `test-probe` is set in an override".into(),
                "3".into(),
                Some("a rule runs once over the whole project, so its options hold for every file: set them in `[rules]`".into())
            )
        );
        assert_eq!(
            error("preview = \"yes\"").0,
            "`preview` must be true or false, not a string"
        );
        assert_eq!(error("exclude = [\"a/[\"]").1, "\"a/[\"");
        assert_eq!(
            error("[[overrides]]\nrules = {}").0,
            "an override needs `files`, the globs of the paths it applies to"
        );
        assert_eq!(error("exclude = [").1, "");
    }
}
