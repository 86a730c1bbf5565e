//! What symbolic runs reached: flows entered, steps arrived at and run, backends called, and why a
//! flow was not entered. One run records what it touches ([`Run`]); the runs of every endpoint
//! are merged, in model order, into [`Visits`], kept by model id.

use super::arrival::Arrival;
use super::inputs::Samples;
use super::state::{describe, State};
use crate::model::{EndpointId, FlowId, PolicyId, Project, RouteRuleId, StepId};
use std::collections::{BTreeSet, HashMap};

/// A limit of the engine, or a behaviour Apigee does not document, that made a run approximate:
/// its "never runs" answers stay sound, but fewer are proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Limit {
    /// More states met at one point than the interpreter keeps apart: they were merged.
    States,
    /// A condition split the requests into more classes than are enumerated: it was unknown.
    ClassesPerCondition,
    /// FlowCallouts nested deeper than are followed.
    CalloutDepth,
    /// A shared flow calls itself, directly or through others: the repeated call is not
    /// followed, and what it does is unknown.
    RecursiveCallout,
}

impl Limit {
    /// What happened, for messages.
    pub fn describe(self) -> String {
        match self {
            Limit::States => format!(
                "more than {} groups of request classes met at one point and were merged",
                super::symbolic::MAX_STATES
            ),
            Limit::ClassesPerCondition => format!(
                "a condition needs more than {} evaluations to split its request classes and was taken as unknown",
                super::state::MAX_CLASSES_PER_CONDITION
            ),
            Limit::CalloutDepth => format!(
                "FlowCallouts nest more than {} deep and the deeper ones were not followed",
                super::order::MAX_CALLOUT_DEPTH
            ),
            Limit::RecursiveCallout => "a shared flow calls itself, directly or through others, \
                which Apigee does not document: the repeated call was not followed and what it \
                does was taken as unknown"
                .to_owned(),
        }
    }
}

/// Why no request enters a conditional flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unreached {
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
pub(crate) struct FlowVisit {
    pub request: bool,
    pub response: bool,
    pub unreached: Option<Unreached>,
}

impl FlowVisit {
    pub fn entered(&self) -> bool {
        self.request || self.response
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct StepVisit {
    /// Some request got to the step (before its condition).
    pub arrived: bool,
    /// Some request got past its condition.
    pub condition_held: bool,
    /// No request arrived because this earlier step of the same flow ends them all.
    pub blocked_by: Option<StepId>,
    /// Some of the request classes that run it, described (`request.verb = "POST" and …`).
    pub classes: Vec<String>,
    /// Guarding policies that certainly ran before it, for some request that runs it by a
    /// decided condition.
    pub ran_before: BTreeSet<PolicyId>,
    /// For each group of the requests that run it by a decided condition: the guarding
    /// policies that certainly ran before it.
    pub arrivals: Vec<Vec<PolicyId>>,
    /// The variables its condition reads that some request arrives with unset.
    pub unset_reads: BTreeSet<String>,
}

/// Whether requests reach a RouteRule and take it, and the request classes it sends to a
/// backend: its TargetEndpoint's call, or its URL.
#[derive(Clone, Debug, Default)]
pub(crate) struct RouteVisit {
    /// Some request got to its condition: no earlier RouteRule held for it.
    pub considered: bool,
    /// Some request took it (a null route's too).
    pub taken: bool,
    pub arrivals: Vec<Arrival>,
}

impl RouteVisit {
    /// Past the number described, the last group stands for the rest, joined.
    fn add(&mut self, arrival: Arrival) {
        let full = self.arrivals.len() >= MAX_DESCRIBED;
        match self.arrivals.last_mut() {
            Some(last) if full => last.join(&arrival),
            _ => self.arrivals.push(arrival),
        }
    }
}

/// At most this many request classes are described per step or target (for messages).
const MAX_DESCRIBED: usize = 8;

/// What one symbolic run reached: only what it touched, a few of the project's nodes.
#[derive(Default)]
pub(crate) struct Run {
    flows: HashMap<FlowId, FlowVisit>,
    steps: HashMap<StepId, StepVisit>,
    routes: HashMap<RouteRuleId, RouteVisit>,
    /// Some request got past every RouteRule of the ProxyEndpoint: Apigee fails to route it.
    pub route_failed: bool,
    /// The limits the run went past.
    pub approximated: BTreeSet<Limit>,
}

impl Run {
    pub fn entered(&mut self, flow: FlowId, response: bool) {
        let visit = self.flows.entry(flow).or_default();
        if response {
            visit.response = true;
        } else {
            visit.request = true;
        }
        visit.unreached = None;
    }

    pub fn was_entered(&self, flow: FlowId) -> bool {
        self.flows.get(&flow).is_some_and(FlowVisit::entered)
    }

    pub fn unreached(&mut self, flow: FlowId, reason: Unreached) {
        let visit = self.flows.entry(flow).or_default();
        if !visit.entered() && visit.unreached.is_none() {
            visit.unreached = Some(reason);
        }
    }

    pub fn arrived(&mut self, step: StepId) {
        self.steps.entry(step).or_default().arrived = true;
    }

    pub fn unset_read(&mut self, step: StepId, variable: &str) {
        let visit = self.steps.entry(step).or_default();
        if !visit.unset_reads.contains(variable) {
            visit.unset_reads.insert(variable.to_owned());
        }
    }

    pub fn condition_held(&mut self, step: StepId) {
        self.steps.entry(step).or_default().condition_held = true;
    }

    pub fn blocked(&mut self, step: StepId, by: StepId) {
        let visit = self.steps.entry(step).or_default();
        if !visit.arrived {
            visit.blocked_by.get_or_insert(by);
        }
    }

    /// Describes the classes of `state`, which runs the step.
    /// `decided`: the step's own condition met no unknown verdict.
    pub fn ran_for(
        &mut self,
        step: StepId,
        policy: PolicyId,
        state: &State,
        samples: &Samples,
        decided: bool,
    ) {
        let visit = self.steps.entry(step).or_default();
        // `state.ran` ends with the step's own policy when it guards. A step whose condition is unknown may
        // never run after them: only decided ones count.
        if decided {
            let before = match state.ran.last() {
                Some(&last) if last == policy => &state.ran[..state.ran.len() - 1],
                _ => &state.ran[..],
            };
            visit.ran_before.extend(before.iter().copied());
            push_arrival(&mut visit.arrivals, before.to_vec());
        }
        if visit.classes.len() < MAX_DESCRIBED {
            let class = describe(state, samples);
            if !visit.classes.contains(&class) {
                visit.classes.push(class);
            }
        }
    }

    pub fn route_considered(&mut self, rule: RouteRuleId) {
        self.routes.entry(rule).or_default().considered = true;
    }

    pub fn routed(&mut self, rule: RouteRuleId) {
        self.routes.entry(rule).or_default().taken = true;
    }

    pub fn backend_called(&mut self, rule: RouteRuleId, state: &State, samples: &Samples) {
        let visit = self.routes.entry(rule).or_default();
        visit.add(Arrival::of(state, samples));
    }
}

/// Keeps a group's "certainly ran" list; past the limit, the last group takes the others'
/// intersection, which keeps "certainly ran" sound.
fn push_arrival(arrivals: &mut Vec<Vec<PolicyId>>, ran: Vec<PolicyId>) {
    if arrivals.contains(&ran) {
        return;
    }
    let full = arrivals.len() >= MAX_DESCRIBED;
    match arrivals.last_mut() {
        Some(last) if full => last.retain(|p| ran.contains(p)),
        _ => arrivals.push(ran),
    }
}

/// What the symbolic runs of every endpoint reached, by id.
pub(crate) struct Visits {
    flows: Vec<FlowVisit>,
    steps: Vec<StepVisit>,
    routes: Vec<RouteVisit>,
    /// By endpoint: some request of the ProxyEndpoint's run matched none of its RouteRules.
    route_failed: Vec<bool>,
    /// By endpoint (a ProxyEndpoint, or a shared flow run on its own): the limits its run went
    /// past; empty when it was exact.
    limits: Vec<BTreeSet<Limit>>,
}

impl Visits {
    pub fn new(project: &Project) -> Visits {
        let endpoints = project.endpoint_ids().count();
        Visits {
            flows: vec![FlowVisit::default(); project.flow_ids().count()],
            steps: vec![StepVisit::default(); project.step_ids().count()],
            routes: vec![RouteVisit::default(); project.route_rule_ids().count()],
            route_failed: vec![false; endpoints],
            limits: vec![BTreeSet::new(); endpoints],
        }
    }

    pub fn flow(&self, flow: FlowId) -> &FlowVisit {
        &self.flows[flow.index()]
    }

    pub fn step(&self, step: StepId) -> &StepVisit {
        &self.steps[step.index()]
    }

    pub fn route(&self, rule: RouteRuleId) -> &RouteVisit {
        &self.routes[rule.index()]
    }

    pub fn route_failed(&self, endpoint: EndpointId) -> bool {
        self.route_failed[endpoint.index()]
    }

    pub fn limits_reached(&self, origin: EndpointId) -> &BTreeSet<Limit> {
        &self.limits[origin.index()]
    }

    /// Adds what the run from `origin` (a ProxyEndpoint, or a shared flow run on its own)
    /// reached. A node several runs reach (a shared flow, a TargetEndpoint two ProxyEndpoints
    /// route to) keeps what the earlier runs said where only one answer is kept.
    pub fn absorb(&mut self, origin: EndpointId, run: Run) {
        for (id, v) in run.flows {
            let mine = &mut self.flows[id.index()];
            mine.request |= v.request;
            mine.response |= v.response;
            if mine.entered() {
                mine.unreached = None;
            } else if mine.unreached.is_none() {
                mine.unreached = v.unreached;
            }
        }
        for (id, v) in run.steps {
            let mine = &mut self.steps[id.index()];
            mine.arrived |= v.arrived;
            mine.condition_held |= v.condition_held;
            if mine.arrived {
                mine.blocked_by = None;
            } else if mine.blocked_by.is_none() {
                mine.blocked_by = v.blocked_by;
            }
            mine.ran_before.extend(v.ran_before);
            mine.unset_reads.extend(v.unset_reads);
            for arrival in v.arrivals {
                push_arrival(&mut mine.arrivals, arrival);
            }
            for class in v.classes {
                if mine.classes.len() < MAX_DESCRIBED && !mine.classes.contains(&class) {
                    mine.classes.push(class);
                }
            }
        }
        for (id, v) in run.routes {
            let mine = &mut self.routes[id.index()];
            mine.considered |= v.considered;
            mine.taken |= v.taken;
            for arrival in v.arrivals {
                mine.add(arrival);
            }
        }
        self.route_failed[origin.index()] |= run.route_failed;
        self.limits[origin.index()].extend(run.approximated);
    }
}
