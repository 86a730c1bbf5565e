//! The driver: a rule says what it visits by the hooks it implements, and the driver walks the
//! project once, calling every running rule's hooks on each thing it meets. So no rule writes
//! its own traversal, and each is called in the model's order.

use super::{Declared, Options};
use crate::catalog::Profile;
use crate::diagnostic::Diagnostic;
use crate::engine::{Engine, ParsedCondition};
use crate::model::{
    Bundle, BundleId, Flow, Flows, Policy, Project, ProxyEndpoint, SharedFlow, Step, TargetEndpoint,
};
use std::any::Any;
use std::collections::BTreeSet;
use std::ops::Deref;

/// What a rule checks. Every hook does nothing unless the rule implements it.
pub trait Rule: Declared + Sync {
    /// Once per run, for what spans the run: load problems, suppression comments.
    fn check_project(&self, _cx: &Context, _out: &mut Vec<Diagnostic>) {}

    /// Once per project of the run (see [`Plan::projects`]), for facts that hold across its
    /// bundles ([`Context::bundles`]): "does anything in the project refresh these tokens?".
    fn check_project_wide(&self, _cx: &Context, _out: &mut Vec<Diagnostic>) {}

    fn check_bundle(&self, _cx: &Context, _bundle: BundleRef, _out: &mut Vec<Diagnostic>) {}

    fn check_proxy_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        _endpoint: &ProxyEndpoint,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        _endpoint: &TargetEndpoint,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    fn check_shared_flow(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        _shared: &SharedFlow,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// Each flow of an endpoint or shared flow (PreFlow, conditional flows, PostFlow,
    /// PostClientFlow, fault rules, DefaultFaultRule, a shared flow's steps), with where it is.
    fn check_flow(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        _flow: &Flow,
        _site: &FlowSite,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// Each Step of each flow, request steps before response steps.
    fn check_step(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        _step: &Step,
        _site: &StepSite,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// Each policy of a kind the rule's `policy_kinds` names (of every kind without it).
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        _policy: &Policy,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// The names of the policies this rule's options say check the caller; the engine records
    /// their having run as it records a VerifyAPIKey's ([`Plan::declared_caller_checks`]).
    fn declared_caller_checks(&self, _options: &(dyn Any + Send + Sync)) -> Vec<String> {
        Vec::new()
    }

    /// Each `<Condition>` of the project (of flows, steps and route rules), parsed once by the
    /// engine.
    fn check_condition(
        &self,
        _cx: &Context,
        _condition: &ParsedCondition,
        _out: &mut Vec<Diagnostic>,
    ) {
    }
}

/// What a rule's hooks can read: the project, the engine's answers about it, the platform, and
/// the rule's options.
pub struct Context<'a> {
    pub project: &'a Project,
    pub engine: &'a Engine<'a>,
    /// The Apigee platform the bundles deploy to, when the configuration or `--profile` says.
    pub profile: Option<Profile>,
    /// In `check_project_wide`, the bundles of the project checked; elsewhere, every bundle.
    project_bundles: &'a [BundleId],
    options: &'a (dyn Any + Send + Sync),
}

impl<'a> Context<'a> {
    /// The bundles of the project a project-wide check is about: one run may hold several
    /// (`projects` in the configuration).
    pub fn bundles(&self) -> impl Iterator<Item = &'a Bundle> + '_ {
        let project = self.project;
        self.project_bundles
            .iter()
            .map(move |&id| project.bundle(id))
    }

    /// The policies of [`Context::bundles`].
    pub fn policies(&self) -> impl Iterator<Item = &'a Policy> + '_ {
        self.bundles().flat_map(|b| &b.policies)
    }

    /// The rule's options; `declare_rule!`'s `Self::options(cx)` names the type.
    pub fn options<T: Any>(&self) -> &T {
        self.options
            .downcast_ref()
            .expect("a rule reads the options type it declares")
    }
}

/// What the rules run with: the platform, and the rules that run, each with its options.
pub struct Plan<'r> {
    pub profile: Option<Profile>,
    /// The run's bundles split into the projects project-wide checks run on; every bundle is
    /// in one. Empty: one project of every bundle.
    pub projects: Vec<Vec<BundleId>>,
    pub rules: Vec<(&'r dyn Rule, Options)>,
}

impl Plan<'_> {
    /// The policies the running rules' options say check the caller, for the engine
    /// ([`Engine::with_declared_checks`]).
    pub fn declared_caller_checks(&self) -> BTreeSet<String> {
        self.rules
            .iter()
            .flat_map(|(rule, options)| rule.declared_caller_checks(&**options))
            .collect()
    }
}

/// A bundle as the hooks see it: the model (through `Deref`), and its id for questions to the
/// engine.
#[derive(Clone, Copy)]
pub struct BundleRef<'p> {
    pub id: BundleId,
    pub model: &'p Bundle,
}

impl Deref for BundleRef<'_> {
    type Target = Bundle;

    fn deref(&self) -> &Bundle {
        self.model
    }
}

/// What holds a flow.
#[derive(Clone, Copy)]
pub enum FlowOwner<'p> {
    ProxyEndpoint(&'p ProxyEndpoint),
    TargetEndpoint(&'p TargetEndpoint),
    SharedFlow(&'p SharedFlow),
}

/// Where a flow is.
pub struct FlowSite<'p> {
    pub owner: FlowOwner<'p>,
    /// The flows of its kind in its owner, in order (the conditional flows, the fault rules, or
    /// the one PreFlow), and its position among them.
    pub siblings: &'p [Flow],
    pub index: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Request,
    Response,
}

/// Where a Step is.
pub struct StepSite<'p> {
    pub flow: &'p Flow,
    pub owner: FlowOwner<'p>,
    /// Whether it is attached to the flow's request or its response.
    pub phase: Phase,
}

/// Runs the plan's rules over the project: the project hooks, then each bundle's endpoints
/// (their flows and steps), shared flows and policies, then every condition. The bundles are
/// shared among `threads` threads; the findings come in the same order whatever their number.
pub fn run(project: &Project, engine: &Engine, plan: &Plan, threads: usize) -> Vec<Diagnostic> {
    let all: Vec<BundleId> = project.bundle_ids().collect();
    let rules: Vec<(&dyn Rule, Context)> = plan
        .rules
        .iter()
        .map(|(rule, options)| {
            let cx = Context {
                project,
                engine,
                profile: plan.profile,
                project_bundles: &all,
                options: &**options,
            };
            (*rule, cx)
        })
        .collect();
    let projects = match plan.projects.as_slice() {
        [] => std::slice::from_ref(&all),
        projects => projects,
    };
    // The project hooks, each bundle and the conditions (in slices) are shared among the
    // threads as one list of jobs, their findings kept in the list's order.
    let conditions = engine.conditions();
    let slice = conditions.len().div_ceil(threads.max(1) * 4).max(1);
    let jobs = std::iter::once(Job::Project)
        .chain(project.bundle_ids().map(Job::Bundle))
        .chain(conditions.chunks(slice).map(Job::Conditions))
        .collect();
    let found = crate::threads::map(threads, jobs, |job| {
        let mut out = Vec::new();
        match job {
            Job::Project => {
                for (rule, cx) in &rules {
                    rule.check_project(cx, &mut out);
                }
                for bundles in projects {
                    for (rule, cx) in &rules {
                        let cx = Context {
                            project_bundles: bundles,
                            ..*cx
                        };
                        rule.check_project_wide(&cx, &mut out);
                    }
                }
            }
            Job::Bundle(id) => Walk {
                rules: &rules,
                bundle: BundleRef {
                    id,
                    model: project.bundle(id),
                },
                out: &mut out,
            }
            .bundle(),
            Job::Conditions(conditions) => {
                for condition in conditions {
                    for (rule, cx) in &rules {
                        rule.check_condition(cx, condition, &mut out);
                    }
                }
            }
        }
        out
    });
    found.into_iter().flatten().collect()
}

/// A share of [`run`]'s work.
enum Job<'e, 'p> {
    Project,
    Bundle(BundleId),
    Conditions(&'e [crate::engine::ParsedCondition<'p>]),
}

/// The walk through one bundle.
struct Walk<'w, 'p> {
    rules: &'w [(&'w dyn Rule, Context<'p>)],
    bundle: BundleRef<'p>,
    out: &'w mut Vec<Diagnostic>,
}

impl<'p> Walk<'_, 'p> {
    fn bundle(&mut self) {
        let bundle = self.bundle;
        for (rule, cx) in self.rules {
            rule.check_bundle(cx, bundle, self.out);
        }
        for endpoint in &bundle.model.proxy_endpoints {
            for (rule, cx) in self.rules {
                rule.check_proxy_endpoint(cx, bundle, endpoint, self.out);
            }
            self.flows(FlowOwner::ProxyEndpoint(endpoint), &endpoint.flows);
        }
        for endpoint in &bundle.model.target_endpoints {
            for (rule, cx) in self.rules {
                rule.check_target_endpoint(cx, bundle, endpoint, self.out);
            }
            self.flows(FlowOwner::TargetEndpoint(endpoint), &endpoint.flows);
        }
        for shared in &bundle.model.shared_flows {
            for (rule, cx) in self.rules {
                rule.check_shared_flow(cx, bundle, shared, self.out);
            }
            self.flow_group(
                FlowOwner::SharedFlow(shared),
                std::slice::from_ref(&shared.steps),
            );
        }
        for policy in &bundle.model.policies {
            for (rule, cx) in self.rules {
                if rule.meta().visits_policy_kind(&policy.kind) {
                    rule.check_policy(cx, bundle, policy, self.out);
                }
            }
        }
    }

    /// An endpoint's flows, in the order of [`Flows::all`].
    fn flows(&mut self, owner: FlowOwner<'p>, flows: &'p Flows) {
        for group in [
            flows.pre_flow.as_slice(),
            &flows.conditional,
            flows.post_flow.as_slice(),
            flows.post_client_flow.as_slice(),
            &flows.fault_rules,
            flows.default_fault_rule.as_slice(),
        ] {
            self.flow_group(owner, group);
        }
    }

    fn flow_group(&mut self, owner: FlowOwner<'p>, siblings: &'p [Flow]) {
        let bundle = self.bundle;
        for (index, flow) in siblings.iter().enumerate() {
            let site = FlowSite {
                owner,
                siblings,
                index,
            };
            for (rule, cx) in self.rules {
                rule.check_flow(cx, bundle, flow, &site, self.out);
            }
            let phases = [
                (Phase::Request, &flow.request),
                (Phase::Response, &flow.response),
            ];
            for (phase, steps) in phases {
                let site = StepSite { flow, owner, phase };
                for step in steps {
                    for (rule, cx) in self.rules {
                        rule.check_step(cx, bundle, step, &site, self.out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FlowKind;
    use crate::parse::load::load_memory;
    use crate::rules::{Category, RuleMeta};
    use crate::source::Span;
    use std::sync::Mutex;

    /// Records the spans of what the driver gives it, by hook.
    #[derive(Default)]
    struct Recorder {
        flows: Mutex<Vec<(Span, FlowKind, usize)>>,
        steps: Mutex<Vec<(Span, Phase)>>,
        policies: Mutex<Vec<String>>,
    }

    const RECORDER: RuleMeta = RuleMeta {
        name: "recorder",
        category: Category::Flow,
        level: crate::diagnostic::Level::Info,
        edge_level: None,
        preview: false,
        apigeelint: &[],
        policy_kinds: Some(&[crate::catalog::PolicyKind::OAuthV2]),
        options: crate::rules::OptionsType::of::<crate::rules::NoOptions>(),
        page: "# recorder\n",
    };

    impl Declared for Recorder {
        fn meta(&self) -> &'static RuleMeta {
            &RECORDER
        }
    }

    impl Rule for Recorder {
        fn check_flow(
            &self,
            _: &Context,
            _: BundleRef,
            flow: &Flow,
            site: &FlowSite,
            _: &mut Vec<Diagnostic>,
        ) {
            assert!(std::ptr::eq(&site.siblings[site.index], flow));
            self.flows
                .lock()
                .unwrap()
                .push((flow.span, flow.kind, site.index));
        }

        fn check_step(
            &self,
            _: &Context,
            _: BundleRef,
            step: &Step,
            site: &StepSite,
            _: &mut Vec<Diagnostic>,
        ) {
            let attached = match site.phase {
                Phase::Request => &site.flow.request,
                Phase::Response => &site.flow.response,
            };
            assert!(attached.iter().any(|s| std::ptr::eq(s, step)));
            self.steps
                .lock()
                .unwrap()
                .push((step.name_span, site.phase));
        }

        fn check_policy(
            &self,
            _: &Context,
            _: BundleRef,
            policy: &Policy,
            _: &mut Vec<Diagnostic>,
        ) {
            self.policies.lock().unwrap().push(policy.name.clone());
        }
    }

    fn file(path: &str, text: &str) -> crate::parse::load::MemoryFile {
        (path.to_owned(), Ok(text.as_bytes().to_vec()))
    }

    #[test]
    fn every_flow_and_step_is_visited_once_in_model_order_and_policies_by_kind() {
        let steps = "<Request><Step><Name>A</Name></Step></Request><Response><Step><Name>B</Name></Step></Response>";
        let project = load_memory(vec![
            file("p/apiproxy/p.xml", "<APIProxy name=\"p\"/>"),
            file(
                "p/apiproxy/proxies/default.xml",
                &format!(
                    "<ProxyEndpoint name=\"default\"><PreFlow>{steps}</PreFlow><Flows>\
                     <Flow name=\"one\"><Condition>a = \"1\"</Condition>{steps}</Flow>\
                     <Flow name=\"two\">{steps}</Flow></Flows><PostFlow>{steps}</PostFlow>\
                     <FaultRules><FaultRule name=\"f\"><Step><Name>A</Name></Step></FaultRule></FaultRules>\
                     <RouteRule name=\"r\"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"
                ),
            ),
            file(
                "p/apiproxy/targets/default.xml",
                &format!("<TargetEndpoint name=\"default\"><PreFlow>{steps}</PreFlow></TargetEndpoint>"),
            ),
            file("p/apiproxy/policies/A.xml", "<OAuthV2 name=\"A\"/>"),
            file("p/apiproxy/policies/B.xml", "<AssignMessage name=\"B\"/>"),
            file("s/sharedflowbundle/s.xml", "<SharedFlowBundle name=\"s\"/>"),
            file("s/sharedflowbundle/sharedflows/default.xml", "<SharedFlow name=\"default\"><Step><Name>C</Name></Step></SharedFlow>"),
            file("s/sharedflowbundle/policies/C.xml", "<OAuthV2 name=\"C\"/>"),
        ]);
        let engine = Engine::new(&project);
        let recorder = Recorder::default();
        let plan = Plan {
            profile: None,
            projects: Vec::new(),
            rules: vec![(
                &recorder as &dyn Rule,
                RECORDER.options.build(toml::Table::new()).unwrap(),
            )],
        };
        run(&project, &engine, &plan, 1);

        let flows: Vec<Flow> = project
            .bundles
            .iter()
            .flat_map(|b| b.all_flows().cloned())
            .collect();
        let visited = recorder.flows.into_inner().unwrap();
        let spans: Vec<Span> = visited.iter().map(|&(span, _, _)| span).collect();
        assert_eq!(spans, flows.iter().map(|f| f.span).collect::<Vec<_>>());
        let conditional: Vec<usize> = visited
            .iter()
            .filter(|(_, kind, _)| *kind == FlowKind::Conditional)
            .map(|&(_, _, index)| index)
            .collect();
        assert_eq!(conditional, [0, 1]);

        let all_steps: Vec<Span> = project
            .bundles
            .iter()
            .flat_map(|b| b.all_steps().map(|s| s.name_span))
            .collect();
        let steps = recorder.steps.into_inner().unwrap();
        assert_eq!(
            steps.iter().map(|&(span, _)| span).collect::<Vec<_>>(),
            all_steps
        );
        assert_eq!(
            steps
                .iter()
                .filter(|(_, phase)| *phase == Phase::Response)
                .count(),
            5
        );

        assert_eq!(recorder.policies.into_inner().unwrap(), ["A", "C"]);
    }
}
