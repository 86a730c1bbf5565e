use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Condition, EndpointId, Flow, Flows, ProxyEndpoint, RouteRule, TargetEndpoint,
};
use crate::source::Span;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

declare_rule!(
    /// Two conditional Flows, FaultRules or RouteRules of one endpoint with the same condition
    /// written differently or alike, or two Flows of one endpoint with one name.
    DuplicateCondition,
    "duplicate-condition",
    Flow,
    Warning,
    preview = true,
    apigeelint = [CC008],
);

impl Rule for DuplicateCondition {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        check_flows(cx, endpoint.id, &endpoint.flows, out);
        let rules = endpoint.route_rules.iter().map(|r| (r.condition.as_ref(), r));
        for (first, later) in same_conditions(cx, rules) {
            // A RouteRule the engine finds never taken is unreachable-route-rule's finding.
            if cx.engine.route_never_taken(later.id).is_some() {
                continue;
            }
            out.push(finding(
                "RouteRule",
                Named::route(later),
                Named::route(first),
                "Apigee takes the first RouteRule whose condition holds, so this one routes \
                 nothing: remove it, or correct its condition",
            ));
        }
    }

    fn check_target_endpoint(
        &self,
        cx: &Context,
        _: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        check_flows(cx, endpoint.id, &endpoint.flows, out);
    }
}

/// The conditional Flows and FaultRules of one endpoint.
fn check_flows(cx: &Context, endpoint: EndpointId, flows: &Flows, out: &mut Vec<Diagnostic>) {
    let conditional = flows.conditional.iter().map(|f| (f.condition.as_ref(), f));
    for (first, later) in same_conditions(cx, conditional) {
        // A later flow the engine finds never runs is unreachable-flow's (or
        // oauth-flow-unreachable's) finding, which says the same.
        if cx.engine.flow_never_runs(later.id).is_some() {
            continue;
        }
        out.push(finding(
            "Flow",
            Named::flow(later),
            Named::flow(first),
            "Apigee runs only the first conditional Flow whose condition holds, so this one \
             never runs: merge its steps into the first, or correct its condition",
        ));
    }
    // Only one FaultRule runs for a fault: the first whose condition holds, in Apigee's order.
    let in_order = cx.engine.fault_rules_in_order(endpoint);
    let fault_rules = in_order.iter().map(|f| (f.condition.as_ref(), *f));
    for (first, later) in same_conditions(cx, fault_rules) {
        out.push(finding(
            "FaultRule",
            Named::flow(later),
            Named::flow(first),
            "Apigee runs only the first FaultRule whose condition holds (a ProxyEndpoint's from \
             the bottom up, a TargetEndpoint's from the top down), so this one never runs: merge \
             its steps into the other, or correct its condition",
        ));
    }
    let mut named: HashMap<&str, &Flow> = HashMap::new();
    for flow in &flows.conditional {
        let Some(name) = flow.name.as_deref().filter(|n| !n.is_empty()) else {
            continue;
        };
        let first = match named.entry(name) {
            Entry::Occupied(first) => *first.get(),
            Entry::Vacant(slot) => {
                slot.insert(flow);
                continue;
            }
        };
        out.push(
            Diagnostic::new(
                &DuplicateCondition::META,
                flow.span,
                format!("two Flows of this endpoint are named `{name}`"),
            )
            .primary_label("the second of that name")
            .label(first.span, "the first")
            .help(
                "Apigee reports a flow by its name (in `current.flow.name`, in a trace), so two \
                 flows of one name cannot be told apart: rename one",
            ),
        );
    }
}

/// Each item whose condition is the same as an earlier item's, with that earlier item, found by
/// the conditions' canonical forms. Items without a condition, or whose condition does not
/// parse, are left out.
fn same_conditions<'a, T>(
    cx: &Context,
    items: impl Iterator<Item = (Option<&'a Condition>, &'a T)>,
) -> Vec<(&'a T, &'a T)> {
    let mut first: HashMap<String, &T> = HashMap::new();
    let mut out = Vec::new();
    for (condition, item) in items {
        let Some(canonical) = condition.and_then(|c| cx.engine.canonical_condition(c)) else {
            continue;
        };
        match first.get(&canonical) {
            Some(earlier) => out.push((*earlier, item)),
            None => {
                first.insert(canonical, item);
            }
        }
    }
    out
}

/// A Flow, FaultRule or RouteRule as a finding names it.
struct Named<'a> {
    name: &'a str,
    condition: Option<&'a Condition>,
    span: Span,
}

impl<'a> Named<'a> {
    fn flow(flow: &'a Flow) -> Named<'a> {
        Named {
            name: flow.name.as_deref().unwrap_or("(unnamed)"),
            condition: flow.condition.as_ref(),
            span: flow.span,
        }
    }

    fn route(rule: &'a RouteRule) -> Named<'a> {
        Named {
            name: rule.name.as_deref().unwrap_or("(unnamed)"),
            condition: rule.condition.as_ref(),
            span: rule.span,
        }
    }
}

/// A finding on the later of two items of one kind with the same condition.
fn finding(kind: &str, later: Named, first: Named, help: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        &DuplicateCondition::META,
        later.condition.map_or(later.span, |c| c.span),
        format!(
            "{kind} `{}` has the same condition as {kind} `{}`, which Apigee tries first",
            later.name, first.name
        ),
    )
    .primary_label("the same test as the other's");
    if let Some(c) = first.condition {
        d = d.label(c.span, format!("{kind} `{}` is tried first and takes every case", first.name));
    }
    d.help(help)
}
