//! The interpreter: runs a message through a proxy the way Apigee does (apigee-oauth-reference.md
//! §4): ProxyEndpoint PreFlow, the first conditional Flow whose condition holds, PostFlow; the
//! first RouteRule that holds; the TargetEndpoint's flows; the response flows; PostClientFlow; and
//! on a fault the FaultRules of the endpoint where it happened, then the DefaultFaultRule.
//!
//! One walker serves both kinds of run. A concrete run (trace) has one state and logs events; a
//! symbolic run (rules) carries every request class and records which flows and steps they reach.

use super::condition::{Lookup, OperandKind, Truth, Value};
use super::effects::{Outcome, Report, Runner};
use super::inputs::Input;
use super::oauth::{Fault, TokenStore};
use super::state::{compact, split, PolicyKey, State, World};
use super::trace::{EndpointInfo, Event, FaultInfo, Trace};
use super::visits::{Limit, Unreached, Visits};
use super::Engine;
use crate::model::{
    Bundle, BundleId, BundleKind, Condition, Flow, Flows, ProxyEndpoint, Step, TargetConnection,
};

/// FlowCallouts nest at most this deep (a shared flow calling itself is stopped here too).
pub(super) const MAX_CALLOUT_DEPTH: usize = 16;
/// Proxy chaining (LocalTargetConnection) is followed at most this deep in a trace.
const MAX_CHAIN_DEPTH: usize = 8;
/// Past this many states at one point, states are merged (an over-approximation) and the run
/// says its answers are approximate.
pub(super) const MAX_STATES: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Request,
    Response,
}

impl Phase {
    fn name(self) -> &'static str {
        match self {
            Phase::Request => "request",
            Phase::Response => "response",
        }
    }
}

pub struct Interp<'a, 'p> {
    engine: &'a Engine<'p>,
    world: World<'a>,
    store: Option<&'a mut TokenStore>,
    /// Concrete runs: what happened, in order.
    pub trace: Trace,
    /// Symbolic runs: what was reached.
    pub visits: Visits,
    /// Concrete runs: the conditional Flow each endpoint's request segment ran, if any.
    request_flows: Vec<(&'p Flows, Option<usize>)>,
}

/// Where steps are running, for the trace and for fault handling.
#[derive(Clone)]
struct Place {
    bundle: BundleId,
    label: String,
    /// How many FlowCallouts deep (their shared flows run inline).
    depth: usize,
}

impl<'a, 'p> Interp<'a, 'p> {
    pub fn concrete(
        engine: &'a Engine<'p>,
        request: &'a super::request::Request,
        store: &'a mut TokenStore,
    ) -> Self {
        Interp {
            engine,
            world: World::Concrete(request),
            store: Some(store),
            trace: Trace::default(),
            visits: Visits::default(),
            request_flows: Vec::new(),
        }
    }

    pub fn symbolic(engine: &'a Engine<'p>, samples: &'a super::inputs::Samples) -> Self {
        Interp {
            engine,
            world: World::Symbolic(samples),
            store: None,
            trace: Trace::default(),
            visits: Visits::default(),
            request_flows: Vec::new(),
        }
    }

    fn concrete_run(&self) -> bool {
        self.store.is_some()
    }

    fn note(&mut self, note: impl Into<String>) {
        if self.concrete_run() {
            self.trace.events.push(Event::Note { note: note.into() });
        }
    }

    fn limit(&mut self, states: Vec<State>) -> Vec<State> {
        if states.len() <= 1 {
            return states;
        }
        let states = compact(states);
        if states.len() <= MAX_STATES {
            return states;
        }
        self.visits.approximated.insert(Limit::States);
        vec![merge_all(states)]
    }

    /// Evaluates a condition; a concrete run that meets an unknown value assumes false and says so.
    fn decide(
        &mut self,
        states: Vec<State>,
        condition: Option<&'p Condition>,
    ) -> (Vec<State>, Vec<State>, Truth) {
        let (expr, unparsable) = match condition {
            Some(c) => match self.engine.parsed(c) {
                Some(Ok(expr)) => (expr.as_ref(), false),
                _ => (None, true),
            },
            None => (None, false),
        };
        let mut holds = Vec::new();
        let mut fails = Vec::new();
        let mut truth = None;
        for state in states {
            // With every value it reads known, an unknown result comes from the operators: a
            // case Apigee's documentation leaves open (MatchesPath's `**` against no element…).
            let values_known = expr.is_some_and(|e| {
                e.variables().iter().all(|o| match &o.kind {
                    OperandKind::Variable { name, .. } => {
                        matches!(state.lookup(self.world, name), Lookup::Known(_))
                    }
                    _ => true,
                })
            });
            let s = split(state, self.world, expr, unparsable);
            if s.over_limit {
                self.visits.approximated.insert(Limit::ClassesPerCondition);
            }
            truth = Some(match truth {
                None => s.truth,
                Some(t) if t == s.truth => t,
                Some(_) => Truth::Unknown,
            });
            if self.concrete_run() && s.truth == Truth::Unknown {
                let text = condition.map(|c| c.text.as_str()).unwrap_or_default();
                let why = if unparsable {
                    "cannot be parsed"
                } else if values_known {
                    "has a result Apigee does not document for these values"
                } else {
                    "depends on a value the simulation cannot know"
                };
                self.note(format!("condition `{text}` {why}: assumed false"));
                fails.extend(s.fails);
                continue;
            }
            holds.extend(s.holds);
            fails.extend(s.fails);
        }
        let holds = self.limit(holds);
        let fails = self.limit(fails);
        (holds, fails, truth.unwrap_or(Truth::Unknown))
    }

    /// A state enters the error path. Symbolic runs fold every such state of an endpoint into
    /// one, which keeps the error path linear and only widens what FaultRule conditions may see.
    fn fail(&self, errors: &mut Vec<(State, Fault)>, state: State, fault: Fault) {
        if self.concrete_run() {
            errors.push((state, fault));
        } else if errors.is_empty() {
            // Any request, with anything unknown: sound for what the FaultRules may see, and
            // one state however many steps may fail.
            let mut any = State::new(self.world);
            any.opaque = true;
            any.certain = false;
            errors.push((any, fault));
        }
    }

    /// Runs steps in order. States that fault leave for `errors`.
    fn steps(
        &mut self,
        place: &Place,
        steps: &'p [Step],
        mut states: Vec<State>,
        errors: &mut Vec<(State, Fault)>,
    ) -> Vec<State> {
        let bundle = self.engine.project.bundle(place.bundle);
        let mut blocked_by: Option<&'p Step> = None;
        for step in steps {
            if states.is_empty() {
                if let Some(blocker) = blocked_by {
                    self.visits.blocked(step, blocker);
                }
                continue;
            }
            self.visits.arrived(step);
            let (run, skip, truth) = self.decide(states, step.condition.as_ref());
            if !run.is_empty() {
                self.visits.condition_held(step);
            }
            if self.concrete_run() && !skip.is_empty() {
                let reason = match (&step.condition, truth) {
                    (Some(c), Truth::False) => format!("condition false: {}", c.text),
                    (Some(c), _) => format!("condition not known to hold: {}", c.text),
                    (None, _) => "not run".to_owned(),
                };
                self.trace.events.push(Event::Skipped {
                    step: step.name.clone(),
                    flow: place.label.clone(),
                    reason,
                });
            }
            let mut next = skip;
            let condition = step
                .condition
                .as_ref()
                .filter(|_| truth == Truth::True)
                .map(|c| c.text.clone());
            for state in run {
                let before = next.len();
                self.run_step(
                    place,
                    bundle,
                    step,
                    state,
                    condition.clone(),
                    &mut next,
                    errors,
                );
                if next.len() == before && blocked_by.is_none() {
                    blocked_by = Some(step);
                }
            }
            states = self.limit(next);
            if !states.is_empty() {
                blocked_by = None;
            }
        }
        states
    }

    #[allow(clippy::too_many_arguments)]
    fn run_step(
        &mut self,
        place: &Place,
        bundle: &'p Bundle,
        step: &'p Step,
        mut state: State,
        condition: Option<String>,
        next: &mut Vec<State>,
        errors: &mut Vec<(State, Fault)>,
    ) {
        let found = bundle.policies.iter().position(|p| p.name == step.name);
        let skipped = match found {
            None => Some("no policy of this name in the bundle"),
            Some(i) if !bundle.policies[i].enabled => {
                Some("the policy is disabled (enabled=\"false\")")
            }
            Some(_) => None,
        };
        let (Some(index), None) = (found, skipped) else {
            if self.concrete_run() {
                self.trace.events.push(Event::Skipped {
                    step: step.name.clone(),
                    flow: place.label.clone(),
                    reason: skipped.unwrap_or_default().to_owned(),
                });
            }
            next.push(state);
            return;
        };
        let policy = &bundle.policies[index];
        let key: PolicyKey = (place.bundle.0, index as u32);
        if super::catalog::guards_requests(policy) {
            state.ran.push(key);
        }
        self.visits.ran(step, &state);
        // Request classes are described for guarding policies only: what "on which paths does
        // it run?" is asked about, and describing every step's classes is costly.
        if let (World::Symbolic(samples), true) =
            (self.world, super::catalog::guards_requests(policy))
        {
            self.visits.ran_for(step, &state, samples);
        }
        let kind = match policy.oauth_v2().and_then(|v| v.operation.as_ref()) {
            Some(op) => format!("{} {}", policy.kind, op.raw.value),
            None => policy.kind.to_string(),
        };
        if let Some(callee) = super::pipeline::shared_flow_called(self.engine.project, policy) {
            self.log_executed(policy, &kind, place, condition, "ok".to_owned());
            if place.depth >= MAX_CALLOUT_DEPTH {
                self.note(format!(
                    "FlowCallout `{}` nests deeper than {MAX_CALLOUT_DEPTH}: not followed",
                    policy.name
                ));
                self.visits.approximated.insert(Limit::CalloutDepth);
                next.push(state);
                return;
            }
            let shared = self.engine.project.bundle(callee);
            let Some(entry) = shared
                .shared_flows
                .iter()
                .find(|s| s.name == "default")
                .or(shared.shared_flows.first())
            else {
                next.push(state);
                return;
            };
            let inner = Place {
                bundle: callee,
                label: format!(
                    "{} › shared flow {} ({})",
                    place.label, shared.name, entry.name
                ),
                depth: place.depth + 1,
            };
            next.extend(self.steps(&inner, &entry.steps.request, vec![state], errors));
            return;
        }
        if policy.flow_callout().is_some() {
            self.note(format!(
                "FlowCallout `{}` calls a shared flow that is not in the linted paths: not run",
                policy.name
            ));
            state.opaque = true;
        }
        let mut report = Report::default();
        let outcome = Runner {
            world: self.world,
            store: self.store.as_deref_mut(),
        }
        .run(policy, &mut state, &mut report);
        let failed = format!(
            "{}.{}.failed",
            super::catalog::failure_prefix(&policy.kind),
            policy.name
        );
        let described = match &outcome {
            Outcome::Ok | Outcome::MayFault => "ok".to_owned(),
            Outcome::Unknown(why) => format!("outcome unknown: {why}; assumed to succeed"),
            Outcome::Fault(f) if policy.continue_on_error => format!(
                "failed with {} ({}); continueOnError: the flow goes on",
                f.name, f.cause
            ),
            Outcome::Fault(f) => format!("fault {} ({})", f.name, f.cause),
        };
        self.log_executed(policy, &kind, place, condition, described);
        if self.concrete_run() {
            self.trace.tokens.extend(report.tokens);
            self.trace
                .events
                .extend(report.notes.into_iter().map(|note| Event::Note { note }));
        }
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
                self.fail(errors, failing, super::oauth::fault("unknown", ""));
                next.push(state);
            }
            Outcome::Fault(f) => {
                // Apigee sets the policy's failure variables whether or not the flow goes on,
                // so FaultRules can test them too (reference §1.4, §5.7).
                state.set(failed, Lookup::Known(Value::Bool(true)));
                state.set_text(
                    format!(
                        "{}.{}.fault.name",
                        super::catalog::failure_prefix(&policy.kind),
                        policy.name
                    ),
                    f.name.clone(),
                );
                if policy.continue_on_error {
                    next.push(state);
                    return;
                }
                state.set_text("fault.name", f.name.clone());
                if place.depth > 0 {
                    // Reference §4.4 ○, §8.10: shared-flow faults reaching the caller's FaultRules.
                    self.note(format!(
                        "`{}` faulted inside a shared flow: the caller's fault handling takes it, which Apigee does not document",
                        policy.name
                    ));
                }
                if self.concrete_run() && self.trace.fault.is_none() {
                    self.trace.fault = Some(FaultInfo {
                        name: f.name.clone(),
                        cause: f.cause.clone(),
                        raised_by: policy.name.clone(),
                        flow: place.label.clone(),
                        continued: false,
                    });
                }
                self.fail(errors, state, f);
            }
        }
    }

    fn log_executed(
        &mut self,
        policy: &crate::model::Policy,
        kind: &str,
        place: &Place,
        condition: Option<String>,
        outcome: String,
    ) {
        if self.concrete_run() {
            self.trace.events.push(Event::Executed {
                policy: policy.name.clone(),
                kind: kind.to_owned(),
                flow: place.label.clone(),
                condition,
                outcome,
            });
        }
    }

    fn flow(
        &mut self,
        bundle: BundleId,
        flow: &'p Flow,
        label: String,
        phase: Phase,
        states: Vec<State>,
        errors: &mut Vec<(State, Fault)>,
    ) -> Vec<State> {
        if states.is_empty() {
            return states;
        }
        self.visits.entered(flow, phase == Phase::Response);
        let steps = match phase {
            Phase::Request => &flow.request,
            Phase::Response => &flow.response,
        };
        if self.concrete_run() && !steps.is_empty() {
            self.trace.events.push(Event::Flow {
                flow: label.clone(),
                condition: None,
            });
        }
        let place = Place {
            bundle,
            label,
            depth: 0,
        };
        self.steps(&place, steps, states, errors)
    }

    /// PreFlow, the first conditional Flow that holds, PostFlow, for one direction.
    fn segment(
        &mut self,
        bundle: BundleId,
        flows: &'p Flows,
        endpoint: &str,
        phase: Phase,
        states: Vec<State>,
        errors: &mut Vec<(State, Fault)>,
    ) -> Vec<State> {
        let label = |what: &str| format!("{endpoint} {what} ({})", phase.name());
        let mut states = states;
        if let Some(pre) = &flows.pre_flow {
            states = self.flow(bundle, pre, label("PreFlow"), phase, states, errors);
        }
        let arriving = states.clone();
        let mut pending = states;
        let mut out = Vec::new();
        let mut chosen = None;
        for (i, flow) in flows.conditional.iter().enumerate() {
            if pending.is_empty() {
                break;
            }
            let (holds, fails, _) = self.decide(pending, flow.condition.as_ref());
            pending = fails;
            if holds.is_empty() {
                continue;
            }
            chosen.get_or_insert(i);
            let name = flow.name.clone().unwrap_or_else(|| format!("#{}", i + 1));
            let flow_label = label(&format!("Flow {name}"));
            let steps = match phase {
                Phase::Request => &flow.request,
                Phase::Response => &flow.response,
            };
            if self.concrete_run() && (phase == Phase::Request || !steps.is_empty()) {
                self.trace.events.push(Event::Flow {
                    flow: flow_label.clone(),
                    condition: Some(
                        flow.condition
                            .as_ref()
                            .map_or("no condition: always true".to_owned(), |c| {
                                format!("condition true: {}", c.text)
                            }),
                    ),
                });
            }
            self.visits.entered(flow, phase == Phase::Response);
            let place = Place {
                bundle,
                label: flow_label,
                depth: 0,
            };
            out.extend(self.steps(&place, steps, holds, errors));
        }
        out.extend(pending);
        if self.concrete_run() && !arriving.is_empty() {
            self.compare_with_request(flows, phase, chosen);
        }
        if !self.concrete_run() && phase == Phase::Request {
            self.explain_unreached(&flows.conditional, arriving);
        }
        let mut states = self.limit(out);
        if let Some(post) = &flows.post_flow {
            states = self.flow(bundle, post, label("PostFlow"), phase, states, errors);
        }
        states
    }

    /// Flow conditions are evaluated again for the response; whether Apigee does that or keeps
    /// the request's choice is open (reference §4.2, §8.3), so a different choice is noted.
    fn compare_with_request(&mut self, flows: &'p Flows, phase: Phase, chosen: Option<usize>) {
        if phase == Phase::Request {
            self.request_flows.push((flows, chosen));
            return;
        }
        let Some(&(_, at_request)) = self
            .request_flows
            .iter()
            .find(|(f, _)| std::ptr::eq(*f, flows))
        else {
            return;
        };
        if at_request == chosen {
            return;
        }
        let name = |i: Option<usize>| match i {
            Some(i) => format!(
                "Flow {}",
                flows.conditional[i]
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("#{}", i + 1))
            ),
            None => "no conditional Flow".to_owned(),
        };
        self.note(format!(
            "the response took {} where the request took {}: Flow conditions were evaluated again, and whether Apigee keeps the request's choice is not documented",
            name(chosen),
            name(at_request)
        ));
    }

    /// Why each conditional flow that no request entered is unreachable.
    fn explain_unreached(&mut self, flows: &'p [Flow], arriving: Vec<State>) {
        for (i, flow) in flows.iter().enumerate() {
            if self.visits.was_entered(flow) {
                continue;
            }
            let reason = if arriving.is_empty() {
                Unreached::NoRequestArrives
            } else {
                let (alone, _, _) = self.decide(arriving.clone(), flow.condition.as_ref());
                if alone.is_empty() {
                    Unreached::NeverHolds {
                        full_path: self.reads_full_path(flow.condition.as_ref()),
                    }
                } else {
                    // The first earlier flow that takes every request this one would match.
                    let shadow = flows[..i].iter().position(|earlier| {
                        let (_, escape, _) = self.decide(alone.clone(), earlier.condition.as_ref());
                        escape.is_empty()
                    });
                    shadow.map_or(Unreached::ShadowedByEarlierFlows, Unreached::ShadowedBy)
                }
            };
            self.visits.unreached(flow, reason);
        }
    }

    /// Does `condition` read `request.path` where it is known to start with the base path?
    fn reads_full_path(&self, condition: Option<&'p Condition>) -> bool {
        let World::Symbolic(samples) = self.world else {
            return false;
        };
        let Some(Some(Ok(Some(expr)))) = condition.map(|c| self.engine.parsed(c)) else {
            return false;
        };
        samples.base.is_some()
            && expr.variables().iter().any(|o| {
                matches!(&o.kind, OperandKind::Variable { name, .. }
                    if Input::of(name) == Some(Input::Path))
            })
    }

    /// The error path of one endpoint: its FaultRules (the first whose condition holds, in the
    /// order Apigee evaluates them), then the DefaultFaultRule if none ran or it always runs.
    /// Returns the states as the error response leaves.
    fn fault_rules(
        &mut self,
        bundle: BundleId,
        flows: &'p Flows,
        endpoint: &str,
        proxy_side: bool,
        errors: Vec<(State, Fault)>,
    ) -> Vec<State> {
        if errors.is_empty() {
            return Vec::new();
        }
        let states: Vec<State> = errors.into_iter().map(|(s, _)| s).collect();
        // Symbolic runs: one state for every way of getting here keeps the error path linear; it
        // only widens what FaultRule conditions may see.
        let states = if self.concrete_run() {
            states
        } else {
            vec![merge_all(states)]
        };
        let order: Vec<&'p Flow> = if proxy_side {
            flows.fault_rules.iter().rev().collect()
        } else {
            flows.fault_rules.iter().collect()
        };
        let mut pending = states;
        let mut handled: Vec<State> = Vec::new();
        let mut sink = Vec::new();
        for rule in order {
            if pending.is_empty() {
                break;
            }
            let (holds, fails, _) = self.decide(pending, rule.condition.as_ref());
            pending = fails;
            if holds.is_empty() {
                continue;
            }
            let label = format!(
                "{endpoint} FaultRule {}",
                rule.name.as_deref().unwrap_or("(unnamed)")
            );
            handled.extend(self.flow(bundle, rule, label, Phase::Request, holds, &mut sink));
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
        let Some(default) = &flows.default_fault_rule else {
            handled.extend(pending);
            handled.extend(raised);
            return handled;
        };
        let mut states = pending;
        if default.always_enforce {
            states.append(&mut handled);
        }
        let (holds, skipped, _) = self.decide(states, default.condition.as_ref());
        let label = format!(
            "{endpoint} DefaultFaultRule {}",
            default.name.as_deref().unwrap_or("")
        );
        handled.extend(skipped);
        handled.extend(self.flow(
            bundle,
            default,
            label.trim_end().to_owned(),
            Phase::Request,
            holds,
            &mut sink,
        ));
        handled.extend(sink.into_iter().map(|(s, _)| s));
        handled.extend(raised);
        handled
    }

    /// Runs a request through a ProxyEndpoint. `depth` counts proxy chaining.
    pub fn proxy(
        &mut self,
        bundle_id: BundleId,
        endpoint: &'p ProxyEndpoint,
        state: State,
        depth: usize,
    ) {
        let bundle = self.engine.project.bundle(bundle_id);
        let label = format!("ProxyEndpoint {}", endpoint.name);
        if depth == 0 && self.concrete_run() {
            self.trace.notes.push(
                "flow hooks are attached per environment, outside the bundle: none were run"
                    .to_owned(),
            );
        }
        let mut proxy_errors = Vec::new();
        let states = self.segment(
            bundle_id,
            &endpoint.flows,
            &label,
            Phase::Request,
            vec![state],
            &mut proxy_errors,
        );

        // RouteRules: the first that holds wins; none holding is a routing failure.
        let mut pending = states;
        let mut routed: Vec<(Option<usize>, Vec<State>)> = Vec::new();
        for rule in &endpoint.route_rules {
            if pending.is_empty() {
                break;
            }
            let (holds, fails, _) = self.decide(pending, rule.condition.as_ref());
            pending = fails;
            if holds.is_empty() {
                continue;
            }
            let name = rule.name.clone().unwrap_or_default();
            let target = match (&rule.target_endpoint, &rule.url) {
                (Some(t), _) => match bundle
                    .target_endpoints
                    .iter()
                    .position(|e| e.name == t.value)
                {
                    Some(i) => {
                        self.set_route(&name, format!("TargetEndpoint {}", t.value));
                        Some(i)
                    }
                    None => {
                        self.set_route(
                            &name,
                            format!("TargetEndpoint {} (not in the bundle)", t.value),
                        );
                        None
                    }
                },
                (None, Some(url)) => {
                    self.set_route(&name, format!("URL {}", url.value));
                    None
                }
                (None, None) => {
                    self.set_route(&name, "null route: no target".to_owned());
                    None
                }
            };
            routed.push((target, holds));
        }
        if !pending.is_empty() {
            for mut state in pending {
                state.set_text("fault.name", "RouteFailed");
                proxy_errors.push((
                    state,
                    super::oauth::fault("RouteFailed", "no RouteRule holds"),
                ));
            }
            if self.concrete_run() {
                self.trace.route = Some("none: no RouteRule holds".to_owned());
                self.trace.fault = Some(FaultInfo {
                    name: "messaging.runtime.RouteFailed".to_owned(),
                    cause: "Unable to route the message to a Target Endpoint".to_owned(),
                    raised_by: "routing".to_owned(),
                    flow: label.clone(),
                    continued: false,
                });
            }
        }

        let mut responses = Vec::new();
        let mut finished = Vec::new();
        for (target, states) in routed {
            let Some(t) = target else {
                responses.extend(states);
                continue;
            };
            let target_endpoint = &bundle.target_endpoints[t];
            let target_label = format!("TargetEndpoint {}", target_endpoint.name);
            let mut target_errors = Vec::new();
            let states = self.segment(
                bundle_id,
                &target_endpoint.flows,
                &target_label,
                Phase::Request,
                states,
                &mut target_errors,
            );
            if let World::Symbolic(samples) = self.world {
                for state in &states {
                    self.visits.target_called(target_endpoint, state, samples);
                }
            }
            let states = self.backend(
                &target_endpoint.connection,
                states,
                depth,
                &mut target_errors,
            );
            let states = self.segment(
                bundle_id,
                &target_endpoint.flows,
                &target_label,
                Phase::Response,
                states,
                &mut target_errors,
            );
            finished.extend(self.fault_rules(
                bundle_id,
                &target_endpoint.flows,
                &target_label,
                false,
                target_errors,
            ));
            responses.extend(states);
        }
        let responses = self.limit(responses);
        finished.extend(self.segment(
            bundle_id,
            &endpoint.flows,
            &label,
            Phase::Response,
            responses,
            &mut proxy_errors,
        ));
        finished.extend(self.fault_rules(bundle_id, &endpoint.flows, &label, true, proxy_errors));
        // PostClientFlow runs after the response is sent, an error response included.
        if let Some(post_client) = &endpoint.flows.post_client_flow {
            let finished = self.limit(finished);
            let mut sink = Vec::new();
            self.flow(
                bundle_id,
                post_client,
                format!("{label} PostClientFlow"),
                Phase::Response,
                finished,
                &mut sink,
            );
        }
    }

    fn set_route(&mut self, name: &str, target: String) {
        if self.concrete_run() && self.trace.route.is_none() {
            self.trace.route = Some(format!("RouteRule {name}"));
            self.trace.target = Some(target);
        }
    }

    /// The call to the backend: its response is unknown to the simulation; a chained proxy of the
    /// project runs in a trace.
    fn backend(
        &mut self,
        connection: &'p TargetConnection,
        mut states: Vec<State>,
        depth: usize,
        errors: &mut Vec<(State, Fault)>,
    ) -> Vec<State> {
        for state in &mut states {
            state.forget("response.");
            for name in super::paths::MESSAGE_PATH_VARIABLES {
                state.set(name, Lookup::Unknown);
            }
        }
        // A symbolic run: the backend may fail (a timeout, a 5xx), which enters the
        // TargetEndpoint's error path.
        if !self.concrete_run() {
            for state in &states {
                let mut failing = state.clone();
                failing.certain = false;
                failing.set("fault.name", Lookup::Unknown);
                self.fail(errors, failing, super::oauth::fault("unknown", ""));
            }
        }
        let TargetConnection::Local {
            api_proxy,
            proxy_endpoint,
            path,
        } = connection
        else {
            return states;
        };
        let World::Concrete(request) = self.world else {
            return states;
        };
        // A fault in the target's request flows means the backend is never called.
        let Some(sent) = states.first() else {
            return states;
        };
        if depth >= MAX_CHAIN_DEPTH {
            self.note(format!(
                "proxy chaining deeper than {MAX_CHAIN_DEPTH}: not followed"
            ));
            return states;
        }
        let project = self.engine.project;
        let chained = project.bundle_ids().find_map(|b| {
            let bundle = project.bundle(b);
            if bundle.kind != BundleKind::ApiProxy {
                return None;
            }
            bundle.proxy_endpoints.iter().find_map(|e| {
                let by_name = api_proxy.as_ref().is_some_and(|a| a.value == bundle.name)
                    && proxy_endpoint.as_ref().is_none_or(|p| p.value == e.name);
                let by_path = path
                    .as_ref()
                    .is_some_and(|p| e.base_path.as_ref().is_some_and(|b| b.value == p.value));
                (by_name || by_path).then_some((b, e))
            })
        });
        let Some((chained_bundle, chained_endpoint)) = chained else {
            self.note(
                "LocalTargetConnection names a proxy that is not in the linted paths: not run",
            );
            return states;
        };
        self.note(format!(
            "proxy chaining: the request continues in {} / ProxyEndpoint {} (path suffix kept)",
            project.bundle(chained_bundle).name,
            chained_endpoint.name
        ));
        let mut chained_request = request.clone();
        let base = chained_endpoint
            .base_path
            .as_ref()
            .map(|b| b.value.trim_end_matches('/').to_owned())
            .unwrap_or_default();
        chained_request.path = format!("{base}{}", request.path_suffix());
        chained_request.base_path = base;
        // The chained proxy receives the message as this proxy's flows left it (headers and
        // parameters they set or removed), but none of its flow variables.
        let mut received = State::new(World::Concrete(&chained_request));
        for (name, value) in &sent.vars {
            if matches!(
                Input::of(name),
                Some(Input::Header(_) | Input::QueryParam(_) | Input::FormParam(_))
            ) {
                received.set(name.clone(), value.clone());
            }
        }
        let store = self.store.as_deref_mut().expect("concrete run");
        let mut inner = Interp::concrete(self.engine, &chained_request, store);
        inner.proxy(chained_bundle, chained_endpoint, received, depth + 1);
        let inner_trace = inner.trace;
        self.trace.events.extend(inner_trace.events);
        self.trace.tokens.extend(inner_trace.tokens);
        if inner_trace.fault.is_some() {
            // What a target does with an error status is not in the reference (§4.2 step 7).
            self.note("the chained proxy answered with an error; how this target treats an error response is not modelled: its response flows ran as after a success");
        }
        if self.trace.fault.is_none() {
            self.trace.fault = inner_trace.fault;
        }
        states
    }
}

/// One state standing for all of them: the union of their samples, with what they disagree on
/// unknown.
fn merge_all(states: Vec<State>) -> State {
    let mut states = states.into_iter();
    let mut merged = states.next().expect("at least one state");
    for state in states {
        merge_into(&mut merged, state);
    }
    merged
}

fn merge_into(merged: &mut State, mut state: State) {
    for (mine, theirs) in merged.domains.iter_mut().zip(&state.domains) {
        if mine != theirs {
            mine.extend(theirs);
            mine.sort_unstable();
            mine.dedup();
        }
    }
    state.domains.clear();
    super::state::join(merged, state);
    merged.certain = false;
}

/// The trace of one request against the project: endpoint selection, then the run.
pub fn trace_request(
    engine: &Engine,
    request: &super::request::Request,
    store: &mut TokenStore,
) -> Trace {
    let mut request = request.clone();
    let choice = super::route::select_endpoint(engine.project, &request.path);
    let mut trace = Trace {
        request: request.line(),
        ..Trace::default()
    };
    let Some(choice) = choice else {
        trace.notes.push(
            "no ProxyEndpoint of the linted bundles has a base path that this path starts with"
                .to_owned(),
        );
        return trace;
    };
    request.base_path = choice.base_path.clone();
    let bundle = engine.project.bundle(choice.bundle);
    trace.endpoint = Some(EndpointInfo {
        bundle: bundle.name.clone(),
        proxy_endpoint: choice.endpoint.name.clone(),
        base_path: request.base_path_shown().to_owned(),
        path_suffix: request.path_suffix().to_owned(),
    });
    let mut interp = Interp::concrete(engine, &request, store);
    interp.trace.endpoint = trace.endpoint.take();
    interp.trace.request = trace.request;
    interp.trace.notes.extend(choice.notes);
    let initial = State::new(World::Concrete(&request));
    interp.proxy(choice.bundle, choice.endpoint, initial, 0);
    interp.trace
}

impl<'p> Interp<'_, 'p> {
    /// Runs a shared flow that no bundle of the project calls (a flow hook, or a caller elsewhere).
    pub fn shared_flow(
        &mut self,
        bundle: BundleId,
        shared: &'p crate::model::SharedFlow,
        state: State,
    ) {
        let label = format!("shared flow {}", shared.name);
        let mut sink = Vec::new();
        self.flow(
            bundle,
            &shared.steps,
            label,
            Phase::Request,
            vec![state],
            &mut sink,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::request::Request;
    use crate::parse::load::load_memory;

    /// Traces one request through the project made of `files` (path, text).
    fn trace_files(files: Vec<(String, String)>, request: &str, headers: &[&str]) -> Trace {
        let project = load_memory(
            files
                .into_iter()
                .map(|(path, text)| (path, Ok(text.into_bytes())))
                .collect(),
        );
        let engine = Engine::new(&project);
        let mut request = Request::parse_line(request).unwrap();
        for header in headers {
            request.add_header(header).unwrap();
        }
        trace_request(&engine, &request, &mut TokenStore::default())
    }

    /// Traces one request through a bundle given as (path inside `apiproxy/`, text) pairs.
    fn trace(files: &[(&str, &str)], request: &str, headers: &[&str]) -> Trace {
        let files = files
            .iter()
            .map(|(path, text)| (format!("p/apiproxy/{path}"), (*text).to_owned()))
            .collect();
        trace_files(files, request, headers)
    }

    fn executed(trace: &Trace) -> Vec<&str> {
        trace
            .events
            .iter()
            .filter_map(Event::executed_policy)
            .collect()
    }

    const VERIFY: (&str, &str) = (
        "policies/OA-Verify.xml",
        "<OAuthV2 name=\"OA-Verify\"><Operation>VerifyAccessToken</Operation></OAuthV2>",
    );
    const AM: (&str, &str) = ("policies/AM-401.xml", "<AssignMessage name=\"AM-401\"/>");

    #[test]
    fn a_fault_sets_the_failed_variable_that_fault_rules_read() {
        let endpoint = "<ProxyEndpoint name=\"default\">\
            <HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection>\
            <FaultRules><FaultRule name=\"oauth\">\
              <Condition>oauthV2.OA-Verify.failed = true</Condition>\
              <Step><Name>AM-401</Name></Step></FaultRule></FaultRules>\
            <PreFlow><Request><Step><Name>OA-Verify</Name></Step></Request></PreFlow>\
            <RouteRule name=\"r\"/></ProxyEndpoint>";
        let t = trace(
            &[("proxies/default.xml", endpoint), VERIFY, AM],
            "GET /a",
            &["Authorization: Bearer nope"],
        );
        assert_eq!(executed(&t), ["OA-Verify", "AM-401"]);
    }

    /// The root base path is printed as `/`, and is what `proxy.basepath` reads.
    #[test]
    fn a_root_base_path_is_shown_as_a_slash() {
        let endpoint = "<ProxyEndpoint name=\"default\">\
            <HTTPProxyConnection><BasePath>/</BasePath></HTTPProxyConnection>\
            <PreFlow><Request><Step><Name>AM-401</Name>\
              <Condition>proxy.basepath = \"/\"</Condition></Step></Request></PreFlow>\
            <RouteRule name=\"r\"/></ProxyEndpoint>";
        let t = trace(
            &[("proxies/default.xml", endpoint), AM],
            "POST /oauth/token",
            &[],
        );
        let text = super::super::trace::render_human(std::slice::from_ref(&t));
        assert!(
            text.contains("(base path /, path suffix \"/oauth/token\")"),
            "{text}"
        );
        assert_eq!(executed(&t), ["AM-401"]);
    }

    /// A facade whose target chains to the `inner` proxy, which refuses requests without the
    /// header the facade's `target_step` sets.
    fn chain(target_step: &str) -> Trace {
        let facade = |path: &str, text: &str| (format!("facade/apiproxy/{path}"), text.to_owned());
        let inner = |path: &str, text: &str| (format!("inner/apiproxy/{path}"), text.to_owned());
        let files = vec![
            facade(
                "proxies/default.xml",
                "<ProxyEndpoint name=\"default\">\
                 <HTTPProxyConnection><BasePath>/f</BasePath></HTTPProxyConnection>\
                 <RouteRule name=\"r\"><TargetEndpoint>t</TargetEndpoint></RouteRule>\
                 </ProxyEndpoint>",
            ),
            facade(
                "targets/t.xml",
                &format!(
                    "<TargetEndpoint name=\"t\"><PreFlow><Request><Step><Name>{target_step}\
                     </Name></Step></Request></PreFlow><LocalTargetConnection>\
                     <Path>/i</Path></LocalTargetConnection></TargetEndpoint>"
                ),
            ),
            facade(
                "policies/AM-Mark.xml",
                "<AssignMessage name=\"AM-Mark\"><Set><Headers>\
                 <Header name=\"x-facade\">yes</Header></Headers></Set></AssignMessage>",
            ),
            facade("policies/RF-Stop.xml", "<RaiseFault name=\"RF-Stop\"/>"),
            facade(
                "policies/AM-Other.xml",
                "<AssignMessage name=\"AM-Other\"/>",
            ),
            inner(
                "proxies/default.xml",
                "<ProxyEndpoint name=\"default\">\
                 <HTTPProxyConnection><BasePath>/i</BasePath></HTTPProxyConnection>\
                 <PreFlow><Request><Step><Name>RF-Direct</Name>\
                 <Condition>request.header.x-facade = null</Condition></Step>\
                 <Step><Name>AM-Inner</Name></Step></Request></PreFlow>\
                 <RouteRule name=\"r\"/></ProxyEndpoint>",
            ),
            inner("policies/RF-Direct.xml", "<RaiseFault name=\"RF-Direct\"/>"),
            inner(
                "policies/AM-Inner.xml",
                "<AssignMessage name=\"AM-Inner\"/>",
            ),
        ];
        trace_files(files, "GET /f/x", &[])
    }

    #[test]
    fn a_chained_proxy_receives_the_request_as_the_facade_changed_it() {
        assert_eq!(executed(&chain("AM-Mark")), ["AM-Mark", "AM-Inner"]);
    }

    #[test]
    fn an_error_from_the_chained_proxy_is_noted() {
        let t = chain("AM-Other");
        assert_eq!(executed(&t), ["AM-Other", "RF-Direct"]);
        assert!(t.events.iter().any(|e| matches!(e, Event::Note { note }
            if note.starts_with("the chained proxy answered with an error"))));
        let t = chain("AM-Mark");
        assert!(!t.events.iter().any(|e| matches!(e, Event::Note { note }
            if note.starts_with("the chained proxy answered with an error"))));
    }

    #[test]
    fn a_fault_before_the_target_call_keeps_the_chained_proxy_from_running() {
        assert_eq!(executed(&chain("RF-Stop")), ["RF-Stop"]);
    }

    #[test]
    fn a_fault_inside_a_shared_flow_is_handled_by_the_caller_with_a_note() {
        let files = vec![
            (
                "p/apiproxy/proxies/default.xml".to_owned(),
                "<ProxyEndpoint name=\"default\">\
                 <HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection>\
                 <FaultRules><FaultRule name=\"any\"><Step><Name>AM-401</Name></Step>\
                 </FaultRule></FaultRules>\
                 <PreFlow><Request><Step><Name>FC</Name></Step></Request></PreFlow>\
                 <RouteRule name=\"r\"/></ProxyEndpoint>"
                    .to_owned(),
            ),
            (
                "p/apiproxy/policies/FC.xml".to_owned(),
                "<FlowCallout name=\"FC\"><SharedFlowBundle>s</SharedFlowBundle></FlowCallout>"
                    .to_owned(),
            ),
            (
                AM.0.replace("policies", "p/apiproxy/policies"),
                AM.1.to_owned(),
            ),
            (
                "s/sharedflowbundle/sharedflows/default.xml".to_owned(),
                "<SharedFlow name=\"default\"><Step><Name>RF</Name></Step></SharedFlow>".to_owned(),
            ),
            (
                "s/sharedflowbundle/policies/RF.xml".to_owned(),
                "<RaiseFault name=\"RF\"/>".to_owned(),
            ),
        ];
        let t = trace_files(files, "GET /a", &[]);
        assert_eq!(executed(&t), ["FC", "RF", "AM-401"]);
        assert!(t
            .events
            .iter()
            .any(|e| matches!(e, Event::Note { note } if note.contains("inside a shared flow"))));
    }

    #[test]
    fn a_response_flow_chosen_differently_from_the_request_is_noted() {
        let endpoint = "<ProxyEndpoint name=\"default\">\
            <HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection>\
            <Flows><Flow name=\"v1\"><Condition>request.header.v = \"1\"</Condition>\
              <Request><Step><Name>AM-Strip</Name></Step></Request>\
              <Response><Step><Name>AM-401</Name></Step></Response></Flow></Flows>\
            <RouteRule name=\"r\"/></ProxyEndpoint>";
        let strip = "<AssignMessage name=\"AM-Strip\"><Remove><Headers>\
            <Header name=\"v\"/></Headers></Remove></AssignMessage>";
        let t = trace(
            &[
                ("proxies/default.xml", endpoint),
                ("policies/AM-Strip.xml", strip),
                AM,
            ],
            "GET /a",
            &["v: 1"],
        );
        assert_eq!(executed(&t), ["AM-Strip"]);
        let notes: Vec<&Event> = t
            .events
            .iter()
            .filter(|e| matches!(e, Event::Note { .. }))
            .collect();
        assert_eq!(notes.len(), 1);
        assert!(matches!(notes[0], Event::Note { note }
            if note.starts_with("the response took no conditional Flow where the request took Flow v1")));
    }

    #[test]
    fn an_undocumented_result_is_not_blamed_on_unknown_values() {
        let endpoint = "<ProxyEndpoint name=\"default\">\
            <HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection>\
            <PreFlow><Request><Step><Name>AM-401</Name>\
              <Condition>proxy.pathsuffix MatchesPath \"/files/**\"</Condition></Step>\
            </Request></PreFlow><RouteRule name=\"r\"/></ProxyEndpoint>";
        let t = trace(
            &[("proxies/default.xml", endpoint), AM],
            "GET /a/files",
            &[],
        );
        assert!(executed(&t).is_empty());
        assert!(t.events.iter().any(|e| matches!(e, Event::Note { note }
            if note.ends_with("has a result Apigee does not document for these values: assumed false"))));
    }

    #[test]
    fn verify_api_key_failures_use_the_oauth_v2_prefix() {
        let endpoint = "<ProxyEndpoint name=\"default\">\
            <HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection>\
            <PreFlow><Request><Step><Name>VK</Name></Step>\
              <Step><Name>AM-401</Name><Condition>oauthV2.VK.failed = true</Condition></Step>\
            </Request></PreFlow><RouteRule name=\"r\"/></ProxyEndpoint>";
        let key = "<VerifyAPIKey name=\"VK\" continueOnError=\"true\">\
            <APIKey ref=\"request.header.x-api-key\"/></VerifyAPIKey>";
        let t = trace(
            &[
                ("proxies/default.xml", endpoint),
                ("policies/VK.xml", key),
                AM,
            ],
            "GET /a",
            &[],
        );
        assert_eq!(executed(&t), ["VK", "AM-401"]);
    }

    #[test]
    fn a_raise_fault_in_a_fault_rule_keeps_an_enforced_default_fault_rule_out() {
        let endpoint = |fault_rule_step: &str| {
            format!(
                "<ProxyEndpoint name=\"default\">\
                 <HTTPProxyConnection><BasePath>/a</BasePath></HTTPProxyConnection>\
                 <FaultRules><FaultRule name=\"oauth\">\
                   <Step><Name>{fault_rule_step}</Name></Step></FaultRule></FaultRules>\
                 <DefaultFaultRule><AlwaysEnforce>true</AlwaysEnforce>\
                   <Step><Name>AM-Cors</Name></Step></DefaultFaultRule>\
                 <PreFlow><Request><Step><Name>OA-Verify</Name></Step></Request></PreFlow>\
                 <RouteRule name=\"r\"/></ProxyEndpoint>"
            )
        };
        let run = |endpoint: &str| {
            trace(
                &[
                    ("proxies/default.xml", endpoint),
                    VERIFY,
                    AM,
                    ("policies/AM-Cors.xml", "<AssignMessage name=\"AM-Cors\"/>"),
                    ("policies/RF-401.xml", "<RaiseFault name=\"RF-401\"/>"),
                ],
                "GET /a",
                &[],
            )
        };
        let t = run(&endpoint("AM-401"));
        assert_eq!(executed(&t), ["OA-Verify", "AM-401", "AM-Cors"]);
        let t = run(&endpoint("RF-401"));
        assert_eq!(executed(&t), ["OA-Verify", "RF-401"]);
    }
}
