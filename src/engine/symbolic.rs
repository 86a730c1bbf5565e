//! The symbolic domain: a run carries every request class an endpoint's conditions tell apart
//! (see `inputs`), splits them at each condition, and records what they reach ([`Run`]).
//! Values it cannot know count as "may", so what it says never runs has been proved.

use super::catalog::asked_about;
use super::classes::SampleSet;
use super::condition::{Expr, OperandKind, Truth};
use super::dispatch::Dispatch;
use super::domain::{Decision, Domain, Errors, Guard, Observer};
use super::effects::{Outcome, Report, Runner};
use super::inputs::{Input, Samples};
use super::oauth::{fault, Fault};
use super::order::{NotFollowed, Phase, Route, Segment, TargetPlan};
use super::state::{compact, join, split, unite_domains, State, World, MAX_CLASSES_PER_CONDITION};
use super::visits::{Limit, Run, Unreached};
use super::Engine;
use crate::model::{EndpointId, Flow, Policy, ProxyEndpoint, RouteRule, Step};

/// Past this many states at one point, states are merged (an over-approximation) and the run
/// says its answers are approximate.
pub(crate) const MAX_STATES: usize = 64;

/// Past this many states gathered after conditional flows, the inputs no later condition reads
/// are settled (see `gather`).
const SETTLE_PAST: usize = 16;

pub(crate) struct Symbolic<'s> {
    samples: &'s Samples,
    pub run: Run,
    /// By segment met (its endpoint and phase): which of its flows may take which states.
    dispatches: Vec<((EndpointId, Phase), Option<Dispatch>)>,
    /// The domains (inputs, their tests and groups) no condition reads once requests have left
    /// the ProxyEndpoint's conditional flows, with every sample each may have.
    settled: Vec<(usize, SampleSet)>,
}

impl<'s> Symbolic<'s> {
    pub fn new(samples: &'s Samples) -> Self {
        Symbolic {
            samples,
            run: Run::default(),
            dispatches: Vec::new(),
            settled: Vec::new(),
        }
    }

    /// With the inputs no condition reads once requests have left the ProxyEndpoint's
    /// conditional flows (see `reach::settled_inputs`).
    pub fn settling(mut self, inputs: &[usize]) -> Self {
        let samples = self.samples;
        let mut settles = vec![false; samples.inputs.len()];
        for &i in inputs {
            settles[i] = true;
        }
        self.settled = (0..samples.domain_count())
            .filter(|&d| settles.get(samples.input_of(d)) == Some(&true))
            .map(|d| (d, SampleSet::first(samples.domain_size(d))))
            .collect();
        self
    }

    /// The state with its settled domains given every sample: past its conditional flows no
    /// condition tells those requests apart any more.
    fn settle(&self, mut state: State) -> State {
        for (d, every) in &self.settled {
            if state.domains.get(*d) != every {
                state.domains.set(*d, every.clone());
                state.settled = true;
            }
        }
        state
    }

    fn world(&self) -> World<'s> {
        World::Symbolic(self.samples)
    }

    /// Why each conditional flow that no request entered is unreachable.
    fn explain_unreached(&mut self, engine: &Engine, flows: &[Flow], arriving: &[State]) {
        for (i, flow) in flows.iter().enumerate() {
            if self.run.was_entered(flow.id) {
                continue;
            }
            let reason = if arriving.is_empty() {
                Unreached::NoRequestArrives
            } else {
                let alone = self
                    .decide(arriving.to_vec(), engine.guard(flow.condition.as_ref()))
                    .holds;
                if alone.is_empty() {
                    Unreached::NeverHolds {
                        full_path: self.reads_full_path(engine.guard(flow.condition.as_ref())),
                    }
                } else {
                    // The first earlier flow that takes every request this one would match.
                    let shadow = flows[..i].iter().position(|earlier| {
                        let guard = engine.guard(earlier.condition.as_ref());
                        self.decide(alone.clone(), guard).fails.is_empty()
                    });
                    shadow.map_or(Unreached::ShadowedByEarlierFlows, Unreached::ShadowedBy)
                }
            };
            self.run.unreached(flow.id, reason);
        }
    }

    /// Does the condition read `request.path` where it is known to start with the base path?
    fn reads_full_path(&self, guard: Guard) -> bool {
        self.samples.base.is_some()
            && guard.expr.is_some_and(|expr| {
                expr.variables().iter().any(|o| {
                    matches!(&o.kind, OperandKind::Variable { name, .. }
                        if Input::of(name) == Some(Input::Path))
                })
            })
    }
}

impl<'p> Observer<'p> for Symbolic<'_> {
    fn flow_entered(&mut self, flow: &'p Flow, phase: Phase) {
        self.run.entered(flow.id, phase == Phase::Response);
    }

    fn step_arrived(&mut self, step: &'p Step, condition: Option<&Expr>, states: &[State]) {
        self.run.arrived(step.id);
        for operand in condition.map(Expr::variables).unwrap_or_default() {
            if let OperandKind::Variable { name, .. } = &operand.kind {
                if states.iter().any(|s| s.may_be_unset(self.world(), name)) {
                    self.run.unset_read(step.id, name);
                }
            }
        }
    }

    fn step_blocked(&mut self, step: &'p Step, by: &'p Step) {
        self.run.blocked(step.id, by.id);
    }

    fn step_condition_held(&mut self, step: &'p Step) {
        self.run.condition_held(step.id);
    }

    /// Request classes are described for the policies "on which paths does it run?" is asked
    /// about only (see `catalog::asked_about`): describing every step's classes is costly.
    fn policy_runs(&mut self, step: &'p Step, policy: &'p Policy, state: &State, decided: bool) {
        if asked_about(policy) {
            self.run
                .ran_for(step.id, policy.id, state, self.samples, decided);
        }
    }

    fn callout_not_followed(&mut self, _: &'p Policy, why: NotFollowed) {
        let limit = match why {
            NotFollowed::Outside => return,
            NotFollowed::Recursive => Limit::RecursiveCallout,
            NotFollowed::TooDeep => Limit::CalloutDepth,
        };
        self.run.approximated.insert(limit);
    }

    fn route_failed(&mut self, _endpoint: &'p ProxyEndpoint) {
        self.run.route_failed = true;
    }

    fn route_considered(&mut self, rule: &'p RouteRule) {
        self.run.route_considered(rule.id);
    }

    fn routed(&mut self, route: &Route<'p>) {
        self.run.routed(route.rule.id);
    }

    fn backend_called(&mut self, rule: &'p RouteRule, states: &[State]) {
        for state in states {
            self.run.backend_called(rule.id, state, self.samples);
        }
    }
}

impl<'p> Domain<'p> for Symbolic<'_> {
    type Observer = Self;

    fn observer(&mut self) -> &mut Self {
        self
    }

    fn decide(&mut self, states: Vec<State>, guard: Guard) -> Decision {
        let spared = vec![false; states.len()];
        self.decide_sparing(states, guard, &spared)
    }

    fn decide_flow(
        &mut self,
        engine: &Engine<'p>,
        segment: Segment<'p>,
        index: usize,
        states: Vec<State>,
        guard: Guard,
    ) -> Decision {
        let at = self.dispatch(engine, segment);
        let spared: Vec<bool> = match &self.dispatches[at].1 {
            Some(dispatch) => states
                .iter()
                .map(|state| !dispatch.may_take(self.samples, state, index))
                .collect(),
            None => vec![false; states.len()],
        };
        self.decide_sparing(states, guard, &spared)
    }

    fn limit(&mut self, states: Vec<State>) -> Vec<State> {
        let fresh = vec![false; states.len()];
        self.limit_marked(states, &fresh)
    }

    /// The states kept were compacted together already: they are not compared again. These
    /// states have left a segment's conditional flows (the ProxyEndpoint's, or one met later):
    /// past the bound, the inputs no later condition reads are settled before they are merged.
    fn gather(&mut self, mut kept: Vec<State>, new: Vec<State>) -> Vec<State> {
        let mut carried = vec![true; kept.len()];
        carried.resize(kept.len() + new.len(), false);
        kept.extend(new);
        // With nothing to settle, compaction goes on to the bound rather than starting over.
        let max = match self.settled.is_empty() {
            true => MAX_STATES,
            false => SETTLE_PAST,
        };
        let states = match compact(kept, &carried, max) {
            Ok(states) => return states,
            Err(states) => states,
        };
        if self.settled.is_empty() {
            return self.past_bound(states);
        }
        let settled: Vec<State> = states.into_iter().map(|s| self.settle(s)).collect();
        let fresh = vec![false; settled.len()];
        self.limit_marked(settled, &fresh)
    }

    fn past_flows(
        &mut self,
        engine: &Engine<'p>,
        segment: Segment<'p>,
        index: usize,
        pending: &mut Vec<State>,
    ) -> Vec<State> {
        let at = self.dispatch(engine, segment);
        let Some(dispatch) = &self.dispatches[at].1 else {
            return Vec::new();
        };
        let (wanted, done): (Vec<State>, Vec<State>) = std::mem::take(pending)
            .into_iter()
            .partition(|state| dispatch.wanted_after(self.samples, state, index));
        *pending = wanted;
        done
    }

    /// Every state that fails folds into one, which keeps the error path linear and only
    /// widens what FaultRule conditions may see: any request, with anything unknown.
    fn fail(&mut self, errors: &mut Errors, _: State, fault: Fault) {
        if errors.is_empty() {
            let mut any = State::new(self.world());
            any.opaque = true;
            any.certain = false;
            errors.push((any, fault));
        }
    }

    /// One state for every way of getting here keeps the error path linear.
    fn at_fault_rules(&mut self, states: Vec<State>) -> Vec<State> {
        merge_all(states)
    }

    fn run_policy(&mut self, policy: &Policy, state: &mut State, report: &mut Report) -> Outcome {
        Runner {
            world: self.world(),
            store: None,
        }
        .run(policy, state, report)
    }

    /// The backend may fail (a timeout, a 5xx), which enters the TargetEndpoint's error path.
    fn call_backend(
        &mut self,
        _: &Engine<'p>,
        _: &TargetPlan<'p>,
        states: Vec<State>,
        errors: &mut Errors,
    ) -> Vec<State> {
        for state in &states {
            let mut failing = state.clone();
            failing.certain = false;
            failing.set("fault.name", super::condition::Lookup::Unknown);
            Domain::fail(self, errors, failing, fault("unknown", ""));
        }
        states
    }

    fn conditional_flows_done(
        &mut self,
        engine: &Engine<'p>,
        segment: Segment<'p>,
        arriving: &[State],
        _: Option<usize>,
    ) {
        if segment.phase == Phase::Request {
            self.explain_unreached(engine, &segment.flows.conditional, arriving);
        }
    }
}

impl Symbolic<'_> {
    /// [`Domain::decide`], where the states `spared` are known to fail the condition whole.
    fn decide_sparing(&mut self, states: Vec<State>, guard: Guard, spared: &[bool]) -> Decision {
        let (mut holds, mut fails) = (Vec::new(), Vec::new());
        // Which of them went whole to their side (see `compact`).
        let (mut holds_whole, mut fails_whole) = (Vec::new(), Vec::new());
        let mut truth = None;
        let mut uncertain = false;
        let mut budget = MAX_CLASSES_PER_CONDITION;
        for (state, spared) in states.into_iter().zip(spared) {
            if *spared {
                truth = Decision::combine(truth, Truth::False);
                fails.push(state);
                fails_whole.push(true);
                continue;
            }
            let s = split(
                state,
                self.world(),
                guard.expr,
                guard.unparsable,
                &mut budget,
            );
            if s.over_limit {
                self.run.approximated.insert(Limit::ClassesPerCondition);
            }
            truth = Decision::combine(truth, s.truth);
            uncertain |= s.uncertain;
            holds_whole.extend(s.holds.iter().map(|_| !s.narrowed));
            fails_whole.extend(s.fails.iter().map(|_| !s.narrowed));
            holds.extend(s.holds);
            fails.extend(s.fails);
        }
        Decision {
            holds: self.limit_marked(holds, &holds_whole),
            fails: self.limit_marked(fails, &fails_whole),
            truth: truth.unwrap_or(Truth::Unknown),
            uncertain,
        }
    }

    /// Where the dispatch of a segment's conditional flows is kept (built on first use).
    fn dispatch<'p>(&mut self, engine: &Engine<'p>, segment: Segment<'p>) -> usize {
        let key = (segment.endpoint, segment.phase);
        match self.dispatches.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let dispatch = Dispatch::new(self.samples, &segment.flows.conditional, |flow| {
                    engine.guard(flow.condition.as_ref()).expr
                });
                self.dispatches.push((key, dispatch));
                self.dispatches.len() - 1
            }
        }
    }

    /// [`Domain::limit`], for states of which those `carried` went whole through a condition
    /// since the compaction that kept them (see `compact`).
    fn limit_marked(&mut self, states: Vec<State>, carried: &[bool]) -> Vec<State> {
        if states.len() <= 1 {
            return states;
        }
        match compact(states, carried, MAX_STATES) {
            Ok(states) => states,
            Err(states) => self.past_bound(states),
        }
    }

    /// More states than the bound met: merged, and the run says it is approximate.
    fn past_bound(&mut self, states: Vec<State>) -> Vec<State> {
        self.run.approximated.insert(Limit::States);
        merge_all(states)
    }
}

/// One state standing for all of them: the union of their samples, with what they disagree on
/// unknown (none for no states).
fn merge_all(states: Vec<State>) -> Vec<State> {
    let mut states = states.into_iter();
    let Some(mut merged) = states.next() else {
        return Vec::new();
    };
    for state in states {
        unite_domains(&mut merged, &state);
        join(&mut merged, state);
        merged.certain = false;
    }
    vec![merged]
}
