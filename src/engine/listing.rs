//! The plan written out: for each ProxyEndpoint (and each shared flow no proxy calls), every step
//! its run may reach, in the plan's order, with FlowCallouts expanded inline as the interpreter
//! follows them. What "may B run after A?" and "which conditions are evaluated after A?" are
//! asked of, without evaluating conditions.

use super::order::{follow, Callout, EndpointPlan, FaultHandling, Phase, Plans, Segment};
use crate::model::{BundleId, ConditionId, EndpointId, Flow, FlowId, PolicyId, Step, StepId};

/// Where in the message's life a step runs, in execution order; fault stages come last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Stage {
    ProxyRequestPreFlow,
    ProxyRequestFlow,
    ProxyRequestPostFlow,
    TargetRequestPreFlow,
    TargetRequestFlow,
    TargetRequestPostFlow,
    TargetResponsePreFlow,
    TargetResponseFlow,
    TargetResponsePostFlow,
    ProxyResponsePreFlow,
    ProxyResponseFlow,
    ProxyResponsePostFlow,
    PostClientFlow,
    /// A shared flow no bundle of the project calls (a flow hook, or a caller elsewhere).
    SharedFlow,
    ProxyFault,
    TargetFault,
}

impl Stage {
    pub fn is_error_path(self) -> bool {
        matches!(self, Stage::ProxyFault | Stage::TargetFault)
    }

    /// Does a step of this stage run before the backend call of the listed endpoint's run, for
    /// a request that `target` (a TargetEndpoint; `None` for a URL route) serves?
    pub fn before_backend(
        self,
        step_target: Option<EndpointId>,
        target: Option<EndpointId>,
    ) -> bool {
        match self {
            Stage::ProxyRequestPreFlow | Stage::ProxyRequestFlow | Stage::ProxyRequestPostFlow => {
                true
            }
            Stage::TargetRequestPreFlow
            | Stage::TargetRequestFlow
            | Stage::TargetRequestPostFlow => target.is_some() && step_target == target,
            _ => false,
        }
    }

    /// Conditional-flow stages run at most one of their flows.
    fn is_first_match(self) -> bool {
        matches!(
            self,
            Stage::ProxyRequestFlow
                | Stage::TargetRequestFlow
                | Stage::TargetResponseFlow
                | Stage::ProxyResponseFlow
        )
    }

    /// The stages of a segment's PreFlow, conditional Flows and PostFlow.
    fn of_segment(segment: Segment, target: bool) -> [Stage; 3] {
        match (target, segment.phase) {
            (false, Phase::Request) => [
                Stage::ProxyRequestPreFlow,
                Stage::ProxyRequestFlow,
                Stage::ProxyRequestPostFlow,
            ],
            (true, Phase::Request) => [
                Stage::TargetRequestPreFlow,
                Stage::TargetRequestFlow,
                Stage::TargetRequestPostFlow,
            ],
            (true, Phase::Response) => [
                Stage::TargetResponsePreFlow,
                Stage::TargetResponseFlow,
                Stage::TargetResponsePostFlow,
            ],
            (false, Phase::Response) => [
                Stage::ProxyResponsePreFlow,
                Stage::ProxyResponseFlow,
                Stage::ProxyResponsePostFlow,
            ],
        }
    }
}

/// One step as it sits in a listing.
pub(crate) struct Placed {
    pub step: StepId,
    pub policy: Option<PolicyId>,
    pub stage: Stage,
    /// The endpoint flow the step runs in (for a shared-flow step, the flow of its FlowCallout:
    /// that flow decides first-match).
    pub flow: FlowId,
    /// The TargetEndpoint, for target-side stages.
    pub target: Option<EndpointId>,
    /// Conditions that must hold for the step to run: flow and step conditions along the way.
    pub guards: Vec<ConditionId>,
    /// A FlowCallout whose shared flow is not listed after it (outside the project, calling
    /// itself, nested too deep): what it runs is unknown.
    pub opaque_callout: bool,
}

impl Placed {
    /// True when the two steps can never run for the same request.
    fn excludes(&self, other: &Placed) -> bool {
        let different_targets = matches!((self.target, other.target), (Some(a), Some(b)) if a != b);
        let sibling_flows =
            self.stage == other.stage && self.stage.is_first_match() && self.flow != other.flow;
        different_targets || sibling_flows
    }
}

pub(crate) struct Listing {
    /// The ProxyEndpoint; `None` for a shared flow no bundle of the project calls.
    pub endpoint: Option<EndpointId>,
    pub steps: Vec<Placed>,
}

impl Listing {
    /// May the step at `later` run after the step at `earlier`, in the normal (non-error) path?
    pub fn may_follow(&self, earlier: usize, later: usize) -> bool {
        let (a, b) = (&self.steps[earlier], &self.steps[later]);
        later > earlier && !a.excludes(b) && !a.stage.is_error_path() && !b.stage.is_error_path()
    }
}

/// Every listing of a project, and where each policy sits in them.
pub(crate) struct Listings {
    pub all: Vec<Listing>,
    /// By PolicyId: (listing, step) positions, in listing order.
    by_policy: Vec<Vec<(u32, u32)>>,
}

impl Listings {
    pub fn new(plans: &Plans) -> Listings {
        let project = plans.project;
        let mut all = Vec::new();
        for plan in &plans.endpoints {
            let mut builder = Builder::new(plans, plan.bundle);
            builder.endpoint(plan);
            all.push(Listing {
                endpoint: Some(plan.endpoint.id),
                steps: builder.steps,
            });
        }
        for &bundle in &plans.uncalled {
            let mut builder = Builder::new(plans, bundle);
            for shared in &project.bundle(bundle).shared_flows {
                builder.flow(&shared.steps, Phase::Request, Stage::SharedFlow, None);
            }
            all.push(Listing {
                endpoint: None,
                steps: builder.steps,
            });
        }
        let mut by_policy = vec![Vec::new(); project.policy_ids().count()];
        for (l, listing) in all.iter().enumerate() {
            for (s, placed) in listing.steps.iter().enumerate() {
                if let Some(policy) = placed.policy {
                    by_policy[policy.index()].push((l as u32, s as u32));
                }
            }
        }
        Listings { all, by_policy }
    }

    /// The (listing, step) positions of a policy.
    pub fn of(&self, policy: PolicyId) -> &[(u32, u32)] {
        &self.by_policy[policy.index()]
    }
}

struct Builder<'a, 'p> {
    plans: &'a Plans<'p>,
    steps: Vec<Placed>,
    /// The bundles whose flows are being listed, outermost first.
    running: Vec<BundleId>,
    /// The endpoint flow, target and guards the steps being listed inherit.
    flow: FlowId,
    target: Option<EndpointId>,
    guards: Vec<ConditionId>,
}

impl<'a, 'p> Builder<'a, 'p> {
    fn new(plans: &'a Plans<'p>, bundle: BundleId) -> Self {
        Builder {
            plans,
            steps: Vec::new(),
            running: vec![bundle],
            flow: FlowId::default(),
            target: None,
            guards: Vec::new(),
        }
    }

    fn endpoint(&mut self, plan: &EndpointPlan<'p>) {
        self.segment(plan.request, None);
        for target in &plan.targets {
            self.segment(target.request, Some(target.endpoint.id));
            self.segment(target.response, Some(target.endpoint.id));
        }
        self.segment(plan.response, None);
        if let Some(flow) = plan.post_client_flow {
            self.flow(flow, Phase::Response, Stage::PostClientFlow, None);
        }
        self.faults(&plan.faults, Stage::ProxyFault, None);
        for target in &plan.targets {
            self.faults(&target.faults, Stage::TargetFault, Some(target.endpoint.id));
        }
    }

    fn segment(&mut self, segment: Segment<'p>, target: Option<EndpointId>) {
        let [pre, conditional, post] = Stage::of_segment(segment, target.is_some());
        let flows = segment.flows;
        if let Some(flow) = &flows.pre_flow {
            self.flow(flow, segment.phase, pre, target);
        }
        for flow in &flows.conditional {
            self.flow(flow, segment.phase, conditional, target);
        }
        if let Some(flow) = &flows.post_flow {
            self.flow(flow, segment.phase, post, target);
        }
    }

    fn faults(&mut self, faults: &FaultHandling<'p>, stage: Stage, target: Option<EndpointId>) {
        for &flow in faults.rules.iter().chain(&faults.default) {
            self.flow(flow, Phase::Request, stage, target);
        }
    }

    fn flow(&mut self, flow: &'p Flow, phase: Phase, stage: Stage, target: Option<EndpointId>) {
        self.flow = flow.id;
        self.target = target;
        self.guards = flow.condition.iter().map(|c| c.id).collect();
        for step in super::order::steps(flow, phase) {
            self.step(step, stage);
        }
    }

    fn step(&mut self, step: &'p Step, stage: Stage) {
        let policy = self.plans.policy(step);
        let depth = self.guards.len();
        self.guards.extend(step.condition.as_ref().map(|c| c.id));
        let callee = policy
            .filter(|p| p.enabled)
            .and_then(|p| self.plans.callout(p));
        let inline = match &callee {
            Some(Callout::Bundle(bundle, entry)) if follow(&self.running, *bundle).is_ok() => {
                Some((*bundle, *entry))
            }
            _ => None,
        };
        self.steps.push(Placed {
            step: step.id,
            policy: policy.map(|p| p.id),
            stage,
            flow: self.flow,
            target: self.target,
            guards: self.guards.clone(),
            opaque_callout: callee.is_some() && inline.is_none(),
        });
        if let Some((bundle, entry)) = inline {
            self.running.push(bundle);
            for inner in entry.iter().flat_map(|e| &e.steps.request) {
                self.step(inner, stage);
            }
            self.running.pop();
        }
        self.guards.truncate(depth);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::project_of;

    fn listed(files: &[(&str, &str)]) -> Vec<(String, Stage)> {
        let project = project_of(files);
        let plans = Plans::new(&project);
        let listings = Listings::new(&plans);
        listings.all[0]
            .steps
            .iter()
            .map(|p| (project.step(p.step).name.clone(), p.stage))
            .collect()
    }

    /// The listing follows the plan: ProxyEndpoint FaultRules bottom to top, as they run.
    #[test]
    fn fault_rule_steps_are_listed_in_evaluation_order() {
        let proxy = "<ProxyEndpoint name=\"default\"><FaultRules>\
            <FaultRule name=\"top\"><Step><Name>A</Name></Step></FaultRule>\
            <FaultRule name=\"bottom\"><Step><Name>B</Name></Step></FaultRule></FaultRules>\
            <DefaultFaultRule><Step><Name>C</Name></Step></DefaultFaultRule>\
            <RouteRule name=\"r\"/></ProxyEndpoint>";
        let names: Vec<String> = listed(&[("p/apiproxy/proxies/default.xml", proxy)])
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["B", "A", "C"]);
    }

    /// A shared flow that calls itself is listed once, as the interpreter runs it once.
    #[test]
    fn a_recursive_shared_flow_is_listed_once() {
        let proxy = "<ProxyEndpoint name=\"default\"><PreFlow><Request><Step><Name>FC</Name>\
            </Step></Request></PreFlow><RouteRule name=\"r\"/></ProxyEndpoint>";
        let callout =
            "<FlowCallout name=\"FC\"><SharedFlowBundle>loop</SharedFlowBundle></FlowCallout>";
        let shared = "<SharedFlow name=\"default\"><Step><Name>AM</Name></Step>\
            <Step><Name>FC</Name></Step></SharedFlow>";
        let steps = listed(&[
            ("p/apiproxy/proxies/default.xml", proxy),
            ("p/apiproxy/policies/FC.xml", callout),
            ("loop/sharedflowbundle/sharedflows/default.xml", shared),
            (
                "loop/sharedflowbundle/policies/AM.xml",
                "<AssignMessage name=\"AM\"/>",
            ),
            ("loop/sharedflowbundle/policies/FC.xml", callout),
        ]);
        let names: Vec<&str> = steps.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["FC", "AM", "FC"]);
        assert!(steps.iter().all(|(_, s)| *s == Stage::ProxyRequestPreFlow));
    }
}
