//! The concrete domain: one request, as `oauthlint trace` runs it, against a token store. Every
//! condition is true or false unless it reads a value the simulation cannot know (a note says
//! so, and it is taken as false); the run feeds a [`Recorder`].

use super::condition::{Lookup, OperandKind, Truth};
use super::domain::{Decision, Domain, Errors, Guard};
use super::effects::{Outcome, Report, Runner};
use super::inputs::Input;
use super::interp::Interp;
use super::oauth::{Fault, TokenStore};
use super::order::{Backend, Phase, Segment, TargetPlan};
use super::record::Recorder;
use super::request::Request;
use super::state::{split, State, World};
use super::Engine;
use crate::model::{EndpointId, Policy};

/// Proxy chaining (LocalTargetConnection) is followed at most this deep in a trace.
const MAX_CHAIN_DEPTH: usize = 8;

pub(crate) struct Concrete<'r, 'p> {
    request: &'r Request,
    store: &'r mut TokenStore,
    pub recorder: Recorder<'p>,
    /// How many proxies chained to this one.
    depth: usize,
    /// The conditional Flow each endpoint's request segment ran, if any.
    request_flows: Vec<(EndpointId, Option<usize>)>,
}

impl<'r, 'p> Concrete<'r, 'p> {
    pub fn new(
        request: &'r Request,
        store: &'r mut TokenStore,
        recorder: Recorder<'p>,
        depth: usize,
    ) -> Self {
        Concrete {
            request,
            store,
            recorder,
            depth,
            request_flows: Vec::new(),
        }
    }

    fn world(&self) -> World<'r> {
        World::Concrete(self.request)
    }

    /// Flow conditions are evaluated again for the response; whether Apigee does that or keeps
    /// the request's choice is open (reference §4.2, §8.3), so a different choice is noted.
    fn compare_with_request(&mut self, segment: Segment, chosen: Option<usize>) {
        if segment.phase == Phase::Request {
            self.request_flows.push((segment.endpoint, chosen));
            return;
        }
        let Some(&(_, at_request)) = self
            .request_flows
            .iter()
            .find(|(e, _)| *e == segment.endpoint)
        else {
            return;
        };
        if at_request == chosen {
            return;
        }
        let flows = &segment.flows.conditional;
        let name = |i: Option<usize>| match i {
            Some(i) => format!(
                "Flow {}",
                flows[i]
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("#{}", i + 1))
            ),
            None => "no conditional Flow".to_owned(),
        };
        self.recorder.note(format!(
            "the response took {} where the request took {}: Flow conditions were evaluated again, and whether Apigee keeps the request's choice is not documented",
            name(chosen),
            name(at_request)
        ));
    }
}

impl<'p> Domain<'p> for Concrete<'_, 'p> {
    type Observer = Recorder<'p>;

    fn observer(&mut self) -> &mut Recorder<'p> {
        &mut self.recorder
    }

    /// A condition that meets an unknown value is taken as false, and the trace says why.
    fn decide(&mut self, states: Vec<State>, guard: Guard) -> Decision {
        let mut holds = Vec::new();
        let mut fails = Vec::new();
        let mut truth = None;
        let mut uncertain = false;
        for state in states {
            // With every value it reads known, an unknown result comes from the operators: a
            // case Apigee's documentation leaves open (MatchesPath's `**` against no element…).
            let values_known = guard.expr.is_some_and(|e| {
                e.variables().iter().all(|o| match &o.kind {
                    OperandKind::Variable { name, .. } => {
                        matches!(state.lookup(self.world(), name), Lookup::Known(_))
                    }
                    _ => true,
                })
            });
            // A concrete state has one class: its verdict takes one evaluation.
            let s = split(state, self.world(), guard.expr, guard.unparsable, &mut 1);
            truth = Decision::combine(truth, s.truth);
            uncertain |= s.uncertain;
            if s.truth == Truth::Unknown {
                let text = guard.condition.map(|c| c.text.as_str()).unwrap_or_default();
                let why = if guard.unparsable {
                    "cannot be parsed"
                } else if values_known {
                    "has a result Apigee does not document for these values"
                } else {
                    "depends on a value the simulation cannot know"
                };
                self.recorder
                    .note(format!("condition `{text}` {why}: assumed false"));
                fails.extend(s.fails);
                continue;
            }
            holds.extend(s.holds);
            fails.extend(s.fails);
        }
        Decision {
            holds,
            fails,
            truth: truth.unwrap_or(Truth::Unknown),
            uncertain,
        }
    }

    /// One request is one state.
    fn limit(&mut self, states: Vec<State>) -> Vec<State> {
        states
    }

    fn fail(&mut self, errors: &mut Errors, state: State, fault: Fault) {
        errors.push((state, fault));
    }

    fn at_fault_rules(&mut self, states: Vec<State>) -> Vec<State> {
        states
    }

    fn run_policy(&mut self, policy: &Policy, state: &mut State, report: &mut Report) -> Outcome {
        Runner {
            world: self.world(),
            store: Some(&mut *self.store),
        }
        .run(policy, state, report)
    }

    /// The backend's response is unknown; a chained proxy of the project runs, receiving the
    /// request as this proxy's flows left it.
    fn call_backend(
        &mut self,
        engine: &Engine<'p>,
        target: &TargetPlan<'p>,
        states: Vec<State>,
        _: &mut Errors,
    ) -> Vec<State> {
        let Backend::Chained(chained) = target.backend else {
            return states;
        };
        // A fault in the target's request flows means the backend is never called.
        let Some(sent) = states.first() else {
            return states;
        };
        if self.depth >= MAX_CHAIN_DEPTH {
            self.recorder.note(format!(
                "proxy chaining deeper than {MAX_CHAIN_DEPTH}: not followed"
            ));
            return states;
        }
        let Some(plan) = chained.and_then(|id| engine.plans.of(id)) else {
            self.recorder.note(
                "LocalTargetConnection names a proxy that is not in the linted paths: not run",
            );
            return states;
        };
        let project = engine.project;
        self.recorder.note(format!(
            "proxy chaining: the request continues in {} / ProxyEndpoint {} (path suffix kept)",
            project.bundle(plan.bundle).name,
            plan.endpoint.name
        ));
        let mut request = self.request.clone();
        let base = plan
            .endpoint
            .base_path()
            .map(|b| b.value.trim_end_matches('/').to_owned())
            .unwrap_or_default();
        request.path = format!("{base}{}", self.request.path_suffix());
        request.base_path = base;
        // The chained proxy receives the message as this proxy's flows left it (headers and
        // parameters they set or removed), but none of its flow variables.
        let mut received = State::new(World::Concrete(&request));
        for (name, value) in sent.vars.iter() {
            if matches!(
                Input::of(name),
                Some(Input::Header(_) | Input::QueryParam(_) | Input::FormParam(_))
            ) {
                received.set(name.clone(), value.clone());
            }
        }
        let recorder = Recorder::new(project, Default::default());
        let chained = Concrete::new(&request, &mut *self.store, recorder, self.depth + 1);
        let mut interp = Interp::new(engine, chained);
        interp.endpoint(plan, received);
        let inner = interp.into_domain().recorder.trace;
        self.recorder.trace.events.extend(inner.events);
        self.recorder.trace.tokens.extend(inner.tokens);
        if inner.fault.is_some() {
            // What a target does with an error status is not in the reference (§4.2 step 7).
            self.recorder.note("the chained proxy answered with an error; how this target treats an error response is not modelled: its response flows ran as after a success");
        }
        if self.recorder.trace.fault.is_none() {
            self.recorder.trace.fault = inner.fault;
        }
        states
    }

    fn conditional_flows_done(
        &mut self,
        _: &Engine<'p>,
        segment: Segment<'p>,
        arriving: &[State],
        chosen: Option<usize>,
    ) {
        if !arriving.is_empty() {
            self.compare_with_request(segment, chosen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{trace_request, Event, Request, Trace};
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
        trace_request(&engine, &request)
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
        let text = crate::engine::trace::render_human(std::slice::from_ref(&t));
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
