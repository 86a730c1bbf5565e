//! Identities for the nodes the engine and rules key on: dense indices into tables of the
//! project, given in model order when a bundle joins it. An id finds its node, and where the node
//! sits, in constant time: no lookup needs a node's address or a scan.
//!
//! Conditions are numbered in the order the engine has always listed them: per bundle, each
//! flow's condition then its steps' (flows in [`Bundle::all_flows`] order), then the route rules'.

use super::{Bundle, Condition, Flow, Flows, Policy, Project, ProxyEndpoint, RouteRule, Step};
use super::{SharedFlow, TargetEndpoint};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in the project's table, for tables of one's own indexed alike.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids!(
    BundleId,
    /// A ProxyEndpoint, a TargetEndpoint or a shared flow (`sharedflows/*.xml`).
    EndpointId,
    FlowId,
    StepId,
    PolicyId,
    RouteRuleId,
    /// The `<Condition>` of a flow, a step or a route rule.
    ConditionId,
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointKind {
    Proxy,
    Target,
    SharedFlow,
}

/// Where an endpoint sits: `bundle`'s proxy endpoints, target endpoints or shared flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointPlace {
    pub bundle: BundleId,
    pub kind: EndpointKind,
    pub index: u32,
}

/// Which flow of its endpoint a flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowSlot {
    PreFlow,
    Conditional(u32),
    PostFlow,
    PostClientFlow,
    FaultRule(u32),
    DefaultFaultRule,
    /// The steps of a shared flow.
    SharedFlow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowPlace {
    pub endpoint: EndpointId,
    pub slot: FlowSlot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepPlace {
    pub flow: FlowId,
    /// In the flow's `<Response>` rather than its `<Request>` (or a fault rule's own steps).
    pub response: bool,
    pub index: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyPlace {
    pub bundle: BundleId,
    pub index: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteRulePlace {
    pub endpoint: EndpointId,
    pub index: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionOwner {
    Flow(FlowId),
    Step(StepId),
    RouteRule(RouteRuleId),
}

/// An endpoint, whichever its kind.
#[derive(Clone, Copy, Debug)]
pub enum EndpointRef<'p> {
    Proxy(&'p ProxyEndpoint),
    Target(&'p TargetEndpoint),
    SharedFlow(&'p SharedFlow),
}

/// Where each numbered node sits, by id.
#[derive(Default)]
pub struct Index {
    endpoints: Vec<EndpointPlace>,
    flows: Vec<FlowPlace>,
    steps: Vec<StepPlace>,
    policies: Vec<PolicyPlace>,
    route_rules: Vec<RouteRulePlace>,
    conditions: Vec<ConditionOwner>,
}

/// Appends `place` and returns its position.
fn push<T>(table: &mut Vec<T>, place: T) -> u32 {
    table.push(place);
    table.len() as u32 - 1
}

impl Index {
    fn endpoint(&mut self, bundle: BundleId, kind: EndpointKind, index: usize) -> EndpointId {
        let index = index as u32;
        EndpointId(push(
            &mut self.endpoints,
            EndpointPlace {
                bundle,
                kind,
                index,
            },
        ))
    }

    fn condition(&mut self, condition: &mut Option<Condition>, owner: ConditionOwner) {
        if let Some(condition) = condition {
            condition.id = ConditionId(push(&mut self.conditions, owner));
        }
    }

    fn flows(&mut self, endpoint: EndpointId, flows: &mut Flows) {
        let Flows {
            pre_flow,
            conditional,
            post_flow,
            post_client_flow,
            fault_rules,
            default_fault_rule,
            // Names only: no Step of an EventFlow is numbered (see the field).
            event_flow_policies: _,
        } = flows;
        // In `Flows::all` order.
        let numbered = pre_flow
            .iter_mut()
            .map(|f| (FlowSlot::PreFlow, f))
            .chain(
                conditional
                    .iter_mut()
                    .enumerate()
                    .map(|(i, f)| (FlowSlot::Conditional(i as u32), f)),
            )
            .chain(post_flow.iter_mut().map(|f| (FlowSlot::PostFlow, f)))
            .chain(
                post_client_flow
                    .iter_mut()
                    .map(|f| (FlowSlot::PostClientFlow, f)),
            )
            .chain(
                fault_rules
                    .iter_mut()
                    .enumerate()
                    .map(|(i, f)| (FlowSlot::FaultRule(i as u32), f)),
            )
            .chain(
                default_fault_rule
                    .iter_mut()
                    .map(|f| (FlowSlot::DefaultFaultRule, f)),
            );
        for (slot, flow) in numbered {
            self.flow(endpoint, slot, flow);
        }
    }

    fn flow(&mut self, endpoint: EndpointId, slot: FlowSlot, flow: &mut Flow) {
        let id = FlowId(push(&mut self.flows, FlowPlace { endpoint, slot }));
        flow.id = id;
        self.condition(&mut flow.condition, ConditionOwner::Flow(id));
        for (response, steps) in [(false, &mut flow.request), (true, &mut flow.response)] {
            for (index, step) in steps.iter_mut().enumerate() {
                let place = StepPlace {
                    flow: id,
                    response,
                    index: index as u32,
                };
                step.id = StepId(push(&mut self.steps, place));
                self.condition(&mut step.condition, ConditionOwner::Step(step.id));
            }
        }
    }
}

impl Flows {
    pub fn get(&self, slot: FlowSlot) -> Option<&Flow> {
        match slot {
            FlowSlot::PreFlow => self.pre_flow.as_ref(),
            FlowSlot::Conditional(i) => self.conditional.get(i as usize),
            FlowSlot::PostFlow => self.post_flow.as_ref(),
            FlowSlot::PostClientFlow => self.post_client_flow.as_ref(),
            FlowSlot::FaultRule(i) => self.fault_rules.get(i as usize),
            FlowSlot::DefaultFaultRule => self.default_fault_rule.as_ref(),
            FlowSlot::SharedFlow => None,
        }
    }
}

const STALE: &str = "an id of this project names one of its nodes";

impl Project {
    /// Adds a bundle built by the loader, numbering its nodes.
    pub fn push_bundle(&mut self, mut bundle: Bundle) -> BundleId {
        let id = BundleId(self.bundles.len() as u32);
        bundle.id = id;
        let index = &mut self.index;
        for (i, policy) in bundle.policies.iter_mut().enumerate() {
            let place = PolicyPlace {
                bundle: id,
                index: i as u32,
            };
            policy.id = PolicyId(push(&mut index.policies, place));
        }
        for (i, endpoint) in bundle.proxy_endpoints.iter_mut().enumerate() {
            endpoint.id = index.endpoint(id, EndpointKind::Proxy, i);
            index.flows(endpoint.id, &mut endpoint.flows);
        }
        for (i, endpoint) in bundle.target_endpoints.iter_mut().enumerate() {
            endpoint.id = index.endpoint(id, EndpointKind::Target, i);
            index.flows(endpoint.id, &mut endpoint.flows);
        }
        for (i, shared) in bundle.shared_flows.iter_mut().enumerate() {
            shared.id = index.endpoint(id, EndpointKind::SharedFlow, i);
            index.flow(shared.id, FlowSlot::SharedFlow, &mut shared.steps);
        }
        for endpoint in &mut bundle.proxy_endpoints {
            for (i, rule) in endpoint.route_rules.iter_mut().enumerate() {
                let place = RouteRulePlace {
                    endpoint: endpoint.id,
                    index: i as u32,
                };
                rule.id = RouteRuleId(push(&mut index.route_rules, place));
                index.condition(&mut rule.condition, ConditionOwner::RouteRule(rule.id));
            }
        }
        self.bundles.push(bundle);
        id
    }

    pub fn endpoint_place(&self, id: EndpointId) -> EndpointPlace {
        self.index.endpoints[id.index()]
    }

    pub fn endpoint(&self, id: EndpointId) -> EndpointRef<'_> {
        let place = self.endpoint_place(id);
        let bundle = self.bundle(place.bundle);
        let i = place.index as usize;
        match place.kind {
            EndpointKind::Proxy => EndpointRef::Proxy(&bundle.proxy_endpoints[i]),
            EndpointKind::Target => EndpointRef::Target(&bundle.target_endpoints[i]),
            EndpointKind::SharedFlow => EndpointRef::SharedFlow(&bundle.shared_flows[i]),
        }
    }

    pub fn proxy_endpoint(&self, id: EndpointId) -> Option<&ProxyEndpoint> {
        match self.endpoint(id) {
            EndpointRef::Proxy(e) => Some(e),
            _ => None,
        }
    }

    pub fn target_endpoint(&self, id: EndpointId) -> Option<&TargetEndpoint> {
        match self.endpoint(id) {
            EndpointRef::Target(e) => Some(e),
            _ => None,
        }
    }

    pub fn flow_place(&self, id: FlowId) -> FlowPlace {
        self.index.flows[id.index()]
    }

    pub fn flow(&self, id: FlowId) -> &Flow {
        let place = self.flow_place(id);
        let flow = match self.endpoint(place.endpoint) {
            EndpointRef::Proxy(e) => e.flows.get(place.slot),
            EndpointRef::Target(e) => e.flows.get(place.slot),
            EndpointRef::SharedFlow(s) => Some(&s.steps),
        };
        flow.expect(STALE)
    }

    pub fn step_place(&self, id: StepId) -> StepPlace {
        self.index.steps[id.index()]
    }

    pub fn step(&self, id: StepId) -> &Step {
        let place = self.step_place(id);
        let flow = self.flow(place.flow);
        let steps = if place.response {
            &flow.response
        } else {
            &flow.request
        };
        &steps[place.index as usize]
    }

    pub fn policy_place(&self, id: PolicyId) -> PolicyPlace {
        self.index.policies[id.index()]
    }

    pub fn policy(&self, id: PolicyId) -> &Policy {
        let place = self.policy_place(id);
        &self.bundle(place.bundle).policies[place.index as usize]
    }

    pub fn route_rule_place(&self, id: RouteRuleId) -> RouteRulePlace {
        self.index.route_rules[id.index()]
    }

    pub fn route_rule(&self, id: RouteRuleId) -> &RouteRule {
        let place = self.route_rule_place(id);
        let endpoint = self.proxy_endpoint(place.endpoint).expect(STALE);
        &endpoint.route_rules[place.index as usize]
    }

    pub fn condition_owner(&self, id: ConditionId) -> ConditionOwner {
        self.index.conditions[id.index()]
    }

    pub fn condition(&self, id: ConditionId) -> &Condition {
        let condition = match self.condition_owner(id) {
            ConditionOwner::Flow(flow) => &self.flow(flow).condition,
            ConditionOwner::Step(step) => &self.step(step).condition,
            ConditionOwner::RouteRule(rule) => &self.route_rule(rule).condition,
        };
        condition.as_ref().expect(STALE)
    }

    /// The bundle whose files hold the endpoint.
    pub fn endpoint_bundle(&self, id: EndpointId) -> BundleId {
        self.endpoint_place(id).bundle
    }

    pub fn endpoint_ids(&self) -> impl Iterator<Item = EndpointId> {
        (0..self.index.endpoints.len() as u32).map(EndpointId)
    }

    pub fn flow_ids(&self) -> impl Iterator<Item = FlowId> {
        (0..self.index.flows.len() as u32).map(FlowId)
    }

    pub fn step_ids(&self) -> impl Iterator<Item = StepId> {
        (0..self.index.steps.len() as u32).map(StepId)
    }

    pub fn policy_ids(&self) -> impl Iterator<Item = PolicyId> {
        (0..self.index.policies.len() as u32).map(PolicyId)
    }

    pub fn route_rule_ids(&self) -> impl Iterator<Item = RouteRuleId> {
        (0..self.index.route_rules.len() as u32).map(RouteRuleId)
    }

    pub fn condition_ids(&self) -> impl Iterator<Item = ConditionId> {
        (0..self.index.conditions.len() as u32).map(ConditionId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::project_of;

    const STEP: &str = "<Step><Name>P</Name><Condition>a = 1</Condition></Step>";

    fn project() -> Project {
        let proxy = format!(
            "<ProxyEndpoint name=\"default\"><PreFlow><Request>{STEP}</Request><Response>{STEP}</Response></PreFlow><Flows><Flow name=\"f\"><Condition>b = 2</Condition><Request>{STEP}{STEP}</Request></Flow></Flows><FaultRules><FaultRule name=\"x\">{STEP}</FaultRule></FaultRules><RouteRule name=\"r\"><Condition>c = 3</Condition><TargetEndpoint>t</TargetEndpoint></RouteRule><RouteRule name=\"n\"/></ProxyEndpoint>"
        );
        let target = format!("<TargetEndpoint name=\"t\"><PostFlow><Response>{STEP}</Response></PostFlow></TargetEndpoint>");
        let shared = format!("<SharedFlow name=\"default\">{STEP}</SharedFlow>");
        project_of(&[
            ("a/apiproxy/proxies/default.xml", &proxy),
            ("a/apiproxy/targets/t.xml", &target),
            ("a/apiproxy/policies/P.xml", "<AssignMessage name=\"P\"/>"),
            ("a/apiproxy/policies/Q.xml", "<AssignMessage name=\"Q\"/>"),
            ("s/sharedflowbundle/sharedflows/default.xml", &shared),
            (
                "s/sharedflowbundle/policies/P.xml",
                "<AssignMessage name=\"P\"/>",
            ),
        ])
    }

    #[test]
    fn ids_are_dense_in_model_order_and_find_their_nodes() {
        let project = project();
        let mut steps = Vec::new();
        let mut flows = Vec::new();
        let mut endpoints = Vec::new();
        for bundle in &project.bundles {
            assert_eq!(project.bundle(bundle.id).dir, bundle.dir);
            flows.extend(bundle.all_flows().map(|f| f.id));
            steps.extend(bundle.all_steps().map(|s| s.id));
            endpoints.extend(bundle.proxy_endpoints.iter().map(|e| e.id));
            endpoints.extend(bundle.target_endpoints.iter().map(|e| e.id));
            endpoints.extend(bundle.shared_flows.iter().map(|e| e.id));
        }
        assert_eq!(steps, project.step_ids().collect::<Vec<_>>());
        assert_eq!(flows, project.flow_ids().collect::<Vec<_>>());
        assert_eq!(endpoints, project.endpoint_ids().collect::<Vec<_>>());
        assert_eq!((steps.len(), flows.len(), endpoints.len()), (7, 5, 3));
        for id in project.step_ids() {
            let step = project.step(id);
            assert_eq!(step.id, id);
            let flow = project.flow(project.step_place(id).flow);
            assert!(flow
                .request
                .iter()
                .chain(&flow.response)
                .any(|s| std::ptr::eq(s, step)));
        }
        for id in project.flow_ids() {
            assert_eq!(project.flow(id).id, id);
        }
        let response = project.step_place(steps[1]);
        assert!(response.response && response.index == 0);
        let fault = project.flow_place(flows[2]);
        assert_eq!(fault.slot, FlowSlot::FaultRule(0));
        let place = project.endpoint_place(endpoints[2]);
        assert_eq!(
            (place.bundle, place.kind),
            (BundleId(1), EndpointKind::SharedFlow)
        );
        assert!(project
            .target_endpoint(endpoints[1])
            .is_some_and(|t| t.name == "t"));
        assert!(project.proxy_endpoint(endpoints[1]).is_none());
        assert_eq!(project.endpoint_bundle(endpoints[2]), BundleId(1));
        let names: Vec<(u32, &str)> = project
            .policy_ids()
            .map(|id| {
                (
                    project.policy_place(id).bundle.0,
                    project.policy(id).name.as_str(),
                )
            })
            .collect();
        assert_eq!(names, [(0, "P"), (0, "Q"), (1, "P")]);
        let rules: Vec<&str> = project
            .route_rule_ids()
            .map(|id| project.route_rule(id).name.as_deref().unwrap())
            .collect();
        assert_eq!(rules, ["r", "n"]);
    }

    #[test]
    fn conditions_are_numbered_in_the_engines_order() {
        let project = project();
        // Per bundle, each flow's condition then its steps' (proxy PreFlow, Flow `f`, the fault
        // rule, the target's PostFlow), then the route rules'; then the shared flow's bundle.
        let owners: String = project
            .condition_ids()
            .map(|id| {
                assert_eq!(project.condition(id).id, id);
                match project.condition_owner(id) {
                    ConditionOwner::Flow(_) => 'F',
                    ConditionOwner::Step(_) => 'S',
                    ConditionOwner::RouteRule(_) => 'R',
                }
            })
            .collect();
        assert_eq!(owners, "SSFSSSSRS");
        let route = project.condition(ConditionId(7));
        assert_eq!(route.text, "c = 3");
    }
}
