//! The symbolic analysis: every ProxyEndpoint's plan run over the request classes its conditions
//! tell apart, and every shared flow no proxy of the project calls run on its own.

use super::condition::{Expr, OperandKind};
use super::inputs::{Input, Samples};
use super::interp::Interp;
use super::order::EndpointPlan;
use super::state::{State, World};
use super::symbolic::Symbolic;
use super::visits::{Run, Visits};
use super::Engine;
use crate::model::ConditionId;
use std::collections::BTreeSet;

pub(crate) fn analyse(engine: &Engine) -> Visits {
    let project = engine.project;
    let plans = &engine.plans.endpoints;
    // Endpoints are independent: share them among the threads, merged in model order so that
    // the result does not depend on the threads.
    let indices: Vec<usize> = (0..plans.len()).collect();
    let runs = crate::threads::map(engine.threads, indices, |p| {
        (p, analyse_endpoint(engine, &plans[p]))
    });
    let mut visits = Visits::new(project);
    for (p, run) in runs {
        visits.absorb(plans[p].endpoint.id, run);
    }
    // Shared flows no proxy of the project calls run on their own, with every input unknown.
    let nothing = Samples::default();
    for &bundle in &engine.plans.uncalled {
        for shared in &project.bundle(bundle).shared_flows {
            let mut state = State::new(World::Symbolic(&nothing));
            state.opaque = true;
            let mut interp = Interp::new(engine, Symbolic::new(&nothing));
            interp.shared_flow(bundle, shared, state);
            visits.absorb(shared.id, interp.into_domain().run);
        }
    }
    visits
}

/// The symbolic run of one ProxyEndpoint, over the request classes the conditions of its bundle
/// (and of the shared flows it calls) tell apart.
fn analyse_endpoint<'p>(engine: &Engine<'p>, plan: &EndpointPlan<'p>) -> Run {
    let parsed: Vec<(ConditionId, &Expr)> = engine
        .plans
        .bundles_run(plan)
        .into_iter()
        .flat_map(|bundle| engine.conditions_of(bundle))
        .filter_map(|c| {
            let expr = c.parsed.as_ref().ok().and_then(Option::as_ref)?;
            Some((c.condition.id, expr))
        })
        .collect();
    let base_path = plan.endpoint.base_path();
    let samples = Samples::collect(
        parsed.iter().map(|&(_, expr)| expr),
        base_path.map(|b| b.value.as_str()),
    );
    let settled = settled_inputs(plan, &parsed, &samples);
    let mut state = State::new(World::Symbolic(&samples));
    // An environment flow hook may run first and set any variable (reference §4.4).
    state.opaque = true;
    // A templated base path (`{{ BASE }}`) is filled in at deploy time: leave it unknown.
    if let Some(base) = base_path.filter(|b| !b.value.contains("{{")) {
        state.set_text("proxy.basepath", base.value.clone());
    }
    let mut interp = Interp::new(engine, Symbolic::new(&samples).settling(&settled));
    interp.endpoint(plan, state);
    interp.into_domain().run
}

/// The inputs no condition reads once a request has left the ProxyEndpoint's conditional
/// flows: those only the request Steps of those flows read. The verb and the path suffix are
/// never among them: what reaches a backend is told by them (`Arrival`).
fn settled_inputs(
    plan: &EndpointPlan,
    parsed: &[(ConditionId, &Expr)],
    samples: &Samples,
) -> Vec<usize> {
    let inside: BTreeSet<ConditionId> = plan
        .request
        .flows
        .conditional
        .iter()
        .flat_map(|flow| flow.request.iter())
        .filter_map(|step| step.condition.as_ref().map(|c| c.id))
        .collect();
    let mut read_after = vec![false; samples.inputs.len()];
    for input in [Input::Verb, Input::PathSuffix] {
        if let Some(i) = samples.index(&input) {
            read_after[i] = true;
        }
    }
    for (_, expr) in parsed.iter().filter(|(id, _)| !inside.contains(id)) {
        for operand in expr.variables() {
            if let OperandKind::Variable { name, .. } = &operand.kind {
                if let Some(i) = samples.input_named(name) {
                    read_after[i] = true;
                }
            }
        }
    }
    (0..read_after.len()).filter(|&i| !read_after[i]).collect()
}
