use super::backend_route::routes_without;
use super::unverified_target_route::who;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, ProxyEndpoint};

declare_rule!(
    /// A RouteRule that sends requests to a backend with no SpikeArrest or Quota on the way,
    /// in a bundle that limits request rates elsewhere.
    TargetRouteUnthrottled,
    "target-route-unthrottled",
    Target,
    Info,
    preview = true,
);

impl Rule for TargetRouteUnthrottled {
    fn check_proxy_endpoint(
        &self,
        cx: &Context,
        bundle: BundleRef,
        endpoint: &ProxyEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        // A bundle that limits no rate at all is a choice made once, for the whole API (and
        // often made at a gateway in front): the path-by-path question is which backends a
        // bundle that does limit rates leaves out.
        let Some(limiter) = bundle
            .policies
            .iter()
            .find(|p| p.limits_request_rate() && cx.engine.policy_may_run(p.id))
        else {
            return;
        };
        for (rule, backend) in routes_without(cx, endpoint, Policy::limits_request_rate) {
            let arrivals = cx.engine.routed(rule.id);
            let Some(first) = arrivals.iter().find(|a| a.certain) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    rule.span,
                    format!(
                        "{} reaches {backend} with no SpikeArrest or Quota on the way",
                        who(first)
                    ),
                )
                .primary_label("routes requests here that no rate limit has counted")
                .label(
                    limiter.name_span,
                    "the bundle limits rates here, but not on the way to that backend",
                )
                .help(HELP),
            );
        }
    }
}

const HELP: &str = "run a SpikeArrest (or a Quota keyed on the client) in the ProxyEndpoint \
    PreFlow, or in the request PreFlow of the target this route names: a backend no rate limit \
    protects can be flooded by one client, and the limits the bundle sets elsewhere suggest this \
    one was missed";
