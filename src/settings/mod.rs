//! What a run is configured with: rule levels from the rules' defaults, `oauthlint.toml` files
//! and the command line, the paths left out of the run, the platform, and a baseline of known
//! findings. The loader asks it which paths are excluded, the rules which of them run and on
//! which platform, and the filter stage which level each finding has and which findings are
//! known; nothing else reads it.

mod baseline;
pub mod config;
mod run;

use crate::catalog::Profile;
use crate::diagnostic::Level;
use crate::model::{BundleId, Project};
use crate::parse::discover::display_path;
use crate::rules::{self, apigeelint, Plan, RuleMeta};
pub use baseline::{write as write_baseline, Baseline};
use config::Config;
use miette::miette;
use run::RunKey;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// A rule's level where it is set; `None` is "off".
pub type Setting = Option<Level>;

/// The defaults are every rule at its own level, everywhere.
#[derive(Default)]
pub struct Settings {
    configs: Vec<Config>,
    roots: Vec<Root>,
    /// `--select`: only these rules run.
    select: Option<Vec<&'static str>>,
    /// `--ignore`: these rules do not run.
    ignore: Vec<&'static str>,
    /// `--level rule=level`, in order: the last one given for a rule wins.
    levels: Vec<(&'static str, Setting)>,
    /// `--preview`: the preview rules run everywhere.
    preview: bool,
    /// From `--profile`, else from the configuration files.
    profile: Option<Profile>,
    /// The options of the rules the configuration files give options.
    options: Vec<(&'static str, rules::Options)>,
    /// `--baseline`: the findings to leave out of the report.
    baseline: Option<Baseline>,
    /// `--threads`: how many threads the run shares its work among; `None` for every core.
    threads: Option<usize>,
}

/// A linted path.
struct Root {
    /// How its files' paths start in findings (empty for `.`).
    shown: PathBuf,
    /// Where it is, canonical.
    absolute: PathBuf,
    /// The configuration in force below it, in `Settings::configs`.
    config: Option<usize>,
}

/// Which configuration file applies.
#[derive(Clone, Copy)]
pub enum ConfigChoice<'a> {
    /// The nearest `oauthlint.toml` in the folders holding each linted path.
    Discover,
    /// This file, for every linted path (`--config`).
    File(&'a Path),
    /// None (`--no-config`).
    Ignore,
}

/// What the command line says, as given.
pub struct Options<'a> {
    pub paths: &'a [PathBuf],
    pub config: ConfigChoice<'a>,
    pub select: Option<&'a [String]>,
    pub ignore: &'a [String],
    /// `rule=level` pairs.
    pub levels: &'a [String],
    pub preview: bool,
    pub profile: Option<Profile>,
    pub baseline: Option<&'a Path>,
    /// `--threads`; `None` for every core.
    pub threads: Option<usize>,
}

impl Settings {
    pub fn new(options: &Options) -> miette::Result<Settings> {
        let names = |option: &str, names: &[String]| -> miette::Result<Vec<&'static str>> {
            let named = names.iter().map(|n| rule_names(option, n.trim()));
            Ok(named.collect::<miette::Result<Vec<_>>>()?.concat())
        };
        let levels = options
            .levels
            .iter()
            .map(|pair| -> miette::Result<Vec<(&'static str, Setting)>> {
                let (rule, level) = pair.split_once('=').ok_or_else(|| {
                    miette!(
                        help = "write `--level rule-name=error`",
                        "--level: `{pair}` is not `rule=level`"
                    )
                })?;
                let level = parse_level(level.trim())
                    .map_err(|help| miette!(help = help, "--level: `{level}` is not a level"))?;
                let rules = rule_names("--level", rule.trim())?;
                Ok(rules.into_iter().map(|rule| (rule, level)).collect())
            })
            .collect::<miette::Result<Vec<_>>>()?
            .concat();
        let mut settings = Settings {
            configs: Vec::new(),
            roots: Vec::new(),
            select: options.select.map(|s| names("--select", s)).transpose()?,
            ignore: names("--ignore", options.ignore)?,
            levels,
            preview: options.preview,
            profile: options.profile,
            options: Vec::new(),
            baseline: options.baseline.map(Baseline::read).transpose()?,
            threads: options.threads,
        };
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        let mut files: Vec<PathBuf> = Vec::new();
        for path in options.paths {
            let absolute = canonical(path)?;
            let file = match options.config {
                ConfigChoice::Ignore => None,
                ConfigChoice::File(file) => Some((canonical(file)?, file.display().to_string())),
                ConfigChoice::Discover => nearest_config(&absolute).map(|file| {
                    let shown = file.strip_prefix(&cwd).unwrap_or(&file);
                    let shown = display_path(shown);
                    (file, shown)
                }),
            };
            // Paths that share a configuration file share its one reading.
            let config = match file {
                None => None,
                Some((file, shown)) => Some(match files.iter().position(|f| *f == file) {
                    Some(at) => at,
                    None => {
                        settings.configs.push(Config::read(&file, &shown)?);
                        files.push(file);
                        files.len() - 1
                    }
                }),
            };
            settings.roots.push(Root {
                shown: Path::new(&display_path(path))
                    .components()
                    .filter(|c| *c != Component::CurDir)
                    .collect(),
                absolute,
                config,
            });
        }
        let overridden: &[RunKey] = match options.profile {
            Some(_) => &[RunKey::Profile],
            None => &[],
        };
        let mut options: Vec<(&'static str, toml::Table)> = Vec::new();
        for setting in run::merge(&settings.configs, overridden)? {
            match &setting.key {
                RunKey::Profile => {
                    settings.profile = setting.value.as_str().and_then(Profile::from_name);
                }
                RunKey::Option { rule, name } => {
                    let at = match options.iter().position(|(r, _)| r == rule) {
                        Some(at) => at,
                        None => {
                            options.push((rule, toml::Table::new()));
                            options.len() - 1
                        }
                    };
                    options[at].1.insert(name.clone(), setting.value.clone());
                }
            }
        }
        for (rule, table) in options {
            let meta = rules::find(rule)
                .expect("configured rules are registered")
                .meta();
            // Each file's options were checked where it gives them, and merging keeps them valid.
            let built = meta
                .options
                .build(table)
                .map_err(|e| miette!("options of `{rule}`: {e}"))?;
            settings.options.push((rule, built));
        }
        Ok(settings)
    }

    /// What the rules run with: the platform, and every rule that may report somewhere in the
    /// project (a rule off for every file of it is not run at all).
    pub fn plan(&self, project: &Project) -> Plan<'static> {
        // The configuration in force for each file, by its index; `None` for none.
        let scopes: BTreeSet<Option<usize>> = project
            .sources
            .paths()
            .map(|path| match self.configs.is_empty() {
                // Locating each of thousands of paths among the roots costs a tenth of a
                // corpus run's main thread, for nothing when no file configures anything.
                true => None,
                false => self.locate(path).and_then(|(root, _)| root.config),
            })
            .collect();
        let configs: Vec<Option<&Config>> =
            scopes.iter().map(|s| s.map(|i| &self.configs[i])).collect();
        Plan {
            profile: self.profile,
            projects: self.projects(project),
            rules: rules::ALL
                .iter()
                .copied()
                .filter(|rule| self.runs(rule.meta(), &configs))
                .map(|rule| (rule, self.options_of(rule.meta())))
                .collect(),
        }
    }

    /// The options `rule` runs with: the configuration's, else its defaults.
    fn options_of(&self, rule: &RuleMeta) -> rules::Options {
        match self.options.iter().find(|(name, _)| *name == rule.name) {
            Some((_, options)) => options.clone(),
            None => rule
                .options
                .build(toml::Table::new())
                .expect("the defaults build"),
        }
    }

    /// Whether `rule` may have a level in a file under one of `configs` (`None` for files
    /// under no configuration): [`Settings::level`] without the file's path, where overrides
    /// count as if their globs matched.
    fn runs(&self, rule: &RuleMeta, configs: &[Option<&Config>]) -> bool {
        if let Some(&(_, set)) = self.levels.iter().rev().find(|(n, _)| *n == rule.name) {
            return set.is_some();
        }
        if self.ignore.contains(&rule.name) {
            return false;
        }
        if let Some(select) = &self.select {
            return select.contains(&rule.name);
        }
        configs.iter().any(|config| {
            let default = self.default_level(rule, *config);
            match config {
                None => default.is_some(),
                Some(config) => config.may_enable(rule.name, default),
            }
        })
    }

    /// A rule's level before the configuration's `[rules]`: its own, unless it is a preview rule
    /// that neither `--preview`, nor the configuration's `preview` or `[rules]`, turns on.
    fn default_level(&self, rule: &RuleMeta, config: Option<&Config>) -> Setting {
        let previewed =
            self.preview || config.is_some_and(|c| c.preview || c.named.contains(&rule.name));
        (!rule.preview || previewed).then_some(rule.level_on(self.profile))
    }

    /// The level of `rule`'s findings in the file at `path` (as findings show it): the rule's
    /// own, then the configuration's, then the command line's, where `--level` is the most
    /// specific. A rule `--select`ed runs even where the configuration turns it off.
    pub fn level(&self, rule: &RuleMeta, path: &str) -> Setting {
        let config = self.config_of(path);
        let mut level = self.default_level(rule, config.as_ref().map(|(c, _)| *c));
        if let Some((config, relative)) = config {
            level = config.level(rule.name, &relative, level);
        }
        if let Some(select) = &self.select {
            level = if select.contains(&rule.name) {
                level.or(Some(rule.level_on(self.profile)))
            } else {
                None
            };
        }
        if self.ignore.contains(&rule.name) {
            level = None;
        }
        if let Some(&(_, set)) = self.levels.iter().rev().find(|(n, _)| *n == rule.name) {
            level = set;
        }
        level
    }

    /// The bundles of the run split into projects (see `projects` in the README): each folder a
    /// `projects` glob matches is one, and the bundles no glob matches are one more. In order of
    /// their first bundle.
    pub fn projects(&self, project: &Project) -> Vec<Vec<BundleId>> {
        let mut keyed: Vec<(Option<PathBuf>, Vec<BundleId>)> = Vec::new();
        for bundle in &project.bundles {
            let key = self.config_of(&bundle.dir).and_then(|(config, relative)| {
                let folder = config.projects.folder_matched(&relative)?;
                Some(config.dir.join(folder))
            });
            match keyed.iter_mut().find(|(k, _)| *k == key) {
                Some((_, ids)) => ids.push(bundle.id),
                None => keyed.push((key, vec![bundle.id])),
            }
        }
        keyed.into_iter().map(|(_, ids)| ids).collect()
    }

    /// True for a path (as findings would show it) that the configuration's `exclude` matches.
    pub fn excluded(&self, path: &str) -> bool {
        self.config_of(path)
            .is_some_and(|(config, relative)| config.exclude.matches(&relative))
    }

    /// How many threads the run shares its work among (at least 1); what it prints does not
    /// depend on it.
    pub fn threads(&self) -> usize {
        self.threads
            .unwrap_or_else(crate::threads::all_cores)
            .max(1)
    }

    pub fn baseline(&self) -> Option<&Baseline> {
        self.baseline.as_ref()
    }

    /// The file at `path` (as findings show it) as reached from the folder `dir`, with `/`.
    fn path_from(&self, dir: &Path, path: &str) -> String {
        match self.locate(path) {
            Some((_, absolute)) => display_path(&relative_to(&absolute, dir)),
            None => path.to_owned(),
        }
    }

    /// The configuration in force for the file at `path`, and the file's path from its folder.
    /// Whether apigeelint's suppression comments suppress in the file at `path`.
    pub fn honours_apigeelint_comments(&self, path: &str) -> bool {
        self.config_of(path)
            .is_some_and(|(config, _)| config.honour_apigeelint_comments)
    }

    fn config_of(&self, path: &str) -> Option<(&Config, PathBuf)> {
        if self.configs.is_empty() {
            return None;
        }
        let (root, absolute) = self.locate(path)?;
        let config = &self.configs[root.config?];
        Some((config, relative_to(&absolute, &config.dir)))
    }

    /// The linted path a file was found below (the deepest, when they nest), and where the file
    /// is on disk.
    fn locate(&self, path: &str) -> Option<(&Root, PathBuf)> {
        self.roots
            .iter()
            .filter_map(|root| {
                let rest = Path::new(path).strip_prefix(&root.shown).ok()?;
                Some((root, root.absolute.join(rest)))
            })
            .max_by_key(|(root, _)| root.shown.components().count())
    }
}

fn canonical(path: &Path) -> miette::Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| miette!("cannot read `{}`: {e}", path.display()))
}

/// The nearest `oauthlint.toml` in `path`'s folder or the folders above it.
fn nearest_config(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    start
        .ancestors()
        .map(|dir| dir.join(config::FILE_NAME))
        .find(|file| file.is_file())
}

/// `path` as reached from `base` (both absolute), through `..` where it lies outside.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    base.components()
        .skip(common)
        .map(|_| Component::ParentDir)
        .chain(path.components().skip(common))
        .collect()
}

/// The rules `name` stands for (a rule's name, or an apigeelint ID), or an error saying why it
/// stands for none.
fn rule_names(option: &str, name: &str) -> miette::Result<Vec<&'static str>> {
    match apigeelint::rules_named(name) {
        Ok(rules) => Ok(rules.iter().map(|m| m.name).collect()),
        Err(why) => Err(miette!(help = why.help, "{option}: {}", why.message)),
    }
}

/// `off`, `info`, `warning` or `error`; the error is a help text.
pub fn parse_level(text: &str) -> Result<Setting, String> {
    const LEVELS: [&str; 4] = ["off", "info", "warning", "error"];
    match text {
        "off" => Ok(None),
        "info" => Ok(Some(Level::Info)),
        "warning" => Ok(Some(Level::Warning)),
        "error" => Ok(Some(Level::Error)),
        _ => Err(match crate::suggest::closest(text, LEVELS) {
            Some(level) => format!("did you mean `{level}`?"),
            None => "a level is `off`, `info`, `warning` or `error`".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_base() {
        let rel = |p: &str, b: &str| relative_to(Path::new(p), Path::new(b));
        assert_eq!(rel("/r/proxies/a.xml", "/r"), Path::new("proxies/a.xml"));
        assert_eq!(
            rel("/r/proxies/a.xml", "/r/ci"),
            Path::new("../proxies/a.xml")
        );
        assert_eq!(rel("/r", "/r"), Path::new(""));
    }
}
