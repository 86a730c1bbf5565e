//! What a rule is, apart from what it checks: its name, category, default level and page,
//! declared once with [`declare_rule!`].

use super::options::{self, OptionsType};
use crate::catalog::PolicyKind;
use crate::diagnostic::Level;
use crate::model::DeclaredKind;

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
    /// Elements, attributes and values that a file's kind does not allow, from the catalog.
    Structure,
    /// How a TargetEndpoint reaches its backend: TLS, load balancing, URLs.
    Target,
    /// Naming conventions that change nothing Apigee does: how a team names and labels
    /// policies. They are preview rules, and the tests run them on their own examples and
    /// cases only, as other rules' examples are not named by any convention.
    Style,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Bundle => "bundle",
            Category::OAuth => "oauth",
            Category::Condition => "condition",
            Category::Flow => "flow",
            Category::Suppression => "suppression",
            Category::Structure => "structure",
            Category::Target => "target",
            Category::Style => "style",
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
    /// The level on Apigee Edge (`profile = "edge"`), when the platform makes the problem worse
    /// there: what Edge leaves unbounded, X bounds.
    pub edge_level: Option<Level>,
    /// A new or uncertain rule: off unless the preview rules are turned on, or it is named.
    pub preview: bool,
    /// The IDs of the apigeelint checks the rule replaces (`bench/apigeelint/ids.tsv`): in
    /// `oauthlint.toml`, `--select`, `--ignore` and suppressions an ID stands for its rules.
    pub apigeelint: &'static [&'static str],
    /// The policy kinds whose policies the driver gives `check_policy`; `None` gives it every
    /// policy, of a kind the catalog knows or not.
    pub policy_kinds: Option<&'static [PolicyKind]>,
    pub options: OptionsType,
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

    /// Each option: its name, type and default from the options type, its description from the
    /// page.
    pub fn options(&self) -> Vec<OptionInfo> {
        let documented = options::documented(self.page).unwrap_or_default();
        self.options
            .defaults()
            .into_iter()
            .map(|(name, default)| OptionInfo {
                type_name: options::type_name(&default),
                description: documented
                    .iter()
                    .find(|d| d.name == name)
                    .map(|d| d.description.clone())
                    .unwrap_or_default(),
                name,
                default,
            })
            .collect()
    }

    /// What `oauthlint rules --format json` says of the rule.
    pub fn listing(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "level": self.level,
            "edge_level": self.edge_level.unwrap_or(self.level),
            "category": self.category,
            "preview": self.preview,
            "apigeelint": self.apigeelint,
            "summary": self.summary(),
            "options": self.options(),
        })
    }

    /// The rule's level where the bundles deploy to `profile` (Apigee X when none is set).
    pub fn level_on(&self, profile: Option<crate::catalog::Profile>) -> Level {
        match (profile, self.edge_level) {
            (Some(crate::catalog::Profile::Edge), Some(level)) => level,
            _ => self.level,
        }
    }

    /// Whether the driver gives `check_policy` a policy of this kind.
    pub fn visits_policy_kind(&self, kind: &DeclaredKind) -> bool {
        self.policy_kinds.is_none_or(|kinds| match kind {
            DeclaredKind::Known(kind) => kinds.contains(kind),
            DeclaredKind::Unknown(_) => false,
        })
    }
}

/// An option as `oauthlint rules --format json` lists it.
#[derive(serde::Serialize)]
pub struct OptionInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: &'static str,
    pub default: serde_json::Value,
    pub description: String,
}

pub trait Declared {
    fn meta(&self) -> &'static RuleMeta;
}

/// Declares a rule's type and metadata; its page must exist at `rules/<name>.md`. After the
/// name, category and default level, a rule may add, in this order, `edge = Error` (see
/// [`RuleMeta::edge_level`]), `preview = true` (see [`RuleMeta::preview`]), `apigeelint = [BN011, …]` (see [`RuleMeta::apigeelint`]), `policy_kinds = [OAuthV2, …]` (the [`PolicyKind`]s of the only
/// policies its `check_policy` hook is given) and `options = Type` (see [`super::options`]; the rule reads
/// them with `Self::options(cx)`). A rule of the unit tests gives its page as `page = "…"`.
macro_rules! declare_rule {
    (
        $(#[$doc:meta])*
        $ty:ident, $name:literal, $category:ident, $level:ident
        $(, edge = $edge:ident)?
        $(, preview = $preview:literal)?
        $(, apigeelint = [$($id:ident),* $(,)?])?
        $(, policy_kinds = [$($kind:ident),* $(,)?])?
        $(, options = $options:ty)?
        $(, page = $page:expr)?
        $(,)?
    ) => {
        $(#[$doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: $name,
                category: $crate::rules::Category::$category,
                level: $crate::diagnostic::Level::$level,
                edge_level: $crate::rules::declare_rule!(@edge $($edge)?),
                preview: false $(|| $preview)?,
                apigeelint: &[$($(stringify!($id)),*)?],
                policy_kinds: $crate::rules::declare_rule!(@kinds $([$($kind),*])?),
                options: $crate::rules::declare_rule!(@options $($options)?),
                page: $crate::rules::declare_rule!(@page $name $(, $page)?),
            };
        }

        $(
            impl $ty {
                /// The options this run gives the rule.
                fn options<'c>(cx: &'c $crate::rules::Context) -> &'c $options {
                    cx.options()
                }
            }
        )?

        impl $crate::rules::Declared for $ty {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
    (@page $name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $name, ".md"))
    };
    (@page $name:literal, $page:expr) => { $page };
    (@options) => { $crate::rules::OptionsType::of::<$crate::rules::NoOptions>() };
    (@options $options:ty) => { $crate::rules::OptionsType::of::<$options>() };
    (@edge) => { None };
    (@edge $edge:ident) => { Some($crate::diagnostic::Level::$edge) };
    (@kinds) => { None };
    (@kinds [$($kind:ident),*]) => { Some(&[$($crate::catalog::PolicyKind::$kind),*]) };
}
pub(crate) use declare_rule;
