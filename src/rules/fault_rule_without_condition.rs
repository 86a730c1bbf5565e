use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{EndpointId, Flow, Flows, ProxyEndpoint, TargetEndpoint};

declare_rule!(
    /// A FaultRule without a condition that keeps the fault handlers tried after it from running.
    FaultRuleWithoutCondition,
    "fault-rule-without-condition",
    Flow,
    Warning,
    preview = true,
    apigeelint = [FR001, FR003],
);

impl Rule for FaultRuleWithoutCondition {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        check(cx, endpoint.id, &endpoint.flows, "the top", out);
    }

    fn check_target_endpoint(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        check(cx, endpoint.id, &endpoint.flows, "the bottom", out);
    }
}

/// A FaultRule without a `<Condition>`, or with an empty one, holds for every fault.
fn holds_always(rule: &Flow) -> bool {
    rule.condition
        .as_ref()
        .is_none_or(|c| c.text.trim().is_empty())
}

/// `tried_last`: where in the file the FaultRule Apigee tries last sits.
fn check(
    cx: &Context,
    endpoint: EndpointId,
    flows: &Flows,
    tried_last: &str,
    out: &mut Vec<Diagnostic>,
) {
    let order = cx.engine.fault_rules_in_order(endpoint);
    let Some(first) = order.iter().position(|rule| holds_always(rule)) else {
        return;
    };
    let catch_all = order[first];
    let shadowed = &order[first + 1..];
    // With <AlwaysEnforce>true the DefaultFaultRule runs after the FaultRule anyway.
    let default = flows
        .default_fault_rule
        .as_ref()
        .filter(|d| !d.always_enforce);
    // A lone catch-all tried last, with no DefaultFaultRule to hide, does what a
    // DefaultFaultRule would: nothing is lost.
    if shadowed.is_empty() && default.is_none() {
        return;
    }
    let mut lost = match shadowed.len() {
        0 => Vec::new(),
        1 => vec!["the FaultRule tried after it".to_owned()],
        n => vec![format!("the {n} FaultRules tried after it")],
    };
    if default.is_some() {
        lost.push("the DefaultFaultRule".to_owned());
    }
    let message = format!(
        "FaultRule `{}` has no condition, so it handles every fault and {} never {}",
        catch_all.name.as_deref().unwrap_or("(unnamed)"),
        lost.join(" and "),
        if shadowed.len() > 1 || lost.len() > 1 { "run" } else { "runs" }
    );
    let mut diagnostic = Diagnostic::new(&FaultRuleWithoutCondition::META, catch_all.span, message)
        .primary_label("no condition: chosen for every fault");
    for rule in shadowed {
        diagnostic = diagnostic.label(rule.span, "never runs");
    }
    if let Some(default) = default {
        diagnostic = diagnostic.label(default.span, "never runs: no <AlwaysEnforce>true");
    }
    let fix = if shadowed.is_empty() {
        "move its Steps into the <DefaultFaultRule>, or set <AlwaysEnforce>true</AlwaysEnforce> \
         there if both should run"
            .to_owned()
    } else {
        format!("to keep it as the fallback, move it to {tried_last} of <FaultRules>")
    };
    out.push(diagnostic.help(format!(
        "Apigee runs only the first FaultRule whose own <Condition> holds (a ProxyEndpoint's from \
         the bottom up, a TargetEndpoint's from the top down), and the conditions of its Steps do \
         not count: give this FaultRule a <Condition> such as (fault.name = \"…\"), or {fix}"
    )));
}
