//! What the interpreter is parameterised by. A [`Domain`] says what a message is and how it
//! meets conditions, faults and the backend: every request class at once for the analysis, one
//! request and a token store for a trace. An [`Observer`] is told what the run does: the
//! analysis records what it reached, a trace records what it would print.

use super::condition::{Expr, Truth};
use super::effects::{Outcome, Report};
use super::oauth::Fault;
use super::order::{NotFollowed, Phase, Route, Segment, TargetPlan};
use super::state::State;
use crate::model::{BundleId, Condition, Flow, Policy, ProxyEndpoint, RouteRule, SharedFlow, Step};

/// A condition as a domain evaluates it.
#[derive(Clone, Copy)]
pub(crate) struct Guard<'e> {
    pub condition: Option<&'e Condition>,
    /// `None`: no condition, an empty one, or one that could not be parsed.
    pub expr: Option<&'e Expr>,
    /// The condition could not be parsed: its truth is unknown.
    pub unparsable: bool,
}

/// How a condition divided the states that met it.
pub(crate) struct Decision {
    pub holds: Vec<State>,
    pub fails: Vec<State>,
    /// The verdict, `Unknown` when the states disagree.
    pub truth: Truth,
    /// Some state met an unknown verdict: the states in `holds` may not satisfy it.
    pub uncertain: bool,
}

impl Decision {
    /// The verdict so far, once a state has had the verdict `next`.
    pub fn combine(so_far: Option<Truth>, next: Truth) -> Option<Truth> {
        Some(match so_far {
            Some(t) if t != next => Truth::Unknown,
            _ => next,
        })
    }
}

/// States on their way to an endpoint's fault handling, with the fault that sent each there.
pub(crate) type Errors = Vec<(State, Fault)>;

/// Why a step did not run for some of the states that reached it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Skip {
    /// Its condition was false (or, with `Unknown`, not known to hold).
    Condition(Truth),
    NoPolicy,
    Disabled,
}

/// What a run tells whoever watches it. Every event does nothing unless an observer cares.
pub(crate) trait Observer<'p> {
    /// A flow's steps of `phase` are about to run (a conditional flow: its condition held).
    fn flow_entered(&mut self, _flow: &'p Flow, _phase: Phase) {}
    /// `states` arrive at `step`, whose condition is `condition` when it has one that parses.
    fn step_arrived(&mut self, _step: &'p Step, _condition: Option<&Expr>, _states: &[State]) {}
    /// No state reached `step` because `by`, earlier in its flow, ended them all.
    fn step_blocked(&mut self, _step: &'p Step, _by: &'p Step) {}
    fn step_condition_held(&mut self, _step: &'p Step) {}
    fn step_skipped(&mut self, _step: &'p Step, _why: Skip) {}
    /// The policy of `step` starts running in `state`; `decided`: the step's condition met no
    /// unknown verdict (it is absent, or held for the classes of `state` by their inputs).
    fn policy_runs(
        &mut self,
        _step: &'p Step,
        _policy: &'p Policy,
        _state: &State,
        _decided: bool,
    ) {
    }
    /// A FlowCallout's shared flow starts running inline; `callout_left` when it ends.
    fn callout_entered(&mut self, _bundle: BundleId, _flow: &'p SharedFlow) {}
    fn callout_left(&mut self) {}
    fn callout_not_followed(&mut self, _policy: &'p Policy, _why: NotFollowed) {}
    /// A policy ran, with the Step condition that let it (when it was known to hold).
    fn executed(
        &mut self,
        _policy: &'p Policy,
        _condition: Option<&'p Condition>,
        _outcome: &Outcome,
        _report: Report,
    ) {
    }
    /// A policy's fault put the message in the error state.
    fn faulted(&mut self, _policy: &'p Policy, _fault: &Fault) {}
    /// Some states arrive at a RouteRule: every earlier one failed for them.
    fn route_considered(&mut self, _rule: &'p RouteRule) {}
    fn routed(&mut self, _route: &Route<'p>) {}
    fn route_failed(&mut self, _endpoint: &'p ProxyEndpoint) {}
    /// These states reach the backend the RouteRule sends them to: its TargetEndpoint's call,
    /// or its URL.
    fn backend_called(&mut self, _rule: &'p RouteRule, _states: &[State]) {}
}

/// The kind of message a run carries.
pub(crate) trait Domain<'p> {
    type Observer: Observer<'p>;

    fn observer(&mut self) -> &mut Self::Observer;

    fn decide(&mut self, states: Vec<State>, guard: Guard) -> Decision;

    /// [`Domain::decide`] for conditional flow `index` of `segment`.
    fn decide_flow(
        &mut self,
        _engine: &super::Engine<'p>,
        _segment: Segment<'p>,
        _index: usize,
        states: Vec<State>,
        guard: Guard,
    ) -> Decision {
        self.decide(states, guard)
    }

    /// Keeps the number of states within bounds where several meet.
    fn limit(&mut self, states: Vec<State>) -> Vec<State>;

    /// Adds `new` states to `kept`, states that met at one point and were limited together.
    fn gather(&mut self, mut kept: Vec<State>, new: Vec<State>) -> Vec<State> {
        kept.extend(new);
        kept
    }

    /// Once conditional flow `index` of `segment` took what it could: the states of `pending`
    /// that no later flow of the segment may take, taken out of it (no flow holds for them).
    fn past_flows(
        &mut self,
        _engine: &super::Engine<'p>,
        _segment: Segment<'p>,
        _index: usize,
        _pending: &mut Vec<State>,
    ) -> Vec<State> {
        Vec::new()
    }

    /// A state enters the error path.
    fn fail(&mut self, errors: &mut Errors, state: State, fault: Fault);

    /// The states an endpoint's FaultRules see.
    fn at_fault_rules(&mut self, states: Vec<State>) -> Vec<State>;

    fn run_policy(&mut self, policy: &Policy, state: &mut State, report: &mut Report) -> Outcome;

    /// The TargetEndpoint calls its backend with these states (whose response variables the
    /// interpreter has already forgotten); the states that come back.
    fn call_backend(
        &mut self,
        engine: &super::Engine<'p>,
        target: &TargetPlan<'p>,
        states: Vec<State>,
        errors: &mut Errors,
    ) -> Vec<State>;

    /// A segment's conditional flows are done: `arriving` met them, and the one at `chosen` was
    /// the first to hold for some state.
    fn conditional_flows_done(
        &mut self,
        engine: &super::Engine<'p>,
        segment: Segment<'p>,
        arriving: &[State],
        chosen: Option<usize>,
    );
}
