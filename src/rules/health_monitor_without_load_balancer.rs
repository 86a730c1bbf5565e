use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint with a HealthMonitor but no LoadBalancer for it to act on.
    HealthMonitorWithoutLoadBalancer,
    "health-monitor-without-load-balancer",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD016],
);

impl Rule for HealthMonitorWithoutLoadBalancer {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(http) = &endpoint.http else { return };
        let Some(monitor) = http.health_monitor.as_ref().filter(|_| http.load_balancer.is_none())
        else {
            return;
        };
        let message = format!(
            "TargetEndpoint `{}` has a <HealthMonitor> but no <LoadBalancer>: nothing is monitored",
            endpoint.name
        );
        out.push(
            Diagnostic::new(&Self::META, monitor.span, message)
                .primary_label("never used")
                .help("a HealthMonitor probes the TargetServers of a <LoadBalancer> and brings those it took out of rotation back in; with a single <URL> there is no rotation: put the backend behind a LoadBalancer of TargetServers, or remove the HealthMonitor"),
        );
    }
}
