//! The one description of execution order (apigee-oauth-reference.md §4.2–§4.4): for each
//! ProxyEndpoint, its request flows, RouteRules, the TargetEndpoints they route to, its response
//! flows, PostClientFlow and fault handling, compiled once from the model and the references the
//! Project resolved. The symbolic analysis, the concrete trace and the structural listing all
//! walk this plan, so they cannot disagree on order.

use crate::model::{
    BundleId, BundleKind, EndpointId, Flow, Flows, Policy, Project, ProxyEndpoint, RouteRule,
    SharedFlow, Step, TargetEndpoint,
};
use std::collections::BTreeSet;

/// Which half of the message's life a flow's steps belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Request,
    Response,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Request => "request",
            Phase::Response => "response",
        }
    }
}

/// The steps a flow runs in `phase` (FaultRules and shared flows have request steps only).
pub(crate) fn steps(flow: &Flow, phase: Phase) -> &[Step] {
    match phase {
        Phase::Request => &flow.request,
        Phase::Response => &flow.response,
    }
}

/// PreFlow, the conditional Flows (the first whose condition holds runs) and PostFlow of one
/// endpoint, in one direction.
#[derive(Clone, Copy)]
pub(crate) struct Segment<'p> {
    pub endpoint: EndpointId,
    pub flows: &'p Flows,
    pub phase: Phase,
}

/// Where a fault of one endpoint is handled (§4.3): its FaultRules in the order Apigee
/// evaluates them (a ProxyEndpoint's bottom to top, a TargetEndpoint's top to bottom; the
/// first that holds runs), then its DefaultFaultRule.
pub(crate) struct FaultHandling<'p> {
    pub rules: Vec<&'p Flow>,
    pub default: Option<&'p Flow>,
}

impl<'p> FaultHandling<'p> {
    pub(crate) fn of(flows: &'p Flows, bottom_to_top: bool) -> FaultHandling<'p> {
        let mut rules: Vec<&Flow> = flows.fault_rules.iter().collect();
        if bottom_to_top {
            rules.reverse();
        }
        FaultHandling {
            rules,
            default: flows.default_fault_rule.as_ref(),
        }
    }
}

/// Where a RouteRule sends the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RouteTo {
    /// The TargetEndpoint at this index of [`EndpointPlan::targets`].
    Target(usize),
    /// A TargetEndpoint the bundle does not have (or names through a variable).
    MissingTarget,
    Url,
    /// Neither a TargetEndpoint nor a URL: the response path follows at once.
    Null,
}

pub(crate) struct Route<'p> {
    pub rule: &'p RouteRule,
    pub to: RouteTo,
}

/// What a TargetEndpoint's backend call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    /// An HTTP backend (or none): its response is unknown to the engine.
    Remote,
    /// Proxy chaining (LocalTargetConnection, and no HTTPTargetConnection): the ProxyEndpoint of
    /// the project it leads to, if the project has it.
    Chained(Option<EndpointId>),
}

pub(crate) struct TargetPlan<'p> {
    pub endpoint: &'p TargetEndpoint,
    pub request: Segment<'p>,
    pub response: Segment<'p>,
    pub faults: FaultHandling<'p>,
    pub backend: Backend,
}

/// Everything one request to a ProxyEndpoint may run, in Apigee's order.
pub(crate) struct EndpointPlan<'p> {
    pub bundle: BundleId,
    pub endpoint: &'p ProxyEndpoint,
    pub request: Segment<'p>,
    /// In document order: the first that holds wins; none holding is RouteFailed.
    pub routes: Vec<Route<'p>>,
    /// The TargetEndpoints the routes lead to, once each, in the bundle's order.
    pub targets: Vec<TargetPlan<'p>>,
    pub response: Segment<'p>,
    /// Runs after the response is sent, an error response included.
    pub post_client_flow: Option<&'p Flow>,
    pub faults: FaultHandling<'p>,
}

/// What a FlowCallout runs.
pub(crate) enum Callout<'p> {
    /// The project's shared flow bundle, and its entry flow (`default`, else its first; none in
    /// an empty bundle).
    Bundle(BundleId, Option<&'p SharedFlow>),
    /// A shared flow bundle the project does not have (or names through a variable).
    Outside,
}

/// Why a FlowCallout's shared flow does not run inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotFollowed {
    /// Its bundle is not in the linted paths.
    Outside,
    /// Its bundle is already running: a shared flow calling itself, directly or through others.
    /// The reference documents shared flows calling shared flows (§4.4 ✔) but not recursion, so
    /// what the repeated call does is unknown.
    Recursive,
    /// Deeper than [`MAX_CALLOUT_DEPTH`].
    TooDeep,
}

/// FlowCallouts are followed at most this deep (a budget: without recursion, chains are as long
/// as the project has distinct shared flows).
pub(crate) const MAX_CALLOUT_DEPTH: usize = 16;

/// Whether a FlowCallout made while the bundles of `running` run (outermost first: the
/// endpoint's or shared flow's own bundle, then each callee) runs `callee` inline.
pub(crate) fn follow(running: &[BundleId], callee: BundleId) -> Result<(), NotFollowed> {
    if running.contains(&callee) {
        Err(NotFollowed::Recursive)
    } else if running.len() > MAX_CALLOUT_DEPTH {
        Err(NotFollowed::TooDeep)
    } else {
        Ok(())
    }
}

/// The compiled order of every ProxyEndpoint of a project.
pub(crate) struct Plans<'p> {
    pub project: &'p Project,
    /// One per ProxyEndpoint, in model order.
    pub endpoints: Vec<EndpointPlan<'p>>,
    /// By EndpointId: the index of its plan, for ProxyEndpoints.
    by_endpoint: Vec<Option<u32>>,
    /// By BundleId: the shared flow a FlowCallout to the bundle runs.
    entries: Vec<Option<&'p SharedFlow>>,
    /// Shared flow bundles that no ProxyEndpoint's run calls, in model order: a flow hook, or a
    /// caller outside the linted paths, runs them.
    pub uncalled: Vec<BundleId>,
}

impl<'p> Plans<'p> {
    pub fn new(project: &'p Project) -> Plans<'p> {
        let entries = project
            .bundles
            .iter()
            .map(|b| {
                let shared = &b.shared_flows;
                shared
                    .iter()
                    .find(|s| s.name == "default")
                    .or(shared.first())
            })
            .collect();
        let mut plans = Plans {
            project,
            endpoints: Vec::new(),
            by_endpoint: vec![None; project.endpoint_ids().count()],
            entries,
            uncalled: Vec::new(),
        };
        for bundle in &project.bundles {
            for endpoint in &bundle.proxy_endpoints {
                plans.by_endpoint[endpoint.id.index()] = Some(plans.endpoints.len() as u32);
                plans.endpoints.push(plans.endpoint(bundle.id, endpoint));
            }
        }
        plans.uncalled = plans.uncalled_shared_flows();
        plans
    }

    fn endpoint(&self, bundle: BundleId, endpoint: &'p ProxyEndpoint) -> EndpointPlan<'p> {
        let project = self.project;
        let segment = |phase| Segment {
            endpoint: endpoint.id,
            flows: &endpoint.flows,
            phase,
        };
        let routed: Vec<(&RouteRule, Option<&TargetEndpoint>)> = endpoint
            .route_rules
            .iter()
            .map(|rule| {
                let found = project.route_target(rule.id).and_then(|r| r.first());
                (rule, found.and_then(|id| project.target_endpoint(id)))
            })
            .collect();
        let mut targets: Vec<&TargetEndpoint> = routed.iter().filter_map(|(_, t)| *t).collect();
        targets.sort_by_key(|t| t.id);
        targets.dedup_by_key(|t| t.id);
        let routes = routed
            .into_iter()
            .map(|(rule, target)| Route {
                rule,
                to: match (target, &rule.target_endpoint, &rule.url) {
                    (Some(t), _, _) => targets
                        .binary_search_by_key(&t.id, |k| k.id)
                        .map_or(RouteTo::MissingTarget, RouteTo::Target),
                    (None, Some(_), _) => RouteTo::MissingTarget,
                    (None, None, Some(_)) => RouteTo::Url,
                    (None, None, None) => RouteTo::Null,
                },
            })
            .collect();
        EndpointPlan {
            bundle,
            endpoint,
            request: segment(Phase::Request),
            routes,
            targets: targets.into_iter().map(|t| self.target(t)).collect(),
            response: segment(Phase::Response),
            post_client_flow: endpoint.flows.post_client_flow.as_ref(),
            faults: FaultHandling::of(&endpoint.flows, true),
        }
    }

    fn target(&self, target: &'p TargetEndpoint) -> TargetPlan<'p> {
        let segment = |phase| Segment {
            endpoint: target.id,
            flows: &target.flows,
            phase,
        };
        let backend = match (&target.http, &target.local) {
            (None, Some(_)) => Backend::Chained(
                self.project
                    .chained_endpoint(target.id)
                    .and_then(|r| r.first()),
            ),
            _ => Backend::Remote,
        };
        TargetPlan {
            endpoint: target,
            request: segment(Phase::Request),
            response: segment(Phase::Response),
            faults: FaultHandling::of(&target.flows, false),
            backend,
        }
    }

    /// The plan of a ProxyEndpoint.
    pub fn of(&self, endpoint: EndpointId) -> Option<&EndpointPlan<'p>> {
        let index = (*self.by_endpoint.get(endpoint.index())?)?;
        Some(&self.endpoints[index as usize])
    }

    /// The policy a Step runs: the first of its bundle's policies of that name.
    pub fn policy(&self, step: &Step) -> Option<&'p Policy> {
        let project = self.project;
        let found = project.step_policy(step.id)?.first()?;
        Some(project.policy(found))
    }

    /// What a FlowCallout policy runs; `None` for other policies.
    pub fn callout(&self, policy: &Policy) -> Option<Callout<'p>> {
        policy.flow_callout()?;
        let bundle = self
            .project
            .callout_bundle(policy.id)
            .and_then(|r| r.first());
        Some(match bundle {
            Some(b) => Callout::Bundle(b, self.entries[b.index()]),
            None => Callout::Outside,
        })
    }

    /// Every flow one request to the endpoint may run, each once.
    fn flows_of<'a>(plan: &'a EndpointPlan<'p>) -> impl Iterator<Item = &'p Flow> + 'a {
        let targets = plan.targets.iter().flat_map(|t| t.endpoint.flows.all());
        plan.endpoint.flows.all().chain(targets)
    }

    /// Marks the shared flow bundles that the FlowCallouts of `flows` call, through any chain.
    fn mark_callees(&self, flows: impl Iterator<Item = &'p Flow>, called: &mut BTreeSet<BundleId>) {
        let mut pending: Vec<&Flow> = flows.collect();
        while let Some(flow) = pending.pop() {
            for step in flow.request.iter().chain(&flow.response) {
                let policy = self.policy(step).filter(|p| p.enabled);
                let Some(Callout::Bundle(callee, entry)) = policy.and_then(|p| self.callout(p))
                else {
                    continue;
                };
                if called.insert(callee) {
                    pending.extend(entry.map(|e| &e.steps));
                }
            }
        }
    }

    /// The bundles whose flows a request to the endpoint may run: its own, and the shared flow
    /// bundles it calls, in model order.
    pub fn bundles_run(&self, plan: &EndpointPlan<'p>) -> Vec<BundleId> {
        let mut called = BTreeSet::from([plan.bundle]);
        self.mark_callees(Self::flows_of(plan), &mut called);
        called.into_iter().collect()
    }

    /// The shared flow bundles no ProxyEndpoint's run calls.
    fn uncalled_shared_flows(&self) -> Vec<BundleId> {
        let project = self.project;
        let mut called = BTreeSet::new();
        self.mark_callees(self.endpoints.iter().flat_map(Self::flows_of), &mut called);
        project
            .bundle_ids()
            .filter(|b| project.bundle(*b).kind == BundleKind::SharedFlow && !called.contains(b))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::project_of;

    const FAULTS: &str = "<ProxyEndpoint name=\"default\">\
        <FaultRules><FaultRule name=\"top\"/><FaultRule name=\"bottom\"/></FaultRules>\
        <DefaultFaultRule name=\"last\"/>\
        <RouteRule name=\"r\"><TargetEndpoint>t</TargetEndpoint></RouteRule></ProxyEndpoint>";
    const TARGET: &str = "<TargetEndpoint name=\"t\">\
        <FaultRules><FaultRule name=\"top\"/><FaultRule name=\"bottom\"/></FaultRules>\
        </TargetEndpoint>";

    fn names(handling: &FaultHandling) -> Vec<String> {
        let mut names: Vec<String> = handling
            .rules
            .iter()
            .map(|f| f.name.clone().unwrap())
            .collect();
        names.extend(handling.default.map(|f| f.name.clone().unwrap()));
        names
    }

    /// Reference §4.3 ✔: ProxyEndpoint FaultRules bottom to top, TargetEndpoint FaultRules top
    /// to bottom, then the DefaultFaultRule.
    #[test]
    fn fault_rules_are_listed_in_the_order_apigee_evaluates_them() {
        let project = project_of(&[
            ("p/apiproxy/proxies/default.xml", FAULTS),
            ("p/apiproxy/targets/t.xml", TARGET),
        ]);
        let plans = Plans::new(&project);
        let plan = &plans.endpoints[0];
        assert_eq!(names(&plan.faults), ["bottom", "top", "last"]);
        assert_eq!(names(&plan.targets[0].faults), ["top", "bottom"]);
    }

    #[test]
    fn a_shared_flow_calling_itself_is_not_followed_again() {
        let running = [BundleId(0), BundleId(3)];
        assert_eq!(follow(&running, BundleId(3)), Err(NotFollowed::Recursive));
        assert_eq!(follow(&running, BundleId(4)), Ok(()));
        let deep: Vec<BundleId> = (0..=MAX_CALLOUT_DEPTH as u32).map(BundleId).collect();
        assert_eq!(follow(&deep, BundleId(99)), Err(NotFollowed::TooDeep));
    }

    #[test]
    fn shared_flows_called_only_by_uncalled_ones_are_uncalled_too() {
        let callout = |name: &str, to: &str| {
            format!("<FlowCallout name=\"{name}\"><SharedFlowBundle>{to}</SharedFlowBundle></FlowCallout>")
        };
        let shared = |step: &str| {
            format!("<SharedFlow name=\"default\"><Step><Name>{step}</Name></Step></SharedFlow>")
        };
        let proxy =
            "<ProxyEndpoint name=\"default\"><PreFlow><Request><Step><Name>FC</Name></Step>\
            </Request></PreFlow><RouteRule name=\"r\"/></ProxyEndpoint>";
        let project = project_of(&[
            ("p/apiproxy/proxies/default.xml", proxy),
            ("p/apiproxy/policies/FC.xml", &callout("FC", "a")),
            (
                "a/sharedflowbundle/sharedflows/default.xml",
                &shared("FC-B"),
            ),
            (
                "a/sharedflowbundle/policies/FC-B.xml",
                &callout("FC-B", "b"),
            ),
            ("b/sharedflowbundle/sharedflows/default.xml", &shared("X")),
            (
                "hook/sharedflowbundle/sharedflows/default.xml",
                &shared("FC-C"),
            ),
            (
                "hook/sharedflowbundle/policies/FC-C.xml",
                &callout("FC-C", "c"),
            ),
            ("c/sharedflowbundle/sharedflows/default.xml", &shared("X")),
        ]);
        let plans = Plans::new(&project);
        let uncalled: Vec<&str> = plans
            .uncalled
            .iter()
            .map(|&b| project.bundle(b).name.as_str())
            .collect();
        assert_eq!(uncalled, ["c", "hook"]);
    }
}
