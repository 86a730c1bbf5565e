use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::RouteNeverTaken;
use crate::model::{ProxyEndpoint, RouteRule};

declare_rule!(
    /// A RouteRule that no request takes: the RouteRules before it take every request, or its
    /// condition never holds.
    UnreachableRouteRule,
    "unreachable-route-rule",
    Flow,
    Warning,
    preview = true,
    apigeelint = [CC008, PD002, PD003],
);

impl Rule for UnreachableRouteRule {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        for rule in &endpoint.route_rules {
            if let Some(why) = cx.engine.route_never_taken(rule.id) {
                out.push(finding(rule, why));
            }
        }
    }
}

fn finding(rule: &RouteRule, why: RouteNeverTaken) -> Diagnostic {
    let name = route_name(rule);
    let never = |reason: String| {
        Diagnostic::new(
            &UnreachableRouteRule::META,
            rule.span,
            format!("RouteRule `{name}` never applies: {reason}"),
        )
        .primary_label("no request takes this route")
    };
    match why {
        RouteNeverTaken::AfterUnconditional(by) => {
            let by_name = route_name(by);
            never(format!(
                "RouteRule `{by_name}` before it has no condition and takes every request"
            ))
            .label(by.span, "no condition: every request that gets here takes it")
            .help(if rule.condition.is_none() {
                format!(
                    "Apigee takes the first RouteRule whose condition holds, and one without a \
                     condition always holds: `{by_name}` takes every request, and this second \
                     RouteRule without a condition is dead; remove it"
                )
            } else {
                format!(
                    "Apigee takes the first RouteRule whose condition holds, and one without a \
                     condition always holds: put `{by_name}` last, as the default"
                )
            })
        }
        RouteNeverTaken::EarlierRulesTakeAll => never(
            "the RouteRules before it take every request it would".to_owned(),
        )
        .help(
            "Apigee takes the first RouteRule whose condition holds: move this one before \
             those that take its requests, or narrow their conditions",
        ),
        RouteNeverTaken::ConditionNeverHolds => {
            let diagnostic = never(
                "no request that gets to it satisfies its condition".to_owned(),
            );
            match &rule.condition {
                Some(c) => diagnostic
                    .label(c.span, "false for every request the RouteRules before it leave")
                    .help("correct the condition, or remove the RouteRule"),
                None => diagnostic,
            }
        }
    }
}

fn route_name(rule: &RouteRule) -> &str {
    rule.name.as_deref().unwrap_or("(unnamed)")
}
