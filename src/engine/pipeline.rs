//! The static pipeline: for each ProxyEndpoint, every step that can run for one request, in
//! Apigee's execution order (apigee-oauth-reference.md §4.2), with FlowCallouts expanded inline.
//!
//! A [`Program`] is what the interpreter walks; here it also answers structural questions
//! (which steps may run after which) without evaluating conditions.

use crate::model::{
    Bundle, BundleId, BundleKind, Condition, Flow, Flows, Policy, Project, ProxyEndpoint, Step,
};

/// Where in the message's life a step runs, in execution order; fault stages come last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
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
}

/// A policy together with the bundle that defines it (shared flows bring their own).
#[derive(Clone, Copy, Debug)]
pub struct PolicyRef<'p> {
    pub bundle: BundleId,
    pub policy: &'p Policy,
}

/// One step as it sits in a program.
#[derive(Clone, Debug)]
pub struct Placed<'p> {
    pub step: &'p Step,
    /// The bundle whose files hold the step.
    pub bundle: BundleId,
    pub policy: Option<PolicyRef<'p>>,
    pub stage: Stage,
    /// The endpoint flow the step runs in (for a shared-flow step, the flow of its FlowCallout).
    pub flow: &'p Flow,
    /// Index of the target endpoint for target-side stages.
    pub target: Option<usize>,
    /// The FlowCallout steps this step was reached through, outermost first.
    pub callouts: Vec<&'p Step>,
    /// Conditions that must hold for the step to run: flow and step conditions along the way.
    pub guards: Vec<&'p Condition>,
}

pub struct Program<'p> {
    pub bundle: BundleId,
    /// `None` for a shared flow that no bundle of the project calls.
    pub endpoint: Option<&'p ProxyEndpoint>,
    pub steps: Vec<Placed<'p>>,
}

impl Placed<'_> {
    /// True when the two steps can never run for the same request.
    pub fn excludes(&self, other: &Placed) -> bool {
        let different_targets = matches!((self.target, other.target), (Some(a), Some(b)) if a != b);
        let sibling_flows = self.stage == other.stage
            && self.stage.is_first_match()
            && !std::ptr::eq(self.flow, other.flow);
        different_targets || sibling_flows
    }
}

impl Program<'_> {
    /// May the step at `later` run after the step at `earlier`, in the normal (non-error) path?
    pub fn may_follow(&self, earlier: usize, later: usize) -> bool {
        let (a, b) = (&self.steps[earlier], &self.steps[later]);
        later > earlier && !a.excludes(b) && !a.stage.is_error_path() && !b.stage.is_error_path()
    }
}

/// Deeper FlowCallout chains than this are not expanded (Apigee itself limits nesting).
const MAX_CALLOUT_DEPTH: usize = 16;

pub fn programs(project: &Project) -> Vec<Program<'_>> {
    let mut programs = Vec::new();
    let mut called = vec![false; project.bundles.len()];
    for id in project.bundle_ids() {
        let bundle = project.bundle(id);
        for endpoint in &bundle.proxy_endpoints {
            let mut builder = Builder {
                project,
                steps: Vec::new(),
                called: &mut called,
            };
            builder.endpoint(id, bundle, endpoint);
            programs.push(Program {
                bundle: id,
                endpoint: Some(endpoint),
                steps: builder.steps,
            });
        }
    }
    for id in project.bundle_ids() {
        let bundle = project.bundle(id);
        if bundle.kind != BundleKind::SharedFlow || called[id.0 as usize] {
            continue;
        }
        let mut builder = Builder {
            project,
            steps: Vec::new(),
            called: &mut called,
        };
        for shared in &bundle.shared_flows {
            builder.flow(
                id,
                &shared.steps,
                Stage::SharedFlow,
                None,
                &Context::default(),
                false,
            );
        }
        programs.push(Program {
            bundle: id,
            endpoint: None,
            steps: builder.steps,
        });
    }
    programs
}

/// What the steps being placed inherit from where they are reached.
#[derive(Clone, Default)]
struct Context<'p> {
    callouts: Vec<&'p Step>,
    guards: Vec<&'p Condition>,
    chain: Vec<BundleId>,
}

struct Builder<'p, 'c> {
    project: &'p Project,
    steps: Vec<Placed<'p>>,
    called: &'c mut Vec<bool>,
}

impl<'p> Builder<'p, '_> {
    fn endpoint(&mut self, id: BundleId, bundle: &'p Bundle, endpoint: &'p ProxyEndpoint) {
        let root = Context {
            chain: vec![id],
            ..Context::default()
        };
        let proxy = &endpoint.flows;
        self.segment(id, proxy, Stage::ProxyRequestPreFlow, None, &root, false);
        let targets = routable_targets(bundle, endpoint);
        for &t in &targets {
            let flows = &bundle.target_endpoints[t].flows;
            self.segment(
                id,
                flows,
                Stage::TargetRequestPreFlow,
                Some(t),
                &root,
                false,
            );
            self.segment(
                id,
                flows,
                Stage::TargetResponsePreFlow,
                Some(t),
                &root,
                true,
            );
        }
        self.segment(id, proxy, Stage::ProxyResponsePreFlow, None, &root, true);
        if let Some(flow) = &proxy.post_client_flow {
            self.flow(id, flow, Stage::PostClientFlow, None, &root, true);
        }
        for flow in proxy.fault_rules.iter().chain(&proxy.default_fault_rule) {
            self.flow(id, flow, Stage::ProxyFault, None, &root, false);
        }
        for &t in &targets {
            let flows = &bundle.target_endpoints[t].flows;
            for flow in flows.fault_rules.iter().chain(&flows.default_fault_rule) {
                self.flow(id, flow, Stage::TargetFault, Some(t), &root, false);
            }
        }
    }

    /// PreFlow, conditional Flows and PostFlow of one endpoint in one direction; `pre` is the
    /// PreFlow stage and the next two stages are the Flows and PostFlow.
    fn segment(
        &mut self,
        id: BundleId,
        flows: &'p Flows,
        pre: Stage,
        target: Option<usize>,
        cx: &Context<'p>,
        response: bool,
    ) {
        let [flow_stage, post_stage] = match pre {
            Stage::ProxyRequestPreFlow => [Stage::ProxyRequestFlow, Stage::ProxyRequestPostFlow],
            Stage::TargetRequestPreFlow => [Stage::TargetRequestFlow, Stage::TargetRequestPostFlow],
            Stage::TargetResponsePreFlow => {
                [Stage::TargetResponseFlow, Stage::TargetResponsePostFlow]
            }
            _ => [Stage::ProxyResponseFlow, Stage::ProxyResponsePostFlow],
        };
        if let Some(flow) = &flows.pre_flow {
            self.flow(id, flow, pre, target, cx, response);
        }
        for flow in &flows.conditional {
            self.flow(id, flow, flow_stage, target, cx, response);
        }
        if let Some(flow) = &flows.post_flow {
            self.flow(id, flow, post_stage, target, cx, response);
        }
    }

    fn flow(
        &mut self,
        id: BundleId,
        flow: &'p Flow,
        stage: Stage,
        target: Option<usize>,
        cx: &Context<'p>,
        response: bool,
    ) {
        let mut inner = cx.clone();
        inner.guards.extend(&flow.condition);
        let steps = if response {
            &flow.response
        } else {
            &flow.request
        };
        for step in steps {
            self.step(id, flow, step, stage, target, &inner);
        }
    }

    fn step(
        &mut self,
        id: BundleId,
        flow: &'p Flow,
        step: &'p Step,
        stage: Stage,
        target: Option<usize>,
        cx: &Context<'p>,
    ) {
        let bundle = self.project.bundle(id);
        let policy = bundle
            .policy(&step.name)
            .map(|policy| PolicyRef { bundle: id, policy });
        let mut guards = cx.guards.clone();
        guards.extend(&step.condition);
        self.steps.push(Placed {
            step,
            bundle: id,
            policy,
            stage,
            flow,
            target,
            callouts: cx.callouts.clone(),
            guards: guards.clone(),
        });
        let Some(callee) = policy.and_then(|p| shared_flow_called(self.project, p.policy)) else {
            return;
        };
        self.called[callee.0 as usize] = true;
        if cx.chain.contains(&callee) || cx.chain.len() > MAX_CALLOUT_DEPTH {
            return;
        }
        let mut inner = Context {
            callouts: cx.callouts.clone(),
            guards,
            chain: cx.chain.clone(),
        };
        inner.callouts.push(step);
        inner.chain.push(callee);
        let shared = self.project.bundle(callee);
        let entry = shared
            .shared_flows
            .iter()
            .find(|s| s.name == "default")
            .or(shared.shared_flows.first());
        if let Some(entry) = entry {
            // Shared-flow steps belong to the caller's flow: that flow decides first-match.
            for inner_step in &entry.steps.request {
                self.step(callee, flow, inner_step, stage, target, &inner);
            }
        }
    }
}

/// The shared flow bundle an enabled FlowCallout runs, when the project has it.
pub fn shared_flow_called(project: &Project, policy: &Policy) -> Option<BundleId> {
    let name = &policy.flow_callout()?.shared_flow_bundle.as_ref()?.value;
    if !policy.enabled {
        return None;
    }
    project.bundle_ids().find(|&b| {
        let bundle = project.bundle(b);
        bundle.kind == BundleKind::SharedFlow && &bundle.name == name
    })
}

/// Target endpoints a proxy endpoint's RouteRules name, in the bundle's order.
fn routable_targets(bundle: &Bundle, endpoint: &ProxyEndpoint) -> Vec<usize> {
    let named: Vec<&str> = endpoint
        .route_rules
        .iter()
        .filter_map(|r| r.target_endpoint.as_ref().map(|t| t.value.as_str()))
        .collect();
    bundle
        .target_endpoints
        .iter()
        .enumerate()
        .filter(|(_, t)| named.contains(&t.name.as_str()))
        .map(|(i, _)| i)
        .collect()
}
