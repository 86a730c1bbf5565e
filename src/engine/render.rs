//! `oauthlint trace`'s output: the human form and the JSON form of traces.

use super::oauth::TokenEvent;
use super::trace::{EndpointInfo, Event, FaultInfo, Trace};
use serde::Serialize;
use std::fmt::Write;

impl TokenEvent {
    fn line(&self) -> String {
        let mut line = format!("{} {} {}", self.action, self.kind, self.token);
        if !self.detail.is_empty() {
            write!(line, " ({})", self.detail).unwrap();
        }
        line
    }
}

/// The human form: one block per request.
pub fn render_human(traces: &[Trace]) -> String {
    render_human_of(traces, traces.len())
}

/// The human form of the first requests of `total` (a scenario that stopped early).
pub fn render_human_of(traces: &[Trace], total: usize) -> String {
    let mut out = String::new();
    for (i, trace) in traces.iter().enumerate() {
        if total > 1 {
            writeln!(out, "request {} of {total}: {}", i + 1, trace.request).unwrap();
        } else {
            writeln!(out, "request: {}", trace.request).unwrap();
        }
        match &trace.endpoint {
            Some(e) => writeln!(
                out,
                "  endpoint: {} / ProxyEndpoint {} (base path {}, path suffix {:?})",
                e.bundle, e.proxy_endpoint, e.base_path, e.path_suffix
            )
            .unwrap(),
            None => writeln!(out, "  endpoint: none").unwrap(),
        }
        for event in &trace.events {
            match event {
                Event::Flow { flow, condition } => match condition {
                    Some(c) => writeln!(out, "  {flow}  [{c}]").unwrap(),
                    None => writeln!(out, "  {flow}").unwrap(),
                },
                Event::Executed {
                    policy,
                    kind,
                    condition,
                    outcome,
                    ..
                } => {
                    let when = condition
                        .as_ref()
                        .map(|c| format!("  [{c}]"))
                        .unwrap_or_default();
                    writeln!(out, "    ran      {policy} ({kind}): {outcome}{when}").unwrap();
                }
                Event::Skipped { step, reason, .. } => {
                    writeln!(out, "    skipped  {step}: {reason}").unwrap()
                }
                Event::Note { note } => writeln!(out, "    note     {note}").unwrap(),
            }
        }
        let line = |out: &mut String, label: &str, value: &str| {
            writeln!(out, "  {label:<7} {value}").unwrap()
        };
        line(&mut out, "route", trace.route.as_deref().unwrap_or("none"));
        line(
            &mut out,
            "target",
            trace.target.as_deref().unwrap_or("none"),
        );
        match &trace.fault {
            Some(f) if !f.continued => line(
                &mut out,
                "fault",
                &format!(
                    "{} raised by {} in {}: {}",
                    f.name, f.raised_by, f.flow, f.cause
                ),
            ),
            _ => line(&mut out, "fault", "none"),
        }
        if trace.tokens.is_empty() {
            line(&mut out, "tokens", "none");
        }
        for token in &trace.tokens {
            line(&mut out, "tokens", &token.line());
        }
        for note in &trace.notes {
            line(&mut out, "note", note);
        }
        if i + 1 < traces.len() {
            out.push('\n');
        }
    }
    out
}

/// The JSON form: `{"version": 1, "requests": [...]}`, each request with `executed` in order.
pub fn render_json(traces: &[Trace]) -> String {
    #[derive(Serialize)]
    struct Executed<'a> {
        policy: &'a str,
        kind: &'a str,
        flow: &'a str,
        condition: &'a Option<String>,
        outcome: &'a str,
    }
    #[derive(Serialize)]
    struct Skipped<'a> {
        step: &'a str,
        flow: &'a str,
        reason: &'a str,
    }
    #[derive(Serialize)]
    struct Request<'a> {
        request: &'a str,
        endpoint: &'a Option<EndpointInfo>,
        executed: Vec<Executed<'a>>,
        skipped: Vec<Skipped<'a>>,
        flows: Vec<&'a str>,
        route: &'a Option<String>,
        target: &'a Option<String>,
        fault: Option<&'a FaultInfo>,
        tokens: &'a [TokenEvent],
        notes: Vec<&'a str>,
    }
    let requests: Vec<Request> = traces
        .iter()
        .map(|t| Request {
            request: &t.request,
            endpoint: &t.endpoint,
            executed: t
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::Executed {
                        policy,
                        kind,
                        flow,
                        condition,
                        outcome,
                    } => Some(Executed {
                        policy,
                        kind,
                        flow,
                        condition,
                        outcome,
                    }),
                    _ => None,
                })
                .collect(),
            skipped: t
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::Skipped { step, flow, reason } => Some(Skipped { step, flow, reason }),
                    _ => None,
                })
                .collect(),
            flows: t
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::Flow { flow, .. } => Some(flow.as_str()),
                    _ => None,
                })
                .collect(),
            route: &t.route,
            target: &t.target,
            fault: t.fault.as_ref().filter(|f| !f.continued),
            tokens: &t.tokens,
            notes: t
                .notes
                .iter()
                .map(String::as_str)
                .chain(t.events.iter().filter_map(|e| match e {
                    Event::Note { note } => Some(note.as_str()),
                    _ => None,
                }))
                .collect(),
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "requests": requests }))
            .expect("serialisable");
    text.push('\n');
    text
}
