use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A LoadBalancer whose `<MaxFailures>` does not fit its servers: several servers that never
    /// leave the rotation, or a single one that leaves it with nothing to bring it back.
    LoadBalancerMaxFailures,
    "load-balancer-max-failures",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD015, TD016],
);

impl Rule for LoadBalancerMaxFailures {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(balancer) = endpoint.load_balancer() else {
            return;
        };
        // Apigee's default is 0; a value that is not a count is invalid-element-value's.
        let max_failures = match &balancer.max_failures {
            None => 0,
            Some(given) => match given.value.parse::<u32>() {
                Ok(count) => count,
                Err(_) => return,
            },
        };
        let at = balancer.max_failures.as_ref().map_or(balancer.span, |m| m.span);
        let servers = balancer.servers.len();
        let monitored = endpoint
            .http
            .as_ref()
            .is_some_and(|h| h.health_monitor.is_some());
        if servers > 1 && max_failures == 0 {
            let limit = if balancer.max_failures.is_some() {
                "<MaxFailures> is 0"
            } else {
                "no <MaxFailures>, so 0"
            };
            let message = format!(
                "TargetEndpoint `{}` balances over {servers} servers but never takes a failing one out of rotation: {limit}",
                endpoint.name
            );
            out.push(
                Diagnostic::new(&Self::META, at, message)
                    .primary_label("no failure limit")
                    .help("set <MaxFailures> to the number of failed requests after which Apigee stops sending traffic to a server (and add a <HealthMonitor> to bring it back once healthy); with 0, the default, a dead server keeps receiving its share of the requests"),
            );
        } else if servers == 1 && max_failures > 0 && !monitored {
            let message = format!(
                "TargetEndpoint `{}` takes its only server out of rotation after {max_failures} failures, with no HealthMonitor to bring it back",
                endpoint.name
            );
            out.push(
                Diagnostic::new(&Self::META, at, message)
                    .primary_label("removes the only server")
                    .help("remove <MaxFailures> (or set it to 0) for a single server: once it is out of rotation no server is left, and every request fails until it returns. To fail over, add servers; to detect recovery, add a <HealthMonitor>"),
            );
        }
    }
}
