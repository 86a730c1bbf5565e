//! Whether two placements can run for one request: the question of policies that should run at
//! most once a request.

use super::condition::Expr;
use super::inputs::Samples;
use super::query::Placement;
use super::state::{split, State, World, MAX_CLASSES_PER_CONDITION};
use super::Engine;

/// Past this many request classes still open, the answer is "may".
const MAX_STATES: usize = 256;

impl Engine<'_> {
    /// May one request run both placements: `later` after `earlier` on its normal path (see
    /// [`Engine::may_run_before`]), both Steps may run, and some request satisfies at once every
    /// condition that guards either (their flows', their Steps' and those of the FlowCallouts
    /// that lead to them)? The conditions are decided over the request's inputs as for
    /// reachability; what they read that the engine cannot know, and what policies between the
    /// two set, may go either way.
    pub fn may_run_both(&self, earlier: Placement, later: Placement) -> bool {
        if !self.may_run_before(earlier, later)
            || !self.step_may_run(earlier.step)
            || !self.step_may_run(later.step)
        {
            return false;
        }
        let listing = self.listing(earlier);
        let mut guards = listing.steps[earlier.index as usize].guards.clone();
        guards.extend(&listing.steps[later.index as usize].guards);
        guards.sort();
        guards.dedup();
        let exprs: Vec<&Expr> = guards
            .iter()
            .filter_map(|&g| self.parsed(self.project.condition(g)))
            .collect();
        let samples = Samples::collect(exprs.iter().copied(), None);
        let world = World::Symbolic(&samples);
        let mut open = vec![State::new(world)];
        for expr in exprs {
            let mut held = Vec::new();
            for state in open {
                let mut budget = MAX_CLASSES_PER_CONDITION;
                held.extend(split(state, world, Some(expr), false, &mut budget).holds);
            }
            if held.is_empty() {
                return false;
            }
            if held.len() > MAX_STATES {
                return true;
            }
            open = held;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::parse::load::load_memory;

    /// Whether the two Steps of `SC`, in the PreFlow with the given conditions, may both run
    /// for one request.
    fn both(first: &str, second: &str) -> bool {
        let proxy = format!(
            r#"<ProxyEndpoint name="default"><HTTPProxyConnection><BasePath>/v1</BasePath></HTTPProxyConnection>
            <PreFlow><Request>
            <Step><Name>SC</Name><Condition>{first}</Condition></Step>
            <Step><Name>SC</Name><Condition>{second}</Condition></Step>
            </Request></PreFlow><RouteRule name="r"/></ProxyEndpoint>"#
        );
        let project = load_memory(vec![
            (
                "p/apiproxy/proxies/default.xml".into(),
                Ok(proxy.into_bytes()),
            ),
            (
                "p/apiproxy/policies/SC.xml".into(),
                Ok(b"<StatisticsCollector name=\"SC\"/>".to_vec()),
            ),
        ]);
        let engine = Engine::new(&project);
        let policy = project.policies_named(project.bundles[0].id, "SC")[0];
        let placements = engine.placements(policy);
        assert!(!engine.may_run_both(placements[1], placements[0]), "order");
        engine.may_run_both(placements[0], placements[1])
    }

    #[test]
    fn conditions_that_exclude_each_other_keep_two_steps_apart() {
        assert!(!both(r#"request.verb = "GET""#, r#"request.verb = "POST""#));
        assert!(!both(
            "request.header.x-mode = null",
            "request.header.x-mode != null"
        ));
    }

    #[test]
    fn conditions_one_request_may_satisfy_let_both_run() {
        assert!(both(
            r#"request.verb = "GET""#,
            r#"request.header.x-mode = "a""#
        ));
        assert!(both(
            r#"request.verb != "GET""#,
            r#"request.verb != "POST""#
        ));
        assert!(
            both("system.time.hour = 1", "system.time.minute = 2"),
            "unknown: may"
        );
    }
}
