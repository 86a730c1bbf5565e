//! The interpreter: runs messages through a ProxyEndpoint's plan the way Apigee does
//! (apigee-oauth-reference.md §4): PreFlow, the first conditional Flow whose condition holds,
//! PostFlow; the first RouteRule that holds; the TargetEndpoint's flows; the response flows;
//! PostClientFlow; and on a fault the fault handling of the endpoint where it happened.
//!
//! It knows nothing of what a message is: its [`Domain`] decides conditions and faults, and its
//! observer is told what happens.

use super::catalog::failure_prefix;
use super::condition::{Lookup, Truth, Value};
use super::domain::{Decision, Domain, Errors, Observer, Skip};
use super::effects::{Outcome, Report};
use super::oauth::fault;
use super::order::{follow, steps, Callout, EndpointPlan, FaultHandling, NotFollowed, Phase};
use super::order::{Route, RouteTo, Segment, TargetPlan};
use super::state::State;
use super::Engine;
use crate::model::{BundleId, Condition, Flow, SharedFlow, Step};

pub(crate) struct Interp<'e, 'p, D> {
    engine: &'e Engine<'p>,
    domain: D,
    /// The bundles whose flows are running, outermost first (FlowCallouts run inline).
    running: Vec<BundleId>,
}

impl<'e, 'p, D: Domain<'p>> Interp<'e, 'p, D> {
    pub fn new(engine: &'e Engine<'p>, domain: D) -> Self {
        Interp {
            engine,
            domain,
            running: Vec::new(),
        }
    }

    /// The domain, with what its observer recorded.
    pub fn into_domain(self) -> D {
        self.domain
    }

    fn observer(&mut self) -> &mut D::Observer {
        self.domain.observer()
    }

    fn decide(&mut self, states: Vec<State>, condition: Option<&'p Condition>) -> Decision {
        let guard = self.engine.guard(condition);
        self.domain.decide(states, guard)
    }

    /// Runs one request's states through a ProxyEndpoint.
    pub fn endpoint(&mut self, plan: &EndpointPlan<'p>, state: State) {
        self.running = vec![plan.bundle];
        let mut proxy_errors = Vec::new();
        let states = self.segment(plan.request, vec![state], &mut proxy_errors);

        // RouteRules: the first that holds wins; none holding is a routing failure.
        let mut pending = states;
        let mut routed: Vec<(&Route<'p>, Vec<State>)> = Vec::new();
        for route in &plan.routes {
            if pending.is_empty() {
                break;
            }
            self.observer().route_considered(route.rule);
            let decision = self.decide(pending, route.rule.condition.as_ref());
            pending = decision.fails;
            if decision.holds.is_empty() {
                continue;
            }
            self.observer().routed(route);
            routed.push((route, decision.holds));
        }
        if !pending.is_empty() {
            for mut state in pending {
                state.set_text("fault.name", "RouteFailed");
                proxy_errors.push((state, fault("RouteFailed", "no RouteRule holds")));
            }
            self.observer().route_failed(plan.endpoint);
        }

        let mut responses = Vec::new();
        let mut finished = Vec::new();
        for (route, states) in routed {
            let RouteTo::Target(t) = route.to else {
                if route.to == RouteTo::Url {
                    self.observer().backend_called(route.rule, &states);
                }
                responses.extend(states);
                continue;
            };
            let target = &plan.targets[t];
            let mut target_errors = Vec::new();
            let states = self.segment(target.request, states, &mut target_errors);
            self.observer().backend_called(route.rule, &states);
            let states = self.backend(target, states, &mut target_errors);
            let states = self.segment(target.response, states, &mut target_errors);
            finished.extend(self.fault_handling(&target.faults, target_errors));
            responses.extend(states);
        }
        let responses = self.domain.limit(responses);
        finished.extend(self.segment(plan.response, responses, &mut proxy_errors));
        finished.extend(self.fault_handling(&plan.faults, proxy_errors));
        // PostClientFlow runs after the response is sent, an error response included.
        if let Some(post_client) = plan.post_client_flow {
            let finished = self.domain.limit(finished);
            self.flow(post_client, Phase::Response, finished, &mut Vec::new());
        }
    }

    /// Runs a shared flow on its own (a flow hook, or a caller outside the project runs it).
    pub fn shared_flow(&mut self, bundle: BundleId, shared: &'p SharedFlow, state: State) {
        self.running = vec![bundle];
        self.flow(&shared.steps, Phase::Request, vec![state], &mut Vec::new());
    }

    /// The call to the backend: what it answers is unknown, and it may change the path.
    fn backend(
        &mut self,
        target: &TargetPlan<'p>,
        mut states: Vec<State>,
        errors: &mut Errors,
    ) -> Vec<State> {
        for state in &mut states {
            state.forget("response.");
            for name in super::paths::MESSAGE_PATH_VARIABLES {
                state.set(name, Lookup::Unknown);
            }
        }
        self.domain
            .call_backend(self.engine, target, states, errors)
    }

    /// PreFlow, the first conditional Flow that holds, PostFlow, for one direction.
    fn segment(
        &mut self,
        segment: Segment<'p>,
        states: Vec<State>,
        errors: &mut Errors,
    ) -> Vec<State> {
        let (flows, phase) = (segment.flows, segment.phase);
        let mut states = states;
        if let Some(pre) = &flows.pre_flow {
            states = self.flow(pre, phase, states, errors);
        }
        let arriving = states.clone();
        let mut pending = states;
        let mut out = Vec::new();
        let mut chosen = None;
        for (i, flow) in flows.conditional.iter().enumerate() {
            if pending.is_empty() {
                break;
            }
            let guard = self.engine.guard(flow.condition.as_ref());
            let decision = self
                .domain
                .decide_flow(self.engine, segment, i, pending, guard);
            pending = decision.fails;
            let mut done = Vec::new();
            if !decision.holds.is_empty() {
                chosen.get_or_insert(i);
                done = self.flow(flow, phase, decision.holds, errors);
            }
            // What this flow took, beside what it let through that no later flow may take:
            // the two often join into one state (the flow's path, by any verb).
            done.extend(
                self.domain
                    .past_flows(self.engine, segment, i, &mut pending),
            );
            if !done.is_empty() {
                out = self.domain.gather(out, done);
            }
        }
        self.domain
            .conditional_flows_done(self.engine, segment, &arriving, chosen);
        let mut states = self.domain.gather(out, pending);
        if let Some(post) = &flows.post_flow {
            states = self.flow(post, phase, states, errors);
        }
        states
    }

    fn flow(
        &mut self,
        flow: &'p Flow,
        phase: Phase,
        states: Vec<State>,
        errors: &mut Errors,
    ) -> Vec<State> {
        if states.is_empty() {
            return states;
        }
        self.observer().flow_entered(flow, phase);
        self.steps(steps(flow, phase), states, errors)
    }

    /// Runs steps in order. States that fault leave for `errors`.
    fn steps(
        &mut self,
        steps: &'p [Step],
        mut states: Vec<State>,
        errors: &mut Errors,
    ) -> Vec<State> {
        let mut blocked_by: Option<&'p Step> = None;
        for step in steps {
            if states.is_empty() {
                if let Some(blocker) = blocked_by {
                    self.observer().step_blocked(step, blocker);
                }
                continue;
            }
            let condition = self.engine.guard(step.condition.as_ref()).expr;
            self.observer().step_arrived(step, condition, &states);
            let decision = self.decide(states, step.condition.as_ref());
            if !decision.holds.is_empty() {
                self.observer().step_condition_held(step);
            }
            if !decision.fails.is_empty() {
                self.observer()
                    .step_skipped(step, Skip::Condition(decision.truth));
            }
            let decided = !decision.uncertain;
            let mut next = decision.fails;
            let condition = step
                .condition
                .as_ref()
                .filter(|_| decision.truth == Truth::True);
            for state in decision.holds {
                let before = next.len();
                self.run_step(step, state, condition, decided, &mut next, errors);
                if next.len() == before && blocked_by.is_none() {
                    blocked_by = Some(step);
                }
            }
            states = self.domain.limit(next);
            if !states.is_empty() {
                blocked_by = None;
            }
        }
        states
    }

    /// Runs the policy of `step` in `state`: the state goes on to `next`, or to `errors`.
    fn run_step(
        &mut self,
        step: &'p Step,
        mut state: State,
        condition: Option<&'p Condition>,
        decided: bool,
        next: &mut Vec<State>,
        errors: &mut Errors,
    ) {
        let policy = match self.engine.plans.policy(step) {
            Some(policy) if policy.enabled => policy,
            found => {
                let why = if found.is_some() {
                    Skip::Disabled
                } else {
                    Skip::NoPolicy
                };
                self.observer().step_skipped(step, why);
                next.push(state);
                return;
            }
        };
        if self.engine.checks_caller(policy) {
            state.ran.push(policy.id);
        }
        self.observer().policy_runs(step, policy, &state, decided);
        let not_followed = match self.engine.plans.callout(policy) {
            Some(Callout::Bundle(callee, entry)) => match follow(&self.running, callee) {
                Ok(()) => {
                    self.observer()
                        .executed(policy, condition, &Outcome::Ok, Report::default());
                    if let Some(entry) = entry {
                        next.extend(self.callout(callee, entry, state, errors));
                    } else {
                        next.push(state);
                    }
                    return;
                }
                Err(why) => Some(why),
            },
            Some(Callout::Outside) => Some(NotFollowed::Outside),
            None => None,
        };
        if let Some(why) = not_followed {
            // What the shared flow would do is unknown; the policy runs as an opaque one. It may
            // check the caller: kept in the history for the questions about guards.
            self.observer().callout_not_followed(policy, why);
            state.opaque = true;
            state.ran.push(policy.id);
        }
        let mut report = Report::default();
        let outcome = self.domain.run_policy(policy, &mut state, &mut report);
        self.observer()
            .executed(policy, condition, &outcome, report);
        let failed = format!("{}.{}.failed", failure_prefix(&policy.kind), policy.name);
        match outcome {
            Outcome::Ok => next.push(state),
            Outcome::Unknown(_) => {
                // Whether it failed is unknown too.
                state.set(failed, Lookup::Unknown);
                state.certain = false;
                next.push(state);
            }
            Outcome::MayFault if policy.continue_on_error => {
                state.set(failed, Lookup::Unknown);
                state.certain = false;
                next.push(state);
            }
            Outcome::MayFault => {
                let mut failing = state.clone();
                failing.certain = false;
                failing.set("fault.name", Lookup::Unknown);
                self.domain.fail(errors, failing, fault("unknown", ""));
                next.push(state);
            }
            Outcome::Fault(f) => {
                // Apigee sets the policy's failure variables whether or not the flow goes on,
                // so FaultRules can test them too (reference §1.4, §5.7).
                state.set(failed, Lookup::Known(Value::Bool(true)));
                state.set_text(
                    format!(
                        "{}.{}.fault.name",
                        failure_prefix(&policy.kind),
                        policy.name
                    ),
                    f.name.clone(),
                );
                if policy.continue_on_error {
                    next.push(state);
                    return;
                }
                state.set_text("fault.name", f.name.clone());
                self.observer().faulted(policy, &f);
                self.domain.fail(errors, state, f);
            }
        }
    }

    /// A FlowCallout's shared flow, run inline in the caller's flow: the states it leaves.
    fn callout(
        &mut self,
        callee: BundleId,
        entry: &'p SharedFlow,
        state: State,
        errors: &mut Errors,
    ) -> Vec<State> {
        self.running.push(callee);
        self.observer().callout_entered(callee, entry);
        let states = self.steps(&entry.steps.request, vec![state], errors);
        self.observer().callout_left();
        self.running.pop();
        states
    }

    /// The error path of one endpoint: the first of its FaultRules whose condition holds, then
    /// the DefaultFaultRule if none ran or it always runs. Returns the states as the error
    /// response leaves.
    fn fault_handling(&mut self, faults: &FaultHandling<'p>, errors: Errors) -> Vec<State> {
        if errors.is_empty() {
            return Vec::new();
        }
        let states = errors.into_iter().map(|(s, _)| s).collect();
        let mut pending = self.domain.at_fault_rules(states);
        let mut handled: Vec<State> = Vec::new();
        let mut sink = Vec::new();
        for &rule in &faults.rules {
            if pending.is_empty() {
                break;
            }
            let decision = self.decide(pending, rule.condition.as_ref());
            pending = decision.fails;
            if decision.holds.is_empty() {
                continue;
            }
            let done = self.flow(rule, Phase::Request, decision.holds, &mut sink);
            handled = self.domain.gather(handled, done);
        }
        // A fault inside fault handling ends it; the response still leaves. A RaiseFault in
        // the FaultRule also keeps the DefaultFaultRule out, AlwaysEnforce or not (§4.3).
        let mut raised = Vec::new();
        for (state, fault) in sink.drain(..) {
            if fault.name == "RaiseFault" {
                raised.push(state);
            } else {
                handled.push(state);
            }
        }
        let Some(default) = faults.default else {
            handled.extend(pending);
            handled.extend(raised);
            return handled;
        };
        let states = match default.always_enforce {
            true => self.domain.gather(std::mem::take(&mut handled), pending),
            false => pending,
        };
        let decision = self.decide(states, default.condition.as_ref());
        handled.extend(decision.fails);
        handled.extend(self.flow(default, Phase::Request, decision.holds, &mut sink));
        handled.extend(sink.into_iter().map(|(s, _)| s));
        handled.extend(raised);
        handled
    }
}
