//! Which conditional flows of a segment may still take a state. A flow whose condition needs
//! the path to be one of some texts, or to have one of some anchors (`/r7/*` needs `r7`), takes
//! no request whose path has none of them. A state that no later flow may take leaves the
//! flows at once: the requests each flow of a generated proxy lets through (`/r7/x` by another
//! verb) then join the requests it took, instead of piling up until the last flow. And a
//! state whose path has none of a flow's keys goes past that flow without its condition being
//! evaluated: the requests that took one flow meet the next ten thousand in the response only
//! where their path is wanted.

use super::condition::{literal_text, Expr, ExprKind, Op, OperandKind};
use super::inputs::{Input, Sample, Samples};
use super::state::State;
use crate::model::Flow;

/// Past this many path samples or anchors, a state is taken to be wanted by some later flow
/// (looking further would cost as much as the flows).
const MAX_KEYS: usize = 64;

/// Something a path may have that a flow's condition needs.
#[derive(Clone, Copy, PartialEq)]
enum Key {
    /// A text sample of the path suffix.
    Text(u16),
    /// An anchor of a group: the group's index among the groups, and the anchor's value.
    Anchor(usize, u16),
}

/// For one segment's conditional flows, by key: the last flow that needs it.
pub(crate) struct Dispatch {
    /// The path suffix's input.
    input: usize,
    /// The last flow whose condition needs no key: any state may be taken up to it.
    last_free: Option<usize>,
    last_by_text: Vec<Option<usize>>,
    /// By group of the path suffix, by anchor.
    last_by_anchor: Vec<Vec<Option<usize>>>,
    /// By group of the path suffix: the last flow that needs one of its anchors.
    last_by_group: Vec<Option<usize>>,
    /// By flow: the keys one of which its condition needs (`None`: none).
    keys: Vec<Option<Vec<Key>>>,
    /// By group, by anchor: the text samples of the path whose element at the group's place
    /// is that anchor; the last list, those whose element is not known.
    texts_by_anchor: Vec<Vec<Vec<u16>>>,
    /// The variables the needs read: the path suffix, and `request.path` if a need reads it.
    reads: Vec<&'static str>,
}

impl Dispatch {
    /// `condition(flow)`: its parsed condition (`None`: none, or unparsable).
    pub fn new<'e>(
        samples: &Samples,
        flows: &'e [Flow],
        condition: impl Fn(&'e Flow) -> Option<&'e Expr>,
    ) -> Option<Dispatch> {
        let input = samples.index(&Input::PathSuffix)?;
        let groups = samples.groups.len();
        let mut dispatch = Dispatch {
            input,
            last_free: None,
            last_by_text: vec![None; samples.inputs[input].1.len()],
            last_by_anchor: samples
                .groups
                .iter()
                .map(|g| vec![None; g.values.len() + 1])
                .collect(),
            last_by_group: vec![None; groups],
            keys: Vec::with_capacity(flows.len()),
            texts_by_anchor: samples
                .groups
                .iter()
                .map(|g| {
                    let mut texts = vec![Vec::new(); g.values.len() + 2];
                    for (t, sample) in samples.inputs[input].1.iter().enumerate() {
                        if *sample != Sample::Other {
                            let anchor = g.anchor_of_sample(t as u16);
                            texts[anchor.map_or(g.values.len() + 1, usize::from)].push(t as u16);
                        }
                    }
                    texts
                })
                .collect(),
            reads: vec!["proxy.pathsuffix"],
        };
        for (k, flow) in flows.iter().enumerate() {
            let expr = condition(flow);
            if expr.is_some_and(|e| {
                e.variables().iter().any(|o| {
                    matches!(&o.kind, OperandKind::Variable { name, .. } if Input::of(name) == Some(Input::Path))
                })
            }) && dispatch.reads.len() == 1
            {
                dispatch.reads.push("request.path");
            }
            let keys = expr.and_then(|expr| needs(expr, samples, input));
            match &keys {
                None => dispatch.last_free = Some(k),
                Some(keys) => {
                    for &key in keys {
                        match key {
                            Key::Text(t) => dispatch.last_by_text[t as usize] = Some(k),
                            Key::Anchor(g, v) => {
                                dispatch.last_by_anchor[g][v as usize] = Some(k);
                                dispatch.last_by_group[g] = Some(k);
                            }
                        }
                    }
                }
            }
            dispatch.keys.push(keys);
        }
        Some(dispatch)
    }

    /// May the flow at index `k` take some request of `state`? (When not, its condition fails
    /// for every request of the state.)
    pub fn may_take(&self, samples: &Samples, state: &State, k: usize) -> bool {
        let Some(keys) = &self.keys[k] else {
            return true;
        };
        if path_changed(state, &self.reads) {
            return true;
        }
        let path = state.domains.get(self.input);
        let other = samples.inputs[self.input].1.len() as u16 - 1;
        // Past `MAX_KEYS` on both sides, taken as may (looking would cost as much as the flow).
        let any_in_path = |texts: &[u16]| {
            if texts.len().min(path.len()) > MAX_KEYS {
                return true;
            }
            match texts.len() <= path.len() {
                true => texts.iter().any(|&t| path.contains(t)),
                false => path.iter().any(|t| texts.binary_search(&t).is_ok()),
            }
        };
        keys.iter().any(|&key| match key {
            Key::Text(t) => path.contains(t),
            Key::Anchor(g, v) => {
                let texts = &self.texts_by_anchor[g];
                (path.contains(other) && state.domains.get(samples.group_domain(g)).contains(v))
                    || any_in_path(&texts[v as usize])
                    || any_in_path(&texts[texts.len() - 1])
            }
        })
    }

    /// May a flow after the one at index `k` take some request of `state`?
    pub fn wanted_after(&self, samples: &Samples, state: &State, k: usize) -> bool {
        let later = |last: Option<usize>| last.is_some_and(|last| last > k);
        if later(self.last_free) || path_changed(state, &self.reads) {
            return true;
        }
        let path = state.domains.get(self.input);
        if path.len() > MAX_KEYS {
            return true;
        }
        let values = &samples.inputs[self.input].1;
        for t in path.iter() {
            if values[t as usize] == Sample::Other {
                for (g, last) in self.last_by_anchor.iter().enumerate() {
                    let anchors = state.domains.get(samples.group_domain(g));
                    if anchors.len() > MAX_KEYS || anchors.iter().any(|v| later(last[v as usize])) {
                        return true;
                    }
                }
                continue;
            }
            if later(self.last_by_text[t as usize]) {
                return true;
            }
            for (g, last) in self.last_by_anchor.iter().enumerate() {
                let wanted = match samples.groups[g].anchor_of_sample(t) {
                    Some(v) => later(last[v as usize]),
                    None => later(self.last_by_group[g]),
                };
                if wanted {
                    return true;
                }
            }
        }
        false
    }
}

/// Has a policy (or the backend) changed a variable the flows' needs read, so that conditions
/// no longer read the path's samples? `names`: lowercase.
fn path_changed(state: &State, names: &[&str]) -> bool {
    names.iter().any(|name| {
        state.vars.keys().any(|set| set.eq_ignore_ascii_case(name))
            || state
                .unknown
                .iter()
                .any(|prefix| name.starts_with(prefix.as_str()))
    })
}

/// Keys one of which the path of every request satisfying `expr` has; `None`: no such keys.
fn needs(expr: &Expr, samples: &Samples, input: usize) -> Option<Vec<Key>> {
    match &expr.kind {
        ExprKind::And(a, b) => needs(a, samples, input).or_else(|| needs(b, samples, input)),
        ExprKind::Or(a, b) => {
            let mut keys = needs(a, samples, input)?;
            keys.extend(needs(b, samples, input)?);
            Some(keys)
        }
        ExprKind::Not(_) | ExprKind::Bare(_) => None,
        ExprKind::Compare(c) => {
            let OperandKind::Variable { name, .. } = &c.lhs.kind else {
                return None;
            };
            let literal = literal_text(&c.rhs)?;
            match (Input::of(name)?, c.op) {
                (Input::PathSuffix, Op::Equals) => {
                    Some(vec![Key::Text(samples.text_sample(input, &literal)?)])
                }
                (found, Op::MatchesPath) => {
                    let t = samples.test_index(&found, Op::MatchesPath, &literal)?;
                    let (group, anchor) = samples.test_group(t)?;
                    let g = group - samples.group_domain(0);
                    (samples.groups[g].input == input).then_some(vec![Key::Anchor(g, anchor)])
                }
                _ => None,
            }
        }
    }
}
