//! What the structure rules share: the problems the catalog found in each file of a bundle, kept
//! by the model, on the run's platform; and how their findings name elements and values.

use super::{BundleRef, Context};
use crate::catalog::Profile;
use crate::catalog::{Problem, StructureProblem, Value};
use crate::diagnostic::Diagnostic;
use crate::model::Structure;

/// The platform the findings are about: the run's, else Apigee X.
pub(super) fn profile(cx: &Context) -> Profile {
    cx.profile.unwrap_or(Profile::X)
}

/// The structure of every policy, endpoint and shared flow file of the bundle.
pub(super) fn files<'b>(bundle: &BundleRef<'b>) -> impl Iterator<Item = &'b Structure> {
    let model = bundle.model;
    let policies = model.policies.iter().map(|p| &p.structure);
    let proxies = model.proxy_endpoints.iter().map(|e| &e.structure);
    let targets = model.target_endpoints.iter().map(|e| &e.structure);
    let shared = model.shared_flows.iter().map(|s| &s.structure);
    policies.chain(proxies).chain(targets).chain(shared)
}

/// Pushes a finding for each problem of the bundle's files, on the run's platform, that
/// `finding` turns into one.
pub(super) fn report(
    cx: &Context,
    bundle: BundleRef,
    out: &mut Vec<Diagnostic>,
    finding: impl Fn(&Problem, &StructureProblem) -> Option<Diagnostic>,
) {
    let profile = profile(cx);
    let problems = files(&bundle).flat_map(|s| &s.problems);
    for problem in problems.filter(|p| p.platforms.includes(profile)) {
        out.extend(finding(&problem.problem, problem));
    }
}

/// The path of the element holding the element at `path` (`OAuthV2` for `OAuthV2/Operation`).
pub(super) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(parent, _)| parent)
}

/// What a value of `expected` is, as a finding says it.
pub(super) fn describe(expected: Value) -> String {
    match expected {
        Value::Text => "text".to_owned(),
        Value::Boolean => "`true` or `false`".to_owned(),
        Value::Integer => "an integer".to_owned(),
        Value::OneOf(values) => {
            // A blank value is never checked, so an empty member of the enumeration is not news.
            let values: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
            if let [only] = values[..] {
                return format!("`{only}`");
            }
            let listed: Vec<String> = values.iter().take(8).map(|v| format!("`{v}`")).collect();
            let more = if values.len() > 8 { ", …" } else { "" };
            format!("one of {}{more}", listed.join(", "))
        }
        Value::Pattern(pattern) => format!("text matching `{pattern}`"),
        Value::Length { min, max } => format!("text of {min} to {max} characters"),
    }
}

/// Element names as a finding lists them: `<A>`, `<B>` and `<C>`.
pub(super) fn elements(names: &[&str]) -> String {
    let tagged: Vec<String> = names.iter().map(|n| format!("`<{n}>`")).collect();
    match tagged.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => tagged.concat(),
    }
}

/// A value as a message quotes it: on one line, cut after 40 characters.
pub(super) fn quoted(value: &str) -> String {
    let value = super::one_line(value.trim());
    match value.char_indices().nth(40) {
        Some((cut, _)) => format!("`{}…`", &value[..cut]),
        None => format!("`{value}`"),
    }
}
