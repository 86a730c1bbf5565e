//! The trace recorder: what a concrete run does, as `oauthlint trace` shows it. It observes the
//! interpreter and writes the [`Trace`]; the interpreter knows nothing of traces.

use super::domain::{Observer, Skip};
use super::effects::{Outcome, Report};
use super::oauth::Fault;
use super::order::{steps, NotFollowed, Phase, Route, RouteTo, MAX_CALLOUT_DEPTH};
use super::trace::{Event, FaultInfo, Trace};
use crate::engine::condition::Truth;
use crate::model::{
    BundleId, Condition, EndpointRef, Flow, FlowKind, FlowSlot, Policy, Project, ProxyEndpoint,
    SharedFlow, Step,
};

pub(crate) struct Recorder<'p> {
    project: &'p Project,
    pub trace: Trace,
    /// Where steps are running: the flow's label, then one more for each FlowCallout inside it.
    labels: Vec<String>,
}

impl<'p> Recorder<'p> {
    pub fn new(project: &'p Project, trace: Trace) -> Self {
        Recorder {
            project,
            trace,
            labels: Vec::new(),
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.trace.events.push(Event::Note { note: note.into() });
    }

    fn place(&self) -> String {
        self.labels.last().cloned().unwrap_or_default()
    }

    /// `ProxyEndpoint default Flow token (request)`, `TargetEndpoint t FaultRule x`, …
    fn flow_label(&self, flow: &Flow, phase: Phase) -> String {
        let place = self.project.flow_place(flow.id);
        let endpoint = match self.project.endpoint(place.endpoint) {
            EndpointRef::Proxy(e) => format!("ProxyEndpoint {}", e.name),
            EndpointRef::Target(e) => format!("TargetEndpoint {}", e.name),
            EndpointRef::SharedFlow(s) => return format!("shared flow {}", s.name),
        };
        let in_phase = |what: &str| format!("{endpoint} {what} ({})", phase.name());
        match place.slot {
            FlowSlot::PreFlow => in_phase("PreFlow"),
            FlowSlot::Conditional(i) => in_phase(&format!(
                "Flow {}",
                flow.name.clone().unwrap_or_else(|| format!("#{}", i + 1))
            )),
            FlowSlot::PostFlow => in_phase("PostFlow"),
            FlowSlot::PostClientFlow => format!("{endpoint} PostClientFlow"),
            FlowSlot::FaultRule(_) => format!(
                "{endpoint} FaultRule {}",
                flow.name.as_deref().unwrap_or("(unnamed)")
            ),
            FlowSlot::DefaultFaultRule => {
                let name = flow.name.as_deref().unwrap_or("");
                format!("{endpoint} DefaultFaultRule {name}")
                    .trim_end()
                    .to_owned()
            }
            FlowSlot::SharedFlow => endpoint,
        }
    }

    /// What the trace says of a policy's outcome.
    fn outcome(policy: &Policy, outcome: &Outcome) -> String {
        match outcome {
            Outcome::Ok | Outcome::MayFault => "ok".to_owned(),
            Outcome::Unknown(why) => format!("outcome unknown: {why}; assumed to succeed"),
            Outcome::Fault(f) if policy.continue_on_error => format!(
                "failed with {} ({}); continueOnError: the flow goes on",
                f.name, f.cause
            ),
            Outcome::Fault(f) => format!("fault {} ({})", f.name, f.cause),
        }
    }
}

impl<'p> Observer<'p> for Recorder<'p> {
    fn flow_entered(&mut self, flow: &'p Flow, phase: Phase) {
        let label = self.flow_label(flow, phase);
        self.labels = vec![label.clone()];
        let has_steps = !steps(flow, phase).is_empty();
        // A conditional flow is shown with the condition that chose it, at least for the request.
        let condition = (flow.kind == FlowKind::Conditional).then(|| {
            flow.condition
                .as_ref()
                .map_or("no condition: always true".to_owned(), |c| {
                    format!("condition true: {}", c.text)
                })
        });
        let shown = has_steps || (condition.is_some() && phase == Phase::Request);
        if shown {
            self.trace.events.push(Event::Flow {
                flow: label,
                condition,
            });
        }
    }

    fn step_skipped(&mut self, step: &'p Step, why: Skip) {
        let reason = match (why, &step.condition) {
            (Skip::Condition(Truth::False), Some(c)) => format!("condition false: {}", c.text),
            (Skip::Condition(_), Some(c)) => format!("condition not known to hold: {}", c.text),
            (Skip::Condition(_), None) => "not run".to_owned(),
            (Skip::NoPolicy, _) => "no policy of this name in the bundle".to_owned(),
            (Skip::Disabled, _) => "the policy is disabled (enabled=\"false\")".to_owned(),
        };
        self.trace.events.push(Event::Skipped {
            step: step.name.clone(),
            flow: self.place(),
            reason,
        });
    }

    fn callout_entered(&mut self, bundle: BundleId, flow: &'p SharedFlow) {
        let label = format!(
            "{} › shared flow {} ({})",
            self.place(),
            self.project.bundle(bundle).name,
            flow.name
        );
        self.labels.push(label);
    }

    fn callout_left(&mut self) {
        self.labels.pop();
    }

    fn callout_not_followed(&mut self, policy: &'p Policy, why: NotFollowed) {
        let name = &policy.name;
        self.note(match why {
            NotFollowed::Outside => format!(
                "FlowCallout `{name}` calls a shared flow that is not in the linted paths: not run"
            ),
            NotFollowed::Recursive => format!(
                "FlowCallout `{name}` calls a shared flow that is already running (a shared flow calling itself, which Apigee does not document): not run again"
            ),
            NotFollowed::TooDeep => format!(
                "FlowCallout `{name}` nests deeper than {MAX_CALLOUT_DEPTH}: not followed"
            ),
        });
    }

    fn executed(
        &mut self,
        policy: &'p Policy,
        condition: Option<&'p Condition>,
        outcome: &Outcome,
        report: Report,
    ) {
        let kind = match policy.oauth_v2().and_then(|v| v.operation.as_ref()) {
            Some(op) => format!("{} {}", policy.kind, op.raw.value),
            None => policy.kind.to_string(),
        };
        self.trace.events.push(Event::Executed {
            policy: policy.name.clone(),
            kind,
            flow: self.place(),
            condition: condition.map(|c| c.text.clone()),
            outcome: Self::outcome(policy, outcome),
        });
        self.trace.tokens.extend(report.tokens);
        for note in report.notes {
            self.note(note);
        }
    }

    fn faulted(&mut self, policy: &'p Policy, fault: &Fault) {
        if self.labels.len() > 1 {
            // Reference §4.4 ○, §8.10: shared-flow faults reaching the caller's FaultRules.
            self.note(format!(
                "`{}` faulted inside a shared flow: the caller's fault handling takes it, which Apigee does not document",
                policy.name
            ));
        }
        if self.trace.fault.is_none() {
            self.trace.fault = Some(FaultInfo {
                name: fault.name.clone(),
                cause: fault.cause.clone(),
                raised_by: policy.name.clone(),
                flow: self.place(),
                continued: false,
            });
        }
    }

    fn routed(&mut self, route: &Route<'p>) {
        if self.trace.route.is_some() {
            return;
        }
        let rule = route.rule;
        let named = |v: &Option<crate::model::Valued>| {
            v.as_ref().map_or("", |v| v.value.as_str()).to_owned()
        };
        let target = match route.to {
            RouteTo::Target(_) => format!("TargetEndpoint {}", named(&rule.target_endpoint)),
            RouteTo::MissingTarget => format!(
                "TargetEndpoint {} (not in the bundle)",
                named(&rule.target_endpoint)
            ),
            RouteTo::Url => format!("URL {}", named(&rule.url)),
            RouteTo::Null => "null route: no target".to_owned(),
        };
        self.trace.route = Some(format!(
            "RouteRule {}",
            rule.name.as_deref().unwrap_or_default()
        ));
        self.trace.target = Some(target);
    }

    fn route_failed(&mut self, endpoint: &'p ProxyEndpoint) {
        self.trace.route = Some("none: no RouteRule holds".to_owned());
        self.trace.fault = Some(FaultInfo {
            name: "messaging.runtime.RouteFailed".to_owned(),
            cause: "Unable to route the message to a Target Endpoint".to_owned(),
            raised_by: "routing".to_owned(),
            flow: format!("ProxyEndpoint {}", endpoint.name),
            continued: false,
        });
    }
}
