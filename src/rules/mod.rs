//! The rules: one file each, declared with [`declare_rule!`], registered once in [`ALL`].
//!
//! A rule reads the typed model and asks the engine; it never reads raw XML. Its page in
//! `rules/<name>.md` is compiled in, so a rule without documentation does not build.

use crate::diagnostic::{Diagnostic, Level};
use crate::engine::Engine;
use crate::model::Project;

mod ambiguous_and_or;
mod analysis_limit_reached;
mod condition_compares_unquoted_word;
mod getoauthv2info_validates_refresh_token;
mod invalid_condition;
mod invalid_suppression;
mod invalid_xml;
mod refresh_token_never_refreshed;
mod unknown_policy_reference;
mod unreachable_flow;
mod unreachable_step;
mod unreadable_file;
mod unsafe_archive;
mod unused_suppression;

pub use unused_suppression::UnusedSuppression;

/// The registry: every rule, in the order `oauthlint rules` lists them.
pub static ALL: &[&dyn Rule] = &[
    &invalid_xml::InvalidXml,
    &unreadable_file::UnreadableFile,
    &unsafe_archive::UnsafeArchive,
    &unknown_policy_reference::UnknownPolicyReference,
    &invalid_condition::InvalidCondition,
    &ambiguous_and_or::AmbiguousAndOr,
    &condition_compares_unquoted_word::ConditionComparesUnquotedWord,
    &unreachable_flow::UnreachableFlow,
    &unreachable_step::UnreachableStep,
    &analysis_limit_reached::AnalysisLimitReached,
    &refresh_token_never_refreshed::RefreshTokenNeverRefreshed,
    &getoauthv2info_validates_refresh_token::GetOAuthV2InfoValidatesRefreshToken,
    &invalid_suppression::InvalidSuppression,
    &UnusedSuppression,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// The bundle cannot be read or would not deploy.
    Bundle,
    /// OAuth 2.0 antipatterns and security mistakes.
    OAuth,
    /// Conditions that do not parse, or do not mean what they seem to.
    Condition,
    /// Flows and steps that can never run.
    Flow,
    /// Suppression comments that are malformed or suppress nothing.
    Suppression,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Bundle => "bundle",
            Category::OAuth => "oauth",
            Category::Condition => "condition",
            Category::Flow => "flow",
            Category::Suppression => "suppression",
        }
    }
}

/// Written as [`Category::as_str`], so that JSON and the rules table always agree.
impl serde::Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

pub struct RuleMeta {
    /// Kebab-case, names the problem.
    pub name: &'static str,
    pub category: Category,
    pub level: Level,
    /// The rule's page, `rules/<name>.md`.
    pub page: &'static str,
}

impl RuleMeta {
    /// Whether a suppression comment can silence the rule: not a rule about suppressions.
    pub fn suppressible(&self) -> bool {
        self.category != Category::Suppression
    }

    /// The page's first paragraph after its title: one sentence saying what the rule flags.
    pub fn summary(&self) -> &'static str {
        let body = self.page.split_once('\n').map_or("", |(_, rest)| rest);
        let body = body.trim_start();
        let end = body.find("\n\n").unwrap_or(body.len());
        body[..end].trim()
    }
}

pub struct Context<'a> {
    pub project: &'a Project,
    pub engine: &'a Engine<'a>,
}

pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

pub trait Rule: Declared + Sync {
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>);
}

/// Declares a rule's type and metadata; its page must exist at `rules/<name>.md`.
macro_rules! declare_rule {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $category:ident, $level:ident) => {
        $(#[$doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: $name,
                category: $crate::rules::Category::$category,
                level: $crate::diagnostic::Level::$level,
                page: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $name, ".md")),
            };
        }

        impl $crate::rules::Declared for $ty {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}
use declare_rule;

/// One finding for each load problem of `kind`, where the loader met it.
fn report_problems(
    cx: &Context,
    kind: crate::model::ProblemKind,
    meta: &'static RuleMeta,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    for problem in cx.project.problems.iter().filter(|p| p.kind == kind) {
        out.push(Diagnostic::new(meta, problem.span, &problem.message).help(help));
    }
}

/// Collapses line breaks and the blanks around them, outside quotes, into one space.
pub(super) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote = None;
    let mut blanks = String::new();
    for c in text.chars() {
        if quote.is_none() && c.is_whitespace() {
            blanks.push(c);
            continue;
        }
        if !blanks.is_empty() {
            let broken = blanks.contains(['\n', '\r']);
            out.push_str(if broken { " " } else { &blanks });
            blanks.clear();
        }
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '"' || c == '\'' => quote = Some(c),
            _ => {}
        }
        out.push(c);
    }
    out
}

pub fn find(name: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().name == name)
}

/// The help for a name that is no rule's: the closest rule, or where the rules are listed.
pub fn unknown_rule_help(name: &str) -> String {
    match crate::suggest::closest(name, ALL.iter().map(|r| r.meta().name)) {
        Some(rule) => format!("did you mean `{rule}`?"),
        None => "`oauthlint rules` lists them".into(),
    }
}

/// Runs every rule over the project.
pub fn check_all(project: &Project, engine: &Engine) -> Vec<Diagnostic> {
    let cx = Context { project, engine };
    let mut out = Vec::new();
    for rule in ALL {
        rule.check(&cx, &mut out);
    }
    out
}
