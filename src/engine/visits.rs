//! What a symbolic run reached: flows entered, steps arrived at and run, and why a flow was not.

use super::inputs::Samples;
use super::state::{describe, PolicyKey, State};
use crate::model::{Flow, Step, TargetEndpoint};
use std::collections::{BTreeSet, HashMap};

/// A limit of the engine that made a run approximate: its "never runs" answers stay sound, but
/// fewer are proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Limit {
    /// More states met at one point than the interpreter keeps apart: they were merged.
    States,
    /// A condition split the requests into more classes than are enumerated: it was unknown.
    ClassesPerCondition,
    /// FlowCallouts nested deeper than are followed.
    CalloutDepth,
}

impl Limit {
    /// What happened, for messages.
    pub fn describe(self) -> String {
        match self {
            Limit::States => format!(
                "more than {} groups of request classes met at one point and were merged",
                super::interp::MAX_STATES
            ),
            Limit::ClassesPerCondition => format!(
                "a condition splits requests into more than {} classes and was taken as unknown",
                super::state::MAX_CLASSES_PER_CONDITION
            ),
            Limit::CalloutDepth => format!(
                "FlowCallouts nest more than {} deep and the deeper ones were not followed",
                super::interp::MAX_CALLOUT_DEPTH
            ),
        }
    }
}

/// Why no request enters a conditional flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreached {
    /// Every request ends earlier (the PreFlow always faults, say).
    NoRequestArrives,
    /// No request that gets this far satisfies the condition; `full_path`: the condition reads
    /// `request.path`, which starts with the endpoint's base path.
    NeverHolds { full_path: bool },
    /// The earlier flow at this index takes every request this one would match.
    ShadowedBy(usize),
    /// Earlier flows together take every request this one would match.
    ShadowedByEarlierFlows,
}

#[derive(Clone, Debug, Default)]
pub struct FlowVisit {
    pub request: bool,
    pub response: bool,
    pub unreached: Option<Unreached>,
}

#[derive(Clone, Debug, Default)]
pub struct StepVisit {
    /// Some request got to the step (before its condition).
    pub arrived: bool,
    /// Some request got past its condition.
    pub condition_held: bool,
    /// Some request ran its policy.
    pub ran: bool,
    /// Policies that ran before it in every request that ran it.
    pub before: Option<Vec<PolicyKey>>,
    /// No request arrived because this earlier step of the same flow ends them all.
    pub blocked_by: Option<usize>,
    /// Some of the request classes that run it, described (`request.verb = "POST" and …`).
    pub classes: Vec<String>,
}

/// The request classes that reach a TargetEndpoint's call to the backend.
#[derive(Clone, Debug, Default)]
pub struct TargetVisit {
    /// For each group of classes: the policies that certainly ran before the call, and the
    /// classes, described.
    pub arrivals: Vec<(Vec<PolicyKey>, String)>,
}

/// At most this many request classes are described per step or target (for messages).
const MAX_DESCRIBED: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct Visits {
    flows: HashMap<usize, FlowVisit>,
    steps: HashMap<usize, StepVisit>,
    targets: HashMap<usize, TargetVisit>,
    /// The engine's limits this run went past: "unreached" answers are still sound, but less
    /// is proved.
    pub approximated: BTreeSet<Limit>,
    /// The ProxyEndpoints (and unattached shared flows) whose run was approximated, and why.
    approximated_at: Vec<(usize, BTreeSet<Limit>)>,
}

fn key<T>(item: &T) -> usize {
    item as *const T as usize
}

impl Visits {
    pub fn entered(&mut self, flow: &Flow, response: bool) {
        let visit = self.flows.entry(key(flow)).or_default();
        if response {
            visit.response = true;
        } else {
            visit.request = true;
        }
        visit.unreached = None;
    }

    pub fn was_entered(&self, flow: &Flow) -> bool {
        self.flows
            .get(&key(flow))
            .is_some_and(|v| v.request || v.response)
    }

    pub fn unreached(&mut self, flow: &Flow, reason: Unreached) {
        let visit = self.flows.entry(key(flow)).or_default();
        if !visit.request && !visit.response && visit.unreached.is_none() {
            visit.unreached = Some(reason);
        }
    }

    pub fn arrived(&mut self, step: &Step) {
        self.steps.entry(key(step)).or_default().arrived = true;
    }

    pub fn condition_held(&mut self, step: &Step) {
        self.steps.entry(key(step)).or_default().condition_held = true;
    }

    pub fn blocked(&mut self, step: &Step, by: &Step) {
        let visit = self.steps.entry(key(step)).or_default();
        if !visit.arrived {
            visit.blocked_by.get_or_insert(key(by));
        }
    }

    pub fn ran(&mut self, step: &Step, state: &State) {
        let visit = self.steps.entry(key(step)).or_default();
        visit.ran = true;
        visit.before = Some(match visit.before.take() {
            None => state.ran.clone(),
            Some(before) => before
                .into_iter()
                .filter(|k| state.ran.contains(k))
                .collect(),
        });
    }

    pub fn ran_for(&mut self, step: &Step, state: &State, samples: &Samples) {
        let visit = self.steps.entry(key(step)).or_default();
        if visit.classes.len() < MAX_DESCRIBED {
            let class = describe(state, samples);
            if !visit.classes.contains(&class) {
                visit.classes.push(class);
            }
        }
    }

    pub fn target_called(&mut self, target: &TargetEndpoint, state: &State, samples: &Samples) {
        let visit = self.targets.entry(key(target)).or_default();
        if visit.arrivals.len() < MAX_DESCRIBED {
            visit
                .arrivals
                .push((state.ran.clone(), describe(state, samples)));
        } else if let Some((ran, _)) = visit.arrivals.last_mut() {
            // Past the limit, keep the "certainly ran" part sound by intersecting.
            ran.retain(|k| state.ran.contains(k));
        }
    }

    pub fn target(&self, target: &TargetEndpoint) -> Option<&TargetVisit> {
        self.targets.get(&key(target))
    }

    /// Records the limits the run from `origin` (a ProxyEndpoint or shared flow) went past.
    pub fn approximated_from<T>(&mut self, origin: &T) {
        if !self.approximated.is_empty() {
            self.approximated_at
                .push((key(origin), self.approximated.clone()));
        }
    }

    /// The limits the run from `origin` went past; empty when it was exact.
    pub fn limits_reached<T>(&self, origin: &T) -> BTreeSet<Limit> {
        self.approximated_at
            .iter()
            .filter(|(at, _)| *at == key(origin))
            .flat_map(|(_, limits)| limits.iter().copied())
            .collect()
    }

    pub fn flow(&self, flow: &Flow) -> Option<&FlowVisit> {
        self.flows.get(&key(flow))
    }

    pub fn step(&self, step: &Step) -> Option<&StepVisit> {
        self.steps.get(&key(step))
    }

    /// Is `blocker` the step recorded as ending every request before `step`?
    pub fn is_blocker(&self, step: &Step, blocker: &Step) -> bool {
        self.step(step).and_then(|v| v.blocked_by) == Some(key(blocker))
    }

    /// Adds what another run reached (a shared flow is reached from several proxies).
    pub fn absorb(&mut self, other: Visits) {
        for (k, v) in other.flows {
            let mine = self.flows.entry(k).or_default();
            mine.request |= v.request;
            mine.response |= v.response;
            if mine.request || mine.response {
                mine.unreached = None;
            } else if mine.unreached.is_none() {
                mine.unreached = v.unreached;
            }
        }
        for (k, v) in other.steps {
            let mine = self.steps.entry(k).or_default();
            mine.arrived |= v.arrived;
            mine.condition_held |= v.condition_held;
            mine.ran |= v.ran;
            mine.before = match (mine.before.take(), v.before) {
                (Some(a), Some(b)) => Some(a.into_iter().filter(|k| b.contains(k)).collect()),
                (a, b) => a.or(b),
            };
            if mine.arrived {
                mine.blocked_by = None;
            } else if mine.blocked_by.is_none() {
                mine.blocked_by = v.blocked_by;
            }
            for class in v.classes {
                if mine.classes.len() < MAX_DESCRIBED && !mine.classes.contains(&class) {
                    mine.classes.push(class);
                }
            }
        }
        for (k, v) in other.targets {
            let mine = self.targets.entry(k).or_default();
            for arrival in v.arrivals {
                let full = mine.arrivals.len() >= MAX_DESCRIBED;
                match mine.arrivals.last_mut() {
                    Some((ran, _)) if full => ran.retain(|k| arrival.0.contains(k)),
                    _ => mine.arrivals.push(arrival),
                }
            }
        }
        self.approximated.extend(other.approximated);
        self.approximated_at.extend(other.approximated_at);
    }
}
