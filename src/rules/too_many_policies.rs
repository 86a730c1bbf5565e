use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::BundleKind;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// A bundle with more policies than the project allows.
    TooManyPolicies,
    "too-many-policies",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [BN006],
    options = Limit,
);

#[derive(Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limit {
    pub max_policies: usize,
}

impl Default for Limit {
    /// apigeelint's limit.
    fn default() -> Limit {
        Limit { max_policies: 100 }
    }
}

impl Rule for TooManyPolicies {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        let limit = Self::options(cx).max_policies;
        let count = bundle.policies.len();
        if count <= limit {
            return;
        }
        // The descriptor stands for the bundle; without one, its first policy does.
        let Some(at) = bundle
            .descriptor
            .as_ref()
            .map(|d| d.span)
            .or_else(|| bundle.policies.first().map(|p| p.name_span))
        else {
            return;
        };
        let kind = match bundle.kind {
            BundleKind::ApiProxy => "proxy",
            BundleKind::SharedFlow => "shared flow",
        };
        let message = format!(
            "{kind} `{}` has {count} policies, over the {limit} allowed",
            bundle.name
        );
        out.push(
            Diagnostic::new(&Self::META, at, message)
                .primary_label(format!("{count} files under policies/"))
                .help(format!(
                    "move what several proxies repeat (security, logging, error responses) into \
                     shared flows, and split a proxy that serves unrelated APIs; a bundle this \
                     large is hard to review and to test (`max-policies` of too-many-policies \
                     sets the limit, {limit} now)"
                )),
        );
    }
}
