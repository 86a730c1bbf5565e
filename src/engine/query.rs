//! What rules ask the engine. Every answer about whether something runs comes from here, so a
//! disabled policy, a missing one, `continueOnError` and the "may" of values the engine cannot
//! know are settled in one place.

use super::arrival::Arrival;
use super::canonical::canonical;
use super::catalog::outcome_variable_prefixes;
use super::condition::{Expr, OperandKind};
use super::inputs::Input;
use super::listing::{Listing, Stage};
use super::never_holds::never_holds;
use super::order::FaultHandling;
use super::visits::{Limit, Unreached};
use super::Engine;
use crate::model::{
    Condition, ConditionId, EndpointId, Flow, FlowId, FlowKind, FlowSlot, Policy, PolicyId,
    Resolved, RouteRule, RouteRuleId, Step, StepId,
};
use crate::source::Span;
use std::collections::BTreeSet;

/// Why a flow or a step never runs, for any request.
#[derive(Clone, Copy, Debug)]
pub enum NeverRuns<'p> {
    /// An earlier conditional flow (when one alone does it) takes every request this flow would
    /// match.
    Shadowed {
        flow: &'p Flow,
        by: Option<&'p Flow>,
    },
    /// No request that reaches the conditional flows satisfies the flow's condition.
    /// `full_path`: the condition reads `request.path`, the whole path under the base path.
    FlowConditionNeverHolds { flow: &'p Flow, full_path: bool },
    /// Every request ends in a fault before the conditional flows.
    NoRequestArrives { flow: &'p Flow },
    /// The flow is never entered: an unrouted TargetEndpoint, a FaultRule no fault reaches, a
    /// shared flow called only from places no request reaches.
    FlowNotReached { flow: &'p Flow },
    /// An earlier step of the same flow always raises a fault.
    AfterFault { blocker: &'p Step },
    /// The step's own condition never holds when its flow runs.
    StepConditionNeverHolds,
}

/// Why no request runs a policy.
#[derive(Clone, Copy, Debug)]
pub enum PolicyNeverRuns<'p> {
    /// `enabled="false"`: Apigee skips it wherever it is attached.
    Disabled,
    /// No Step names it.
    NotAttached,
    /// Its first Step is never reached, for this reason when one is known.
    Unreached(Option<NeverRuns<'p>>),
}

/// Why no request takes a RouteRule, though requests reach the RouteRules of its endpoint.
#[derive(Clone, Copy, Debug)]
pub enum RouteNeverTaken<'p> {
    /// An earlier RouteRule without a condition takes every request.
    AfterUnconditional(&'p RouteRule),
    /// The RouteRules before it, by their conditions, take every request.
    EarlierRulesTakeAll,
    /// No request that gets to it satisfies its condition.
    ConditionNeverHolds,
}

/// A place a policy runs from: a Step as one endpoint's run reaches it (through FlowCallouts:
/// a shared flow's Step has a place in each endpoint that calls it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub step: StepId,
    pub(super) listing: u32,
    pub(super) index: u32,
}

/// A condition that reads a variable.
pub struct VariableRead<'p> {
    pub condition: &'p Condition,
    pub variable: String,
    /// The variable's name in the condition text.
    pub span: Span,
}

/// What depends on a policy's outcome where it runs.
pub struct OutcomeUse<'p> {
    /// The conditions evaluated after it (later steps and flows, the error path, the route
    /// rules) that read the variables it sets, its `…failed` flag included.
    pub reads: Vec<VariableRead<'p>>,
    /// Its failure ends the request (`continueOnError` is false): the error path takes over.
    pub failure_ends_request: bool,
}

impl OutcomeUse<'_> {
    /// Does what the policy finds decide what happens to the request?
    pub fn decides_request(&self) -> bool {
        self.failure_ends_request || !self.reads.is_empty()
    }
}

fn flow_name(flow: &Flow) -> String {
    flow.name.clone().unwrap_or_else(|| "(unnamed)".to_owned())
}

impl NeverRuns<'_> {
    pub fn describe(&self) -> String {
        match self {
            NeverRuns::Shadowed { flow, by: Some(by) } => format!(
                "flow `{}` comes first and takes every request that flow `{}` would match",
                flow_name(by),
                flow_name(flow)
            ),
            NeverRuns::Shadowed { flow, by: None } => {
                format!(
                    "the flows before flow `{}` take every request it would match",
                    flow_name(flow)
                )
            }
            NeverRuns::FlowConditionNeverHolds { flow, full_path } => {
                let mut why = format!(
                    "no request can satisfy the condition of flow `{}`",
                    flow_name(flow)
                );
                if *full_path {
                    why.push_str(" (`request.path` is the whole request path, base path included; `proxy.pathsuffix` is the part after the base path)");
                }
                why
            }
            NeverRuns::NoRequestArrives { flow } => {
                format!(
                    "every request ends in a fault before flow `{}` is considered",
                    flow_name(flow)
                )
            }
            NeverRuns::FlowNotReached { flow } => match flow.kind {
                FlowKind::FaultRule | FlowKind::DefaultFaultRule => {
                    format!("no fault reaches `{}`", flow_name(flow))
                }
                FlowKind::SharedFlow => {
                    "its shared flow is called only from places no request reaches".to_owned()
                }
                _ => "no request reaches its flow (is its TargetEndpoint named by a RouteRule?)"
                    .to_owned(),
            },
            NeverRuns::AfterFault { blocker } => {
                format!("it follows `{}`, which always raises a fault", blocker.name)
            }
            NeverRuns::StepConditionNeverHolds => {
                "its condition can never hold when its flow runs".to_owned()
            }
        }
    }
}

impl<'p> Engine<'p> {
    /// Can some request run this Step's policy? Its condition holds for some request that
    /// reaches it, and it names a policy of its bundle that is enabled.
    pub fn step_may_run(&self, step: StepId) -> bool {
        let policy = self.plans.policy(self.project.step(step));
        policy.is_some_and(|p| p.enabled) && self.visits().step(step).condition_held
    }

    /// Does some request get past this Step's condition, whether or not its policy then runs
    /// (a disabled or missing one does not)?
    pub fn step_reached(&self, step: StepId) -> bool {
        self.visits().step(step).condition_held
    }

    /// Does some request reach this Step with a variable its condition reads (as written
    /// there) unset? Only where the engine finds it so: a header or parameter the request
    /// leaves out, a variable no policy that ran set; a value it cannot know is not counted.
    pub fn may_be_unset_at(&self, step: StepId, variable: &str) -> bool {
        self.visits().step(step).unset_reads.contains(variable)
    }

    /// A condition of the project as parsed; `None` when it is empty or does not parse.
    pub fn parsed(&self, condition: &Condition) -> Option<&Expr> {
        match self.conditions.get(condition.id.index()).map(|c| &c.parsed) {
            Some(Ok(Some(expr))) => Some(expr),
            _ => None,
        }
    }

    /// Does this condition hold for no value of the variables it reads, wherever it is (a literal
    /// `false`, a variable equal to two different strings)? False when it does not parse.
    pub fn condition_never_holds(&self, condition: &Condition) -> bool {
        self.parsed(condition).is_some_and(never_holds)
    }

    /// The canonical text of a condition: equal for conditions that are the same test written
    /// differently (operator spelling, parentheses, the order of `and`/`or` operands); `None`
    /// when it is empty or does not parse.
    pub fn canonical_condition(&self, condition: &Condition) -> Option<String> {
        self.parsed(condition).map(canonical)
    }

    /// Does the client set this variable directly (the verb, the path, a header, a query or
    /// form parameter)?
    pub fn client_sets(&self, variable: &str) -> bool {
        Input::of(variable).is_some()
    }

    /// The variables a condition reads that the client sets directly (the verb, the path, a
    /// header, a query or form parameter), as written; empty when it does not parse.
    pub fn client_inputs_read(&self, condition: &Condition) -> Vec<String> {
        let Some(expr) = self.parsed(condition) else {
            return Vec::new();
        };
        let mut names: Vec<String> = expr
            .variables()
            .into_iter()
            .filter_map(|operand| match &operand.kind {
                OperandKind::Variable { name, .. } if Input::of(name).is_some() => {
                    Some(name.clone())
                }
                _ => None,
            })
            .collect();
        names.dedup();
        names
    }

    /// Can some request run this policy, from any Step that attaches it? Never when it is
    /// disabled.
    pub fn policy_may_run(&self, policy: PolicyId) -> bool {
        let visits = self.visits();
        self.project.policy(policy).enabled
            && self
                .project
                .attachments_of(policy)
                .iter()
                .any(|&step| visits.step(step).condition_held)
    }

    /// Why no request runs this policy; `None` when some may.
    pub fn policy_never_runs(&self, policy: PolicyId) -> Option<PolicyNeverRuns<'p>> {
        if self.policy_may_run(policy) {
            return None;
        }
        if !self.project.policy(policy).enabled {
            return Some(PolicyNeverRuns::Disabled);
        }
        Some(match self.project.attachments_of(policy).first() {
            None => PolicyNeverRuns::NotAttached,
            Some(&step) => PolicyNeverRuns::Unreached(self.step_never_runs(step)),
        })
    }

    /// The request classes (described) that run a policy that guards requests (see
    /// `catalog::guards_requests`): "on which paths does it run?". Empty when no request can.
    pub fn classes_running(&self, policy: PolicyId) -> Vec<String> {
        let visits = self.visits();
        let mut classes: Vec<String> = self
            .project
            .attachments_of(policy)
            .iter()
            .flat_map(|&step| visits.step(step).classes.iter().cloned())
            .collect();
        classes.sort();
        classes.dedup();
        classes
    }

    /// Policies that check the caller (see `Engine::checks_caller`) which, for some request
    /// that runs this Step, certainly ran earlier for that same request: "do both run for one
    /// request?". Only a Step whose own condition met no unknown verdict counts (an unknown
    /// one: "may", not answered); an earlier policy whose condition was unknown counts for the
    /// requests that satisfy it. Asked of a Step whose policy checks the
    /// caller; empty for others.
    pub fn guards_ran_before(&self, step: StepId) -> impl Iterator<Item = PolicyId> + '_ {
        self.visits().step(step).ran_before.iter().copied()
    }

    /// May some request run this Step without a policy satisfying `check` run before it? Only
    /// requests the Step's own condition decides count; the policies asked about are those a
    /// state's history keeps (`Engine::checks_caller`: caller checks), and only a Step
    /// whose policy `catalog::asked_about` names is answered (false for others). A policy that
    /// ran for only some of the requests the engine joined counts as not run: "may".
    pub fn may_run_without(&self, step: StepId, check: impl Fn(&Policy) -> bool) -> bool {
        let arrivals = &self.visits().step(step).arrivals;
        arrivals
            .iter()
            .any(|ran| !ran.iter().any(|&p| check(self.project.policy(p))))
    }

    /// Must every request that reaches the TargetEndpoint's backend call first run a policy
    /// satisfying `check`? `None` when it must (or no request reaches it); otherwise the
    /// request classes that may get there without one.
    pub fn reaches_target_without(
        &self,
        target: EndpointId,
        check: impl Fn(&Policy) -> bool,
    ) -> Option<Vec<String>> {
        let project = self.project;
        let without: Vec<String> = project
            .route_rule_ids()
            .filter(
                |&r| matches!(project.route_target(r), Some(Resolved::Found(t)) if *t == target),
            )
            .flat_map(|r| self.routed_without(r, &check))
            .map(|arrival| arrival.class.clone())
            .collect();
        (!without.is_empty()).then_some(without)
    }

    /// The request classes a RouteRule sends to a backend (its TargetEndpoint's call, after the
    /// target's request flows; or its URL) without any policy satisfying `check` having
    /// certainly run before. `check` sees only the policies that guard requests
    /// (`Engine::checks_caller`) and the FlowCallouts whose shared flow the engine did not
    /// follow (outside the project, or past its limits), which may check the caller. Empty when every request the
    /// rule routes runs one, or none is routed.
    pub fn routed_without(
        &self,
        rule: RouteRuleId,
        check: impl Fn(&Policy) -> bool,
    ) -> Vec<&Arrival> {
        self.routed(rule)
            .iter()
            .filter(|a| !a.ran.iter().any(|&p| check(self.project.policy(p))))
            .collect()
    }

    /// The FaultRules of an endpoint in the order Apigee tries them for a fault (§4.3): a
    /// ProxyEndpoint's bottom to top, a TargetEndpoint's top to bottom; the first whose
    /// condition holds is the only one that runs. Empty for a shared flow.
    pub fn fault_rules_in_order(&self, endpoint: EndpointId) -> Vec<&'p Flow> {
        let (flows, bottom_to_top) = match self.project.endpoint(endpoint) {
            crate::model::EndpointRef::Proxy(e) => (&e.flows, true),
            crate::model::EndpointRef::Target(e) => (&e.flows, false),
            crate::model::EndpointRef::SharedFlow(_) => return Vec::new(),
        };
        FaultHandling::of(flows, bottom_to_top).rules
    }

    /// The request classes a RouteRule sends to a backend; empty when none is routed.
    pub fn routed(&self, rule: RouteRuleId) -> &[Arrival] {
        &self.visits().route(rule).arrivals
    }

    /// Why no request takes this RouteRule, if none does while some reach its endpoint's
    /// RouteRules (when every request ends in a fault before, the RouteRules are not to blame).
    pub fn route_never_taken(&self, rule: RouteRuleId) -> Option<RouteNeverTaken<'p>> {
        let visits = self.visits();
        let visit = visits.route(rule);
        if visit.taken {
            return None;
        }
        if visit.considered {
            return Some(RouteNeverTaken::ConditionNeverHolds);
        }
        let place = self.project.route_rule_place(rule);
        let endpoint = self.project.proxy_endpoint(place.endpoint)?;
        let earlier = &endpoint.route_rules[..place.index as usize];
        if !earlier
            .first()
            .is_some_and(|r| visits.route(r.id).considered)
        {
            return None;
        }
        Some(match earlier.iter().find(|r| r.condition.is_none()) {
            Some(unconditional) => RouteNeverTaken::AfterUnconditional(unconditional),
            None => RouteNeverTaken::EarlierRulesTakeAll,
        })
    }

    /// Does some request of this ProxyEndpoint match none of its RouteRules (or may it, by
    /// values the engine cannot know)? Apigee then fails to route it.
    pub fn some_request_unrouted(&self, endpoint: EndpointId) -> bool {
        self.visits().route_failed(endpoint)
    }

    /// Why no request runs a conditional flow, if none does.
    pub fn flow_never_runs(&self, flow: FlowId) -> Option<NeverRuns<'p>> {
        let visit = self.visits().flow(flow);
        if visit.entered() {
            return None;
        }
        let flow_ref = self.project.flow(flow);
        let place = self.project.flow_place(flow);
        let sibling = |i: usize| {
            let flows = match self.project.endpoint(place.endpoint) {
                crate::model::EndpointRef::Proxy(e) => &e.flows,
                crate::model::EndpointRef::Target(e) => &e.flows,
                crate::model::EndpointRef::SharedFlow(_) => return None,
            };
            flows.get(FlowSlot::Conditional(i as u32))
        };
        Some(match visit.unreached? {
            Unreached::ShadowedBy(i) => NeverRuns::Shadowed {
                flow: flow_ref,
                by: sibling(i),
            },
            Unreached::ShadowedByEarlierFlows => NeverRuns::Shadowed {
                flow: flow_ref,
                by: None,
            },
            Unreached::NeverHolds { full_path } => NeverRuns::FlowConditionNeverHolds {
                flow: flow_ref,
                full_path,
            },
            Unreached::NoRequestArrives => NeverRuns::NoRequestArrives { flow: flow_ref },
        })
    }

    /// Why no request runs this Step, if none does. A Step whose policy is missing or disabled
    /// is not a matter of reachability: `None`; nor is a Step that names no policy (a structure
    /// problem, reported as such).
    pub fn step_never_runs(&self, step: StepId) -> Option<NeverRuns<'p>> {
        let project = self.project;
        if project.step(step).name.is_empty() {
            return None;
        }
        let visits = self.visits();
        let visit = visits.step(step);
        if visit.condition_held {
            return None;
        }
        let flow = project.flow_place(project.step_place(step).flow);
        let flow_id = project.step_place(step).flow;
        if !visits.flow(flow_id).entered() {
            if matches!(flow.slot, FlowSlot::Conditional(_)) {
                if let Some(why) = self.flow_never_runs(flow_id) {
                    return Some(why);
                }
            }
            return Some(NeverRuns::FlowNotReached {
                flow: project.flow(flow_id),
            });
        }
        if visit.arrived {
            return Some(NeverRuns::StepConditionNeverHolds);
        }
        visit.blocked_by.map(|blocker| NeverRuns::AfterFault {
            blocker: project.step(blocker),
        })
    }

    /// The engine's limits the analysis of a ProxyEndpoint (or of a shared flow no proxy calls)
    /// went past; empty when it was exact.
    pub fn limits_reached(&self, endpoint: EndpointId) -> &BTreeSet<Limit> {
        self.visits().limits_reached(endpoint)
    }

    /// The places a policy runs from, where some request may run it.
    pub fn placements(&self, policy: PolicyId) -> Vec<Placement> {
        let listings = self.listings();
        listings
            .of(policy)
            .iter()
            .map(|&(listing, index)| Placement {
                step: listings.all[listing as usize].steps[index as usize].step,
                listing,
                index,
            })
            .filter(|p| self.step_may_run(p.step))
            .collect()
    }

    /// The steps listed before the placement, in its listing, whose policy some request may
    /// run: what may have run before it (`may_run_before` says whether for one request).
    pub fn placed_before(&self, at: Placement) -> impl Iterator<Item = (PolicyId, Placement)> + '_ {
        self.placed(at, 0..at.index)
    }

    /// The steps listed after the placement, in its listing, whose policy some request may run.
    pub fn placed_after(&self, at: Placement) -> impl Iterator<Item = (PolicyId, Placement)> + '_ {
        let len = self.listing(at).steps.len() as u32;
        self.placed(at, at.index + 1..len)
    }

    fn placed(
        &self,
        at: Placement,
        indices: std::ops::Range<u32>,
    ) -> impl Iterator<Item = (PolicyId, Placement)> + '_ {
        let listing = self.listing(at);
        indices.filter_map(move |index| {
            let placed = &listing.steps[index as usize];
            let placement = Placement {
                step: placed.step,
                listing: at.listing,
                index,
            };
            (self.step_may_run(placed.step)).then_some((placed.policy?, placement))
        })
    }

    /// The ProxyEndpoint whose requests run the placement; `None` for a shared flow no bundle
    /// of the project calls.
    pub fn proxy_endpoint_of(&self, placement: Placement) -> Option<EndpointId> {
        self.listing(placement).endpoint
    }

    /// Where the placement runs once the backend was called, the request failed or the response
    /// was sent ("the target response", "a FaultRule", …); `None` when it runs before the backend
    /// call, or in a shared flow that no bundle of the project calls (its caller is unknown).
    pub fn after_backend(&self, placement: Placement) -> Option<&'static str> {
        let listing = self.listing(placement);
        Some(match listing.steps[placement.index as usize].stage {
            Stage::TargetResponsePreFlow
            | Stage::TargetResponseFlow
            | Stage::TargetResponsePostFlow => "the target response",
            Stage::ProxyResponsePreFlow
            | Stage::ProxyResponseFlow
            | Stage::ProxyResponsePostFlow => "the proxy response",
            Stage::PostClientFlow => "the PostClientFlow, after the response was sent",
            Stage::ProxyFault | Stage::TargetFault => "a FaultRule, after the request failed",
            _ => return None,
        })
    }

    /// The endpoint whose flow runs the placement (for a shared flow's Step, the flow of the
    /// FlowCallout that leads to it) and the message that flow handles, `request` or
    /// `response`; `None` in the PostClientFlow, in fault handling, or in a shared flow that no
    /// bundle of the project calls.
    pub fn flow_message(&self, placement: Placement) -> Option<(EndpointId, &'static str)> {
        let placed = &self.listing(placement).steps[placement.index as usize];
        let message = match placed.stage {
            Stage::ProxyRequestPreFlow
            | Stage::ProxyRequestFlow
            | Stage::ProxyRequestPostFlow
            | Stage::TargetRequestPreFlow
            | Stage::TargetRequestFlow
            | Stage::TargetRequestPostFlow => "request",
            Stage::TargetResponsePreFlow
            | Stage::TargetResponseFlow
            | Stage::TargetResponsePostFlow
            | Stage::ProxyResponsePreFlow
            | Stage::ProxyResponseFlow
            | Stage::ProxyResponsePostFlow => "response",
            Stage::PostClientFlow | Stage::SharedFlow | Stage::ProxyFault | Stage::TargetFault => {
                return None
            }
        };
        Some((self.project.flow_place(placed.flow).endpoint, message))
    }

    /// Does the placement run in the PostClientFlow, once the response was sent to the client?
    pub fn after_response_sent(&self, placement: Placement) -> bool {
        self.listing(placement).steps[placement.index as usize].stage == Stage::PostClientFlow
    }

    /// May a policy for which `which` holds run after the placement, on the normal (non-error)
    /// path of some request?
    pub fn may_run_after(&self, placement: Placement, which: impl Fn(&Policy) -> bool) -> bool {
        let listing = self.listing(placement);
        let at = placement.index as usize;
        listing.steps.iter().enumerate().any(|(later, placed)| {
            placed.policy.is_some_and(|p| which(self.project.policy(p)))
                && listing.may_follow(at, later)
                && self.step_may_run(placed.step)
        })
    }

    /// May `later` run after `earlier` on the normal (non-error) path of the same request?
    pub fn may_run_before(&self, earlier: Placement, later: Placement) -> bool {
        earlier.listing == later.listing
            && self
                .listing(later)
                .may_follow(earlier.index as usize, later.index as usize)
    }

    /// Like [`Self::may_run_before`], and when `later` runs on a TargetEndpoint's side and
    /// `earlier` on the ProxyEndpoint's, `earlier` runs whatever the request (no flow or step
    /// condition on its way): the requests of a conditional proxy flow may all take another
    /// route (a null route for `/_status`, say), which the step order does not tell.
    pub fn may_run_before_on_one_route(&self, earlier: Placement, later: Placement) -> bool {
        if !self.may_run_before(earlier, later) {
            return false;
        }
        let listing = self.listing(later);
        let (a, b) = (
            &listing.steps[earlier.index as usize],
            &listing.steps[later.index as usize],
        );
        a.target.is_some() || b.target.is_none() || a.guards.is_empty()
    }

    /// Can no client get to the placement without a policy for which `which` holds running
    /// first, as far as the step order tells? Such a policy runs at an earlier step on the
    /// placement's normal path that may run, and whose flow and step conditions are the
    /// placement's own, or read nothing the client sends (`virtualhost.ip`, a flag an earlier
    /// policy set): whether those hold is not the client's choice. A FlowCallout whose shared
    /// flow is not listed (outside the project, say) may run one: it counts. Answered from the
    /// listing, not from the states' histories, which keep caller checks only (see
    /// `catalog::guards_requests`).
    pub fn always_preceded_by(
        &self,
        placement: Placement,
        which: impl Fn(&Policy) -> bool,
    ) -> bool {
        let listing = self.listing(placement);
        let at = placement.index as usize;
        let guards = &listing.steps[at].guards;
        let not_chosen_by_client = |g: &ConditionId| {
            guards.contains(g)
                || self
                    .client_inputs_read(self.project.condition(*g))
                    .is_empty()
        };
        listing.steps[..at]
            .iter()
            .enumerate()
            .any(|(earlier, placed)| {
                let fits = placed.opaque_callout
                    || placed.policy.is_some_and(|p| which(self.project.policy(p)));
                fits && listing.may_follow(earlier, at)
                    && placed.guards.iter().all(not_chosen_by_client)
                    && self.step_may_run(placed.step)
            })
    }

    /// May a policy for which `which` holds run before the RouteRule's backend call, for some
    /// request of the ProxyEndpoint: in its request flows, or in the request flows of the
    /// TargetEndpoint the rule names? A FlowCallout whose shared flow is not listed may run one.
    /// Whether it runs for the very requests the rule routes is not asked: answered from the
    /// listing, not from the states' histories (see `catalog::guards_requests`).
    pub fn may_run_before_backend(
        &self,
        endpoint: EndpointId,
        rule: RouteRuleId,
        which: impl Fn(&Policy) -> bool,
    ) -> bool {
        let target = match self.project.route_target(rule) {
            Some(Resolved::Found(t)) => Some(*t),
            _ => None,
        };
        let listings = self.listings();
        let Some(listing) = listings.all.iter().find(|l| l.endpoint == Some(endpoint)) else {
            return false;
        };
        listing.steps.iter().any(|placed| {
            let fits = placed.opaque_callout
                || placed.policy.is_some_and(|p| which(self.project.policy(p)));
            fits && placed.stage.before_backend(placed.target, target)
                && self.step_may_run(placed.step)
        })
    }

    /// What depends on the outcome of the policy at the placement.
    pub fn outcome_use(&self, placement: Placement) -> OutcomeUse<'p> {
        let listing = self.listing(placement);
        let at = placement.index as usize;
        let Some(policy) = listing.steps[at].policy.map(|p| self.project.policy(p)) else {
            return OutcomeUse {
                reads: Vec::new(),
                failure_ends_request: false,
            };
        };
        let prefixes: Vec<String> = outcome_variable_prefixes(policy)
            .iter()
            .map(|p| p.to_ascii_lowercase())
            .collect();
        let mut reads = Vec::new();
        for condition in self.conditions_after(listing, at) {
            let Some(Ok(Some(expr))) = self.conditions.get(condition.id.index()).map(|c| &c.parsed)
            else {
                continue;
            };
            for operand in expr.variables() {
                let OperandKind::Variable { name, .. } = &operand.kind else {
                    continue;
                };
                // Authors vary between `oauthV2` and `oauthv2`.
                let lower = name.to_ascii_lowercase();
                if prefixes.iter().any(|p| lower.starts_with(p)) {
                    reads.push(VariableRead {
                        condition,
                        variable: name.clone(),
                        span: condition.span_of(operand.span.clone()),
                    });
                }
            }
        }
        OutcomeUse {
            reads,
            failure_ends_request: !policy.continue_on_error,
        }
    }

    pub(super) fn listing(&self, placement: Placement) -> &Listing {
        &self.listings().all[placement.listing as usize]
    }

    /// Conditions evaluated after the step at `at` runs: of later steps and flows, of the error
    /// path, and of the endpoint's route rules.
    fn conditions_after(&self, listing: &Listing, at: usize) -> Vec<&'p Condition> {
        let project = self.project;
        let mut conditions: Vec<&Condition> = Vec::new();
        for (later, placed) in listing.steps.iter().enumerate() {
            if listing.may_follow(at, later) || (later != at && placed.stage.is_error_path()) {
                conditions.extend(placed.guards.iter().map(|&c| project.condition(c)));
            }
        }
        let endpoint = listing.endpoint.and_then(|e| project.proxy_endpoint(e));
        if let Some(endpoint) = endpoint {
            conditions.extend(
                endpoint
                    .route_rules
                    .iter()
                    .filter_map(|r| r.condition.as_ref()),
            );
        }
        conditions.sort_by_key(|c| c.span);
        conditions.dedup_by_key(|c| c.span);
        conditions
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Engine, PolicyNeverRuns, RouteNeverTaken};
    use crate::model::{Policy, PolicyId, Project};
    use crate::parse::load::load_memory;

    fn project(proxy: &str) -> Project {
        let policy = |name: &str, body: &str| {
            (
                format!("p/apiproxy/policies/{name}.xml"),
                Ok(body.as_bytes().to_vec()),
            )
        };
        load_memory(vec![
            ("p/apiproxy/proxies/default.xml".into(), Ok(proxy.as_bytes().to_vec())),
            ("p/apiproxy/targets/default.xml".into(), Ok(b"<TargetEndpoint name=\"default\"><HTTPTargetConnection><URL>https://b</URL></HTTPTargetConnection></TargetEndpoint>".to_vec())),
            policy("Verify", "<OAuthV2 name=\"Verify\"><Operation>VerifyAccessToken</Operation></OAuthV2>"),
            policy("Log", "<MessageLogging name=\"Log\"/>"),
            policy("Off", "<AssignMessage name=\"Off\" enabled=\"false\"/>"),
            policy("Set", "<AssignMessage name=\"Set\"><Set><Headers><Header name=\"x-level\">{app.level}</Header></Headers></Set></AssignMessage>"),
            policy("SA", "<SpikeArrest name=\"SA\"><Rate>10ps</Rate></SpikeArrest>"),
            policy("FC", "<FlowCallout name=\"FC\"><SharedFlowBundle>elsewhere</SharedFlowBundle></FlowCallout>"),
            policy("JTP", "<JSONThreatProtection name=\"JTP\"><Source>request</Source></JSONThreatProtection>"),
            policy("Gone", "<RaiseFault name=\"Gone\"/>"),
        ])
    }

    /// The shapes of `generated`, as the benchmark's.
    #[derive(Clone, Copy, Debug)]
    enum Shape {
        /// Flows by path and GET.
        A,
        /// Flows by path and GET, or by a header of their own.
        B,
        /// Flows by path and GET, whose Step raises a fault unless a header has the flow's value.
        Deep,
    }

    /// A generated proxy of `n` flows on paths of their own, then a flow the first one shadows.
    fn generated(n: usize, shape: Shape) -> Project {
        let flows: String = (1..=n)
            .map(|i| {
                let by = match shape {
                    Shape::B => format!(r#"(request.verb = "GET" or request.header.x-m{i} = "y")"#),
                    Shape::A | Shape::Deep => r#"(request.verb = "GET")"#.to_owned(),
                };
                let step = match shape {
                    Shape::Deep => format!(r#"<Name>Gone</Name><Condition>request.header.x-scope != "admin{i}"</Condition>"#),
                    Shape::A | Shape::B => format!(r#"<Name>Set</Name><Condition>request.queryparam.q = "{i}"</Condition>"#),
                };
                format!(
                    r#"<Flow name="r{i}"><Condition>(proxy.pathsuffix MatchesPath "/r{i}/*") and {by}</Condition>
                    <Request><Step>{step}</Step></Request></Flow>"#
                )
            })
            .collect();
        project(&format!(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <Flows>{flows}<Flow name="shadowed"><Condition>(proxy.pathsuffix = "/r1/x") and (request.verb = "GET")</Condition></Flow></Flows>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#
        ))
    }

    /// Requests that take different flows by path join exactly where the flows meet, those a
    /// flow lets through (another verb, no header) leave the flows at once, and what only the
    /// flows' Steps read is settled past them: hundreds of flows stay within the engine's
    /// bounds, and the shadowed flow is still proved so.
    #[test]
    fn generated_flows_on_paths_of_their_own_stay_exact() {
        for shape in [Shape::A, Shape::B, Shape::Deep] {
            let p = generated(300, shape);
            let engine = Engine::new(&p);
            let endpoint = &p.bundles[0].proxy_endpoints[0];
            assert!(
                engine.limits_reached(endpoint.id).is_empty(),
                "{shape:?}: {:?}",
                engine.limits_reached(endpoint.id)
            );
            let flows = &endpoint.flows.conditional;
            let shadowed = flows.last().unwrap();
            assert!(matches!(
                engine.flow_never_runs(shadowed.id),
                Some(super::NeverRuns::Shadowed { by: Some(by), .. }) if by.name.as_deref() == Some("r1")
            ));
            assert!(flows[..300]
                .iter()
                .all(|f| engine.flow_never_runs(f.id).is_none()));
        }
    }

    fn verifies(p: &Policy) -> bool {
        p.operation() == Some(crate::catalog::OAuthOperation::VerifyAccessToken)
    }

    fn policy(project: &Project, name: &str) -> PolicyId {
        project.policies_named(project.bundles[0].id, name)[0]
    }

    /// A condition over five headers of four values each has 6^5 request classes: enumerating
    /// them passed the per-condition limit; fixing one header at a time, and expanding only the
    /// values that leave the verdict open, takes about 2,000 evaluations and stays exact.
    #[test]
    fn a_condition_over_many_inputs_is_split_within_its_budget() {
        let any_of = |h: &str| {
            (1..=4)
                .map(|v| format!(r#"request.header.{h} = "{v}""#))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let condition = ["a", "b", "c", "d", "e"]
            .map(|h| format!("({})", any_of(h)))
            .join(" and ");
        let p = project(&format!(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <Flows><Flow name="matrix"><Condition>{condition}</Condition></Flow>
            <Flow name="same"><Condition>request.header.a = "1" and request.header.b = "2" and request.header.c = "3" and request.header.d = "4" and request.header.e = "1"</Condition></Flow></Flows>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#
        ));
        let engine = Engine::new(&p);
        let endpoint = &p.bundles[0].proxy_endpoints[0];
        assert!(engine.limits_reached(endpoint.id).is_empty());
        let flows = &endpoint.flows.conditional;
        assert!(engine.flow_never_runs(flows[0].id).is_none());
        // Proved only with the first condition decided exactly.
        assert!(engine.flow_never_runs(flows[1].id).is_some());
    }

    #[test]
    fn a_route_rule_after_a_default_or_with_a_condition_that_never_holds_is_never_taken() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <RouteRule name="never"><Condition>request.verb = "GET" and request.verb = "PUT"</Condition></RouteRule>
            <RouteRule name="get"><Condition>request.verb = "GET"</Condition></RouteRule>
            <RouteRule name="default"><TargetEndpoint>default</TargetEndpoint></RouteRule>
            <RouteRule name="dead"/></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let rules = &p.bundles[0].proxy_endpoints[0].route_rules;
        let why = |i: usize| engine.route_never_taken(rules[i].id);
        assert!(matches!(why(0), Some(RouteNeverTaken::ConditionNeverHolds)));
        assert!(why(1).is_none() && why(2).is_none());
        assert!(
            matches!(why(3), Some(RouteNeverTaken::AfterUnconditional(r)) if r.id == rules[2].id)
        );
        assert!(!engine.some_request_unrouted(p.bundles[0].proxy_endpoints[0].id));

        // No request gets to the RouteRules: none is to blame.
        let faulted = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Gone</Name></Step></Request></PreFlow>
            <RouteRule name="default"/><RouteRule name="dead"/></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&faulted);
        let rules = &faulted.bundles[0].proxy_endpoints[0].route_rules;
        assert!(rules
            .iter()
            .all(|r| engine.route_never_taken(r.id).is_none()));

        let gets_only = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <RouteRule name="get"><Condition>request.verb = "GET"</Condition></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&gets_only);
        assert!(engine.some_request_unrouted(gets_only.bundles[0].proxy_endpoints[0].id));
    }

    #[test]
    fn a_header_is_unset_where_requests_may_leave_it_out_not_once_a_policy_set_it() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request>
            <Step><Name>Log</Name><Condition>request.header.x-level &lt; 3</Condition></Step>
            </Request></PreFlow>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let step = p.bundles[0].all_steps().next().unwrap().id;
        assert!(engine.may_be_unset_at(step, "request.header.x-level"));
        assert!(!engine.may_be_unset_at(step, "request.header.other"));

        let set_first = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Set</Name></Step>
            <Step><Name>Log</Name><Condition>request.header.x-level &lt; 3</Condition></Step>
            </Request></PreFlow>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&set_first);
        let step = set_first.bundles[0].all_steps().nth(1).unwrap().id;
        assert!(!engine.may_be_unset_at(step, "request.header.x-level"));
    }

    #[test]
    fn a_conditional_verification_leaves_a_way_to_the_target() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Verify</Name><Condition>request.header.Authorization != null</Condition></Step></Request></PreFlow>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let target = p.bundles[0].target_endpoints[0].id;
        assert_eq!(
            engine.reaches_target_without(target, verifies),
            Some(vec!["request.header.authorization absent".to_owned()])
        );
    }

    #[test]
    fn an_unconditional_verification_covers_every_way_to_the_target() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Verify</Name></Step></Request></PreFlow>
            <Flows><Flow name="admin"><Condition>proxy.pathsuffix MatchesPath "/admin/**"</Condition><Request><Step><Name>Log</Name></Step></Request></Flow></Flows>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let target = p.bundles[0].target_endpoints[0].id;
        assert_eq!(engine.reaches_target_without(target, verifies), None);
    }

    /// A URL route is a backend call too; the arrival names a request of its classes.
    #[test]
    fn a_url_route_reached_without_verification_names_a_request() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <Flows><Flow name="orders"><Condition>proxy.pathsuffix MatchesPath "/orders/*"</Condition><Request><Step><Name>Verify</Name></Step></Request></Flow></Flows>
            <RouteRule name="legacy"><Condition>request.verb = "DELETE"</Condition><URL>https://legacy</URL></RouteRule>
            <RouteRule name="none"/></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let rule = p.bundles[0].proxy_endpoints[0].route_rules[0].id;
        let open = engine.routed_without(rule, verifies);
        // The base path itself, and any path but the verified ones: one group of classes
        // (the pattern test only constrains the other paths).
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].request.as_deref(), Some("DELETE /v1"));
        assert_eq!(open[0].paths, None);
        assert!(open[0].certain);
        assert_eq!(
            open[0].class,
            r#"request.verb = "DELETE" and proxy.pathsuffix one of absent, "", any other value"#
        );
        let rule = p.bundles[0].proxy_endpoints[0].route_rules[1].id;
        assert!(engine.routed_without(rule, verifies).is_empty());
    }

    #[test]
    fn a_placement_on_the_response_runs_after_the_backend() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Log</Name></Step></Request><Response><Step><Name>Verify</Name></Step></Response></PreFlow>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let late = engine.placements(policy(&p, "Verify"))[0];
        assert_eq!(engine.after_backend(late), Some("the proxy response"));
        let early = engine.placements(policy(&p, "Log"))[0];
        assert_eq!(engine.after_backend(early), None);
    }

    #[test]
    fn the_client_inputs_a_condition_reads() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Verify</Name><Condition>request.header.x-internal != "true" and flag = 1</Condition></Step></Request></PreFlow>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let step = p.bundles[0].all_steps().next().unwrap();
        assert_eq!(
            engine.client_inputs_read(step.condition.as_ref().unwrap()),
            ["request.header.x-internal"]
        );
    }

    #[test]
    fn the_classes_a_policy_runs_for() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <Flows>
              <Flow name="read"><Condition>request.verb = "GET"</Condition><Request><Step><Name>Log</Name></Step></Request></Flow>
              <Flow name="write"><Condition>(request.verb = "POST") and (request.header.x-mode = "audit")</Condition><Request><Step><Name>Verify</Name></Step></Request></Flow>
            </Flows>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        assert_eq!(
            engine.classes_running(policy(&p, "Verify")),
            ["request.verb = \"POST\" and request.header.x-mode = \"audit\""]
        );
        // Classes are described for policies that guard requests only.
        assert!(engine.classes_running(policy(&p, "Log")).is_empty());
    }

    #[test]
    fn guards_that_ran_before_a_step_for_the_same_request() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <Flows>
              <Flow name="a"><Condition>request.verb = "GET"</Condition><Request><Step><Name>Verify</Name></Step></Request></Flow>
              <Flow name="b"><Request><Step><Name>Log</Name></Step></Request></Flow>
            </Flows>
            <PostFlow><Request><Step><Name>Verify</Name><Condition>request.verb = "GET"</Condition></Step><Step><Name>Verify</Name><Condition>request.verb = "POST"</Condition></Step></Request></PostFlow>
            <RouteRule name="r"/></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let verify = policy(&p, "Verify");
        let steps: Vec<_> = p.bundles[0]
            .all_steps()
            .filter(|s| s.name == "Verify")
            .map(|s| s.id)
            .collect();
        let before = |i: usize| engine.guards_ran_before(steps[i]).collect::<Vec<_>>();
        assert!(before(0).is_empty());
        // A GET ran the flow's Verify first; a POST never did.
        assert_eq!(before(1), [verify]);
        assert!(before(2).is_empty());
        let unguarded: Vec<bool> = steps
            .iter()
            .map(|&s| engine.may_run_without(s, crate::engine::catalog::guards_requests))
            .collect();
        assert_eq!(unguarded, [true, false, true]);
    }

    /// A rate limit counts before a step when no condition the client chooses can skip it.
    #[test]
    fn a_step_is_preceded_by_what_the_client_cannot_skip() {
        let preceded = |preflow: &str| {
            let p = project(&format!(
                r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
                <PreFlow><Request>{preflow}</Request></PreFlow>
                <Flows>
                  <Flow name="other"><Condition>request.verb = "GET"</Condition><Request><Step><Name>SA</Name></Step></Request></Flow>
                  <Flow name="token"><Condition>request.verb = "POST"</Condition><Request><Step><Name>Log</Name></Step></Request></Flow>
                </Flows>
                <RouteRule name="r"/></ProxyEndpoint>"#
            ));
            let engine = Engine::new(&p);
            let at = engine.placements(policy(&p, "Log"))[0];
            engine.always_preceded_by(at, Policy::limits_request_rate)
        };
        assert!(!preceded(""), "a rate limit in another flow");
        assert!(preceded("<Step><Name>SA</Name></Step>"));
        assert!(preceded(
            r#"<Step><Name>SA</Name><Condition>virtualhost.ip != "127.0.0.1"</Condition></Step>"#
        ));
        assert!(!preceded(
            r#"<Step><Name>SA</Name><Condition>request.header.x-key != null</Condition></Step>"#
        ));
        assert!(!preceded(r#"<Step><Name>Off</Name></Step>"#));
        // A shared flow outside the project may run one.
        assert!(preceded("<Step><Name>FC</Name></Step>"));
    }

    /// Only the request flows before the backend call count, whatever their conditions.
    #[test]
    fn a_policy_may_run_before_the_backend_in_the_request_flows_only() {
        let protected = |flows: &str| {
            let p = project(&format!(
                r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
                {flows}<RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#
            ));
            let engine = Engine::new(&p);
            let endpoint = &p.bundles[0].proxy_endpoints[0];
            let rule = endpoint.route_rules[0].id;
            engine.may_run_before_backend(endpoint.id, rule, Policy::protects_against_threats)
        };
        assert!(!protected(""));
        assert!(protected(
            "<PreFlow><Request><Step><Name>JTP</Name></Step></Request></PreFlow>"
        ));
        assert!(protected(
            r#"<Flows><Flow name="w"><Condition>request.verb = "POST"</Condition><Request><Step><Name>JTP</Name></Step></Request></Flow></Flows>"#
        ));
        assert!(!protected(
            "<PreFlow><Response><Step><Name>JTP</Name></Step></Response></PreFlow>"
        ));
    }

    /// A disabled policy never runs, though every request reaches the Step that attaches it
    /// (reference §4.2 ✔); the Step itself is no matter of reachability.
    #[test]
    fn a_disabled_policy_never_runs() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Off</Name></Step><Step><Name>Log</Name></Step></Request></PreFlow>
            <RouteRule name="r"/></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let steps: Vec<_> = p.bundles[0].all_steps().map(|s| s.id).collect();
        assert!(!engine.policy_may_run(policy(&p, "Off")));
        assert!(!engine.step_may_run(steps[0]));
        assert!(matches!(
            engine.policy_never_runs(policy(&p, "Off")),
            Some(PolicyNeverRuns::Disabled)
        ));
        assert!(engine.step_never_runs(steps[0]).is_none());
        // Requests still reach its Step: a disabled check verifies nothing there.
        assert!(engine.step_reached(steps[0]));
        assert!(engine.policy_may_run(policy(&p, "Log")));
        assert!(engine.step_may_run(steps[1]));
        assert!(matches!(
            engine.policy_never_runs(policy(&p, "Verify")),
            Some(PolicyNeverRuns::NotAttached)
        ));
    }
}
