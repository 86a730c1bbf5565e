//! What the project-wide rules share: which bundle a policy is in, and why a policy that would
//! satisfy a check never runs.

use super::Context;
use crate::engine::PolicyNeverRuns;
use crate::model::Policy;

/// Why no request runs `policy`, for a label; `None` when some request may.
pub(super) fn why_never_runs(cx: &Context, policy: &Policy) -> Option<String> {
    Some(match cx.engine.policy_never_runs(policy.id)? {
        PolicyNeverRuns::Disabled => "it is disabled (enabled=\"false\")".to_owned(),
        PolicyNeverRuns::NotAttached => "no Step attaches it".to_owned(),
        PolicyNeverRuns::Unreached(Some(why)) => {
            format!("no request reaches it: {}", why.describe())
        }
        PolicyNeverRuns::Unreached(None) => "no request reaches it".to_owned(),
    })
}

/// A policy's name and its bundle's, for a project-wide finding that spans bundles.
pub(super) fn in_bundle(cx: &Context, policy: &Policy) -> String {
    let bundle = cx.project.bundle(cx.project.policy_place(policy.id).bundle);
    format!("`{}` (bundle `{}`)", policy.name, bundle.name)
}
