//! A request class as it reaches a backend: described, with a concrete request where the class
//! pins one, and the path suffixes it is confined to, for messages and allow-lists.

use super::condition::Op;
use super::inputs::{Input, Sample, Samples};
use super::state::{describe, State};
use crate::model::PolicyId;

/// Request classes that reach a backend call (a TargetEndpoint's, or a RouteRule's URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// The guarding policies that certainly ran before the call (`Engine::checks_caller`).
    pub ran: Vec<PolicyId>,
    /// The classes, described (`request.header.authorization absent`, `any request`).
    pub class: String,
    /// One request of the classes, `GET /v1/orders/x`, when the base path is fixed and the
    /// classes pin the verb and the path suffix to sample values (or do not read them).
    pub request: Option<String>,
    /// The path suffixes every request of the classes has, or MatchesPath patterns it matches;
    /// `None` when the classes allow other paths.
    pub paths: Option<Vec<String>>,
    /// The verbs every request of the classes has; `None` when the classes allow any other.
    pub verbs: Option<Vec<String>>,
    /// No branch on an unknown condition or outcome was taken on the way: the requests
    /// certainly get there.
    pub certain: bool,
}

impl Arrival {
    pub(crate) fn of(state: &State, samples: &Samples) -> Arrival {
        Arrival {
            ran: state.ran.clone(),
            class: describe(state, samples),
            request: request(state, samples).filter(|_| !state.settled),
            paths: paths(state, samples),
            verbs: verbs(state, samples),
            certain: state.certain,
        }
    }

    /// Joins another group of classes into this one, past the number described: what
    /// certainly ran, or is certain, must hold for both.
    pub(crate) fn join(&mut self, other: &Arrival) {
        self.ran.retain(|k| other.ran.contains(k));
        self.certain &= other.certain;
        if self.paths != other.paths {
            self.paths = None;
        }
        if self.verbs != other.verbs {
            self.verbs = None;
        }
    }
}

/// The samples of `input` the state still allows; `None` when the conditions never read it.
fn allowed<'s>(state: &State, samples: &'s Samples, input: &Input) -> Option<Vec<&'s Sample>> {
    let i = samples.index(input)?;
    let values = &samples.inputs[i].1;
    Some(
        state
            .domains
            .get(i)
            .iter()
            .map(|s| &values[s as usize])
            .collect(),
    )
}

/// Verbs to name for "any other verb".
const VERBS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

fn request(state: &State, samples: &Samples) -> Option<String> {
    let base = samples.base.as_deref()?;
    let verb = match allowed(state, samples, &Input::Verb) {
        None => "GET".to_owned(),
        Some(values) => pick(samples, &Input::Verb, &values, &VERBS)?,
    };
    let suffix = match allowed(state, samples, &Input::PathSuffix) {
        None => String::new(),
        Some(values) => pick(samples, &Input::PathSuffix, &values, &["/x", "/y"])?,
    };
    let path = format!("{}{suffix}", base.trim_end_matches('/'));
    Some(format!(
        "{verb} {}",
        if path.is_empty() { "/" } else { &path }
    ))
}

/// A value of the samples allowed, a non-empty text first, then absent or empty; for
/// "any other value", one of `others` that is none of the literals, when no pattern test of
/// the input constrains it.
fn pick(samples: &Samples, input: &Input, allowed: &[&Sample], others: &[&str]) -> Option<String> {
    let text = allowed.iter().find_map(|s| match s {
        Sample::Text(t) if !t.is_empty() => Some(t.clone()),
        _ => None,
    });
    if text.is_some() {
        return text;
    }
    if allowed
        .iter()
        .any(|s| matches!(s, Sample::Absent | Sample::Text(_)))
    {
        return Some(String::new());
    }
    if samples.tests.iter().any(|t| t.input == *input) {
        return None;
    }
    let i = samples.index(input)?;
    let literals = &samples.inputs[i].1;
    others
        .iter()
        .find(|o| !literals.contains(&Sample::Text(o.to_string())))
        .map(|o| o.to_string())
}

fn verbs(state: &State, samples: &Samples) -> Option<Vec<String>> {
    let values = allowed(state, samples, &Input::Verb)?;
    values
        .iter()
        .map(|s| match s {
            Sample::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn paths(state: &State, samples: &Samples) -> Option<Vec<String>> {
    let values = allowed(state, samples, &Input::PathSuffix)?;
    let mut paths = Vec::new();
    for value in values {
        match value {
            Sample::Text(t) => paths.push(t.clone()),
            Sample::Absent => paths.push(String::new()),
            // Any other path: confined only by pattern tests, one of which each of them passes.
            Sample::Other => paths.extend(patterns_passed(state, samples)?),
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// MatchesPath patterns of the path suffix such that every request of the state whose path
/// suffix is "any other value" passes one of them: one pattern passed by all, or, for a group
/// of anchors, one passed pattern per anchor the state allows (none where it allows none).
fn patterns_passed(state: &State, samples: &Samples) -> Option<Vec<String>> {
    let passed = |t: usize| {
        let test = &samples.tests[t];
        let d = samples.inputs.len() + t;
        (test.input == Input::PathSuffix
            && test.op == Op::MatchesPath
            && state.domains.get(d).only() == Some(1))
        .then_some((d, &test.literal))
    };
    let tests = 0..samples.tests.len();
    if let Some((_, literal)) = tests
        .clone()
        .filter_map(passed)
        .find(|&(d, _)| samples.test_group(d).is_none())
    {
        return Some(vec![literal.clone()]);
    }
    // Grouped tests: each anchor the state allows needs a passed pattern of its own.
    let by_anchor: Vec<((usize, u16), &String)> = tests
        .filter_map(passed)
        .filter_map(|(d, literal)| Some((samples.test_group(d)?, literal)))
        .collect();
    let (group, _) = by_anchor.first()?.0;
    state
        .domains
        .get(group)
        .iter()
        .map(|value| {
            by_anchor
                .iter()
                .find(|((g, anchor), _)| *g == group && *anchor == value)
                .map(|(_, literal)| (*literal).clone())
        })
        .collect()
}
