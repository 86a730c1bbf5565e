//! What holds for a whole run rather than per file: the profile and the rules' options. Rules
//! see the whole project at once, so such a setting has one value per run. When the PATHs of a run have different
//! configuration files, a value that one file sets holds for the run, and two files that set one
//! key to different values are an error pointing at the second (in the order of the PATHs), so
//! the outcome never depends on that order.

use super::config::Config;
use std::fmt;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunKey {
    Profile,
    /// One option of a rule: options merge option by option.
    Option {
        rule: &'static str,
        name: String,
    },
}

impl fmt::Display for RunKey {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            RunKey::Profile => write!(f, "`profile`"),
            RunKey::Option { rule, name } => write!(f, "option `{name}` of `{rule}`"),
        }
    }
}

/// A run-wide setting as one file gives it.
pub struct RunWide {
    pub key: RunKey,
    pub value: toml::Value,
    /// Where the file gives the value.
    pub span: Range<usize>,
}

/// The run-wide settings of `configs`, each once, in the order they are first set; keys in
/// `overridden` (set on the command line) are left out.
pub fn merge<'c>(configs: &'c [Config], overridden: &[RunKey]) -> miette::Result<Vec<&'c RunWide>> {
    let mut merged: Vec<(&RunWide, &Config)> = Vec::new();
    for config in configs {
        for setting in config
            .run_wide
            .iter()
            .filter(|s| !overridden.contains(&s.key))
        {
            match merged.iter().find(|(first, _)| first.key == setting.key) {
                None => merged.push((setting, config)),
                Some((first, _)) if first.value == setting.value => {}
                Some((first, first_config)) => return Err(config.error(
                    format!(
                        "{} differs from `{}`, which sets it to {}",
                        setting.key,
                        first_config.source.0,
                        serde_json::to_string(&first.value).unwrap_or_default()
                    ),
                    setting.span.clone(),
                    "a second value",
                    "the profile and the rules' options hold for the whole run, which lints every \
                     PATH as one project: set them alike in each configuration file, or lint the \
                     PATHs in separate runs",
                )),
            }
        }
    }
    Ok(merged.into_iter().map(|(setting, _)| setting).collect())
}
