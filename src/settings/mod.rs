//! What a run is configured with: the level of each rule, from the rules' defaults and the
//! command line. The filter stage reads it; nothing before the filter does.

use crate::diagnostic::Level;
use crate::rules::{self, RuleMeta};
use miette::miette;

/// A rule's level where it is set; `None` is "off".
pub type Setting = Option<Level>;

/// The defaults are every rule at its own level.
#[derive(Default)]
pub struct Settings {
    /// `--select`: only these rules run.
    select: Option<Vec<&'static str>>,
    /// `--ignore`: these rules do not run.
    ignore: Vec<&'static str>,
    /// `--level rule=level`, in order: the last one given for a rule wins.
    levels: Vec<(&'static str, Setting)>,
}

/// Rule choices made on the command line, as given.
#[derive(Default)]
pub struct RuleChoices {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// `rule=level` pairs.
    pub levels: Vec<String>,
}

impl Settings {
    pub fn new(choices: &RuleChoices) -> miette::Result<Settings> {
        let names = |option: &str, names: &[String]| -> miette::Result<Vec<&'static str>> {
            names.iter().map(|n| rule_name(option, n.trim())).collect()
        };
        let levels = choices
            .levels
            .iter()
            .map(|pair| {
                let (rule, level) = pair.split_once('=').ok_or_else(|| {
                    miette!(
                        help = "write `--level rule-name=error`",
                        "--level: `{pair}` is not `rule=level`"
                    )
                })?;
                let level = parse_level(level.trim())
                    .map_err(|help| miette!(help = help, "--level: `{level}` is not a level"))?;
                Ok((rule_name("--level", rule.trim())?, level))
            })
            .collect::<miette::Result<_>>()?;
        Ok(Settings {
            select: choices
                .select
                .as_ref()
                .map(|s| names("--select", s))
                .transpose()?,
            ignore: names("--ignore", &choices.ignore)?,
            levels,
        })
    }

    /// The level of `rule`'s findings: the rule's own, then `--select` and `--ignore`, then
    /// `--level`, the most specific.
    pub fn level(&self, rule: &RuleMeta) -> Setting {
        let mut level = Some(rule.level);
        if let Some(select) = &self.select {
            level = level.filter(|_| select.contains(&rule.name));
        }
        if self.ignore.contains(&rule.name) {
            level = None;
        }
        if let Some(&(_, set)) = self.levels.iter().rev().find(|(n, _)| *n == rule.name) {
            level = set;
        }
        level
    }
}

/// The registered name `name`, or an error suggesting the closest one.
fn rule_name(option: &str, name: &str) -> miette::Result<&'static str> {
    rules::find(name).map(|r| r.meta().name).ok_or_else(|| {
        miette!(
            help = rules::unknown_rule_help(name),
            "{option}: no rule named `{name}`"
        )
    })
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
