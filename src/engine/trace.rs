//! `oauthlint trace`: what Apigee would run for a request, simulated concretely over the same
//! plan the analysis walks, with the token store of a scenario. Requests, scenarios, the run and
//! its rendering.

use super::concrete::Concrete;
use super::interp::Interp;
use super::oauth::TokenStore;
use super::record::Recorder;
use super::route::select_endpoint;
use super::state::{State, World};
use super::Engine;
use serde::Serialize;

pub use super::oauth::TokenEvent;
pub use super::render::{render_human, render_human_of, render_json};
pub use super::request::Request;
pub use super::scenario::{parse_scenario, run_scenario, App, Scenario, ScenarioRequest, Stopped};

#[derive(Clone, Debug, Default, Serialize)]
pub struct Trace {
    /// `METHOD /path?query`.
    pub request: String,
    pub endpoint: Option<EndpointInfo>,
    pub events: Vec<Event>,
    /// The RouteRule taken, and where it sends the request.
    pub route: Option<String>,
    pub target: Option<String>,
    pub fault: Option<FaultInfo>,
    pub tokens: Vec<TokenEvent>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EndpointInfo {
    pub bundle: String,
    pub proxy_endpoint: String,
    pub base_path: String,
    pub path_suffix: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FaultInfo {
    pub name: String,
    pub cause: String,
    /// The policy (or stage) that raised it, and where.
    pub raised_by: String,
    pub flow: String,
    /// `continueOnError="true"`: recorded and the flow went on.
    pub continued: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A flow began (with the condition that chose it, for conditional flows).
    Flow {
        flow: String,
        condition: Option<String>,
    },
    /// A policy ran.
    Executed {
        policy: String,
        kind: String,
        flow: String,
        /// The Step condition that let it run.
        condition: Option<String>,
        /// `ok`, or the fault it raised.
        outcome: String,
    },
    Skipped {
        step: String,
        flow: String,
        reason: String,
    },
    Note {
        note: String,
    },
}

impl Event {
    pub fn executed_policy(&self) -> Option<&str> {
        match self {
            Event::Executed { policy, .. } => Some(policy),
            _ => None,
        }
    }
}

/// The trace of one request against the project, with a token store of its own.
pub fn trace_request(engine: &Engine, request: &Request) -> Trace {
    run_request(engine, request, &mut TokenStore::default())
}

/// The trace of one request against the project: endpoint selection, then the run.
pub(crate) fn run_request(engine: &Engine, request: &Request, store: &mut TokenStore) -> Trace {
    let project = engine.project;
    let mut request = request.clone();
    let mut trace = Trace {
        request: request.line(),
        ..Trace::default()
    };
    let Some(choice) = select_endpoint(project, &request.path) else {
        trace.notes.push(
            "no ProxyEndpoint of the linted bundles has a base path that this path starts with"
                .to_owned(),
        );
        return trace;
    };
    request.base_path = choice.base_path.clone();
    trace.endpoint = Some(EndpointInfo {
        bundle: project.bundle(choice.bundle).name.clone(),
        proxy_endpoint: choice.endpoint.name.clone(),
        base_path: request.base_path_shown().to_owned(),
        path_suffix: request.path_suffix().to_owned(),
    });
    trace.notes.extend(choice.notes);
    trace.notes.push(
        "flow hooks are attached per environment, outside the bundle: none were run".to_owned(),
    );
    let Some(plan) = engine.plans.of(choice.endpoint.id) else {
        return trace;
    };
    let recorder = Recorder::new(project, trace);
    let mut interp = Interp::new(engine, Concrete::new(&request, store, recorder, 0));
    interp.endpoint(plan, State::new(World::Concrete(&request)));
    interp.into_domain().recorder.trace
}
