//! Reachability for rules: every ProxyEndpoint run symbolically over its request classes, and
//! every shared flow no proxy of the project calls run on its own.

use super::condition::Expr;
use super::inputs::Samples;
use super::interp::Interp;
use super::state::{State, World};
use super::visits::{Unreached, Visits};
use super::Engine;
use crate::model::{BundleId, BundleKind, Flow, FlowKind, Step};

pub fn analyse(engine: &Engine) -> Visits {
    let project = engine.project;
    let endpoints: Vec<usize> = (0..engine.programs.len())
        .filter(|&p| engine.programs[p].endpoint.is_some())
        .collect();
    // Endpoints are independent: share them among the cores, then merge in program order so
    // that the result does not depend on the threads.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(endpoints.len())
        .max(1);
    let mut results: Vec<(usize, Visits)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine: Vec<usize> = endpoints.iter().copied().skip(w).step_by(workers).collect();
                scope.spawn(move || {
                    mine.into_iter()
                        .map(|p| (p, analyse_endpoint(engine, p)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an analysis thread panicked"))
            .collect()
    });
    results.sort_by_key(|(p, _)| *p);
    let mut visits = Visits::default();
    for (_, v) in results {
        visits.absorb(v);
    }
    // Shared flows no proxy of the project calls run on their own, with every input unknown.
    let called: Vec<BundleId> = engine
        .programs
        .iter()
        .filter(|p| p.endpoint.is_some())
        .flat_map(|p| {
            p.steps
                .iter()
                .map(|s| s.bundle)
                .filter(move |b| *b != p.bundle)
        })
        .collect();
    let nothing = Samples::default();
    for id in project.bundle_ids() {
        let bundle = project.bundle(id);
        if bundle.kind != BundleKind::SharedFlow || called.contains(&id) {
            continue;
        }
        for shared in &bundle.shared_flows {
            let mut state = State::new(World::Symbolic(&nothing));
            state.opaque = true;
            let mut interp = Interp::symbolic(engine, &nothing);
            interp.shared_flow(id, shared, state);
            interp.visits.approximated_from(shared);
            visits.absorb(interp.visits);
        }
    }
    visits
}

/// The symbolic run of the ProxyEndpoint of program `p`, over the request classes its
/// conditions (and those of the shared flows it calls) tell apart.
fn analyse_endpoint(engine: &Engine, p: usize) -> Visits {
    let program = &engine.programs[p];
    let endpoint = program.endpoint.expect("an endpoint's program");
    let mut bundles: Vec<BundleId> = program.steps.iter().map(|s| s.bundle).collect();
    bundles.push(program.bundle);
    bundles.sort();
    bundles.dedup();
    let conditions: Vec<&Expr> = engine
        .conditions()
        .iter()
        .filter(|c| bundles.contains(&c.bundle))
        .filter_map(|c| c.parsed.as_ref().ok().and_then(Option::as_ref))
        .collect();
    let samples = Samples::collect(
        conditions,
        endpoint.base_path.as_ref().map(|b| b.value.as_str()),
    );
    let mut state = State::new(World::Symbolic(&samples));
    // An environment flow hook may run first and set any variable (reference §4.4).
    state.opaque = true;
    // A templated base path (`{{ BASE }}`) is filled in at deploy time: leave it unknown.
    if let Some(base) = endpoint
        .base_path
        .as_ref()
        .filter(|b| !b.value.contains("{{"))
    {
        state.set_text("proxy.basepath", base.value.clone());
    }
    let mut interp = Interp::symbolic(engine, &samples);
    interp.proxy(program.bundle, endpoint, state, 0);
    interp.visits.approximated_from(endpoint);
    interp.visits
}

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

/// Why no request runs the conditional flow at `index` of `flows`, if none does.
pub fn flow_never_runs<'p>(
    visits: &Visits,
    flows: &'p [Flow],
    index: usize,
) -> Option<NeverRuns<'p>> {
    let flow = &flows[index];
    if visits.was_entered(flow) {
        return None;
    }
    Some(match visits.flow(flow)?.unreached? {
        Unreached::ShadowedBy(i) => NeverRuns::Shadowed {
            flow,
            by: flows.get(i),
        },
        Unreached::ShadowedByEarlierFlows => NeverRuns::Shadowed { flow, by: None },
        Unreached::NeverHolds { full_path } => {
            NeverRuns::FlowConditionNeverHolds { flow, full_path }
        }
        Unreached::NoRequestArrives => NeverRuns::NoRequestArrives { flow },
    })
}

/// Why no request runs this step of the bundle, if none does. A step whose policy is missing or
/// disabled is not a matter of reachability: `None`; nor is a step that names no policy (a
/// structure problem, reported as such).
pub fn step_never_runs<'p>(
    engine: &Engine<'p>,
    bundle: BundleId,
    step: &'p Step,
) -> Option<NeverRuns<'p>> {
    if step.name.is_empty() {
        return None;
    }
    let visits = engine.visits();
    let visit = visits.step(step);
    if visit.is_some_and(|v| v.condition_held) {
        return None;
    }
    let b = engine.project.bundle(bundle);
    let flow = b.all_flows().find(|f| {
        f.request
            .iter()
            .chain(&f.response)
            .any(|s| std::ptr::eq(s, step))
    })?;
    if !visits.was_entered(flow) {
        if flow.kind == FlowKind::Conditional {
            let siblings = b
                .proxy_endpoints
                .iter()
                .map(|e| &e.flows)
                .chain(b.target_endpoints.iter().map(|e| &e.flows))
                .map(|f| f.conditional.as_slice())
                .find(|list| list.iter().any(|f| std::ptr::eq(f, flow)))?;
            let index = siblings.iter().position(|f| std::ptr::eq(f, flow))?;
            if let Some(why) = flow_never_runs(visits, siblings, index) {
                return Some(why);
            }
        }
        return Some(NeverRuns::FlowNotReached { flow });
    }
    let steps = if flow.request.iter().any(|s| std::ptr::eq(s, step)) {
        &flow.request
    } else {
        &flow.response
    };
    match visit {
        Some(v) if v.arrived => Some(NeverRuns::StepConditionNeverHolds),
        _ => steps
            .iter()
            .find(|earlier| visits.is_blocker(step, earlier))
            .map(|blocker| NeverRuns::AfterFault { blocker }),
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::model::BundleId;
    use crate::parse::load::load_memory;

    fn project(proxy: &str) -> crate::model::Project {
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
        ])
    }

    fn verifies(p: &crate::model::Policy) -> bool {
        p.operation() == Some(crate::catalog::OAuthOperation::VerifyAccessToken)
    }

    #[test]
    fn a_conditional_verification_leaves_a_way_to_the_target() {
        let p = project(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request><Step><Name>Verify</Name><Condition>request.header.Authorization != null</Condition></Step></Request></PreFlow>
            <RouteRule name="r"><TargetEndpoint>default</TargetEndpoint></RouteRule></ProxyEndpoint>"#,
        );
        let engine = Engine::new(&p);
        let target = &p.bundle(BundleId(0)).target_endpoints[0];
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
        let target = &p.bundle(BundleId(0)).target_endpoints[0];
        assert_eq!(engine.reaches_target_without(target, verifies), None);
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
            engine.classes_running(BundleId(0), "Verify"),
            ["request.verb = \"POST\" and request.header.x-mode = \"audit\""]
        );
        // Classes are described for policies that guard requests only.
        assert!(engine.classes_running(BundleId(0), "Log").is_empty());
    }
}
