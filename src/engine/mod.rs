//! The reference engine: what Apigee would do with a project.
//!
//! Built once per run from the model. Each ProxyEndpoint's execution order is compiled once
//! (`order`); one interpreter (`interp`) walks it, either symbolically over every request class
//! for the rules (`symbolic`, `reach`), or concretely for one request and a token store for
//! [`trace`] (`concrete`, recorded by `record`). Rules ask questions through the methods of
//! [`Engine`] (`query`) instead of re-deriving facts from the files.

mod arrival;
mod assign;
mod body;
mod canonical;
pub(crate) mod catalog;
mod classes;
mod concrete;
pub mod condition;
mod dispatch;
mod domain;
mod effects;
mod inputs;
mod interp;
mod listing;
mod never_holds;
mod oauth;
mod order;
mod paths;
mod query;
mod reach;
mod record;
mod render;
mod request;
mod route;
mod sample_index;
mod sample_set;
mod scenario;
mod state;
mod symbolic;
mod together;
pub mod trace;
mod variables;
mod visits;

pub use arrival::Arrival;
pub use query::{NeverRuns, OutcomeUse, Placement, PolicyNeverRuns, RouteNeverTaken, VariableRead};
pub use variables::Setters;
pub use visits::Limit;

use crate::model::{BundleId, Condition, Policy, Project};
use catalog::guards_requests;
use domain::Guard;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::OnceLock;

pub struct Engine<'p> {
    pub(crate) project: &'p Project,
    pub(crate) plans: order::Plans<'p>,
    /// By ConditionId.
    conditions: Vec<ParsedCondition<'p>>,
    /// By BundleId: where its conditions are in `conditions`.
    bundle_conditions: Vec<Range<usize>>,
    /// What symbolic runs reach, computed on first use.
    visits: OnceLock<visits::Visits>,
    /// The plans written out step by step, on first use.
    listings: OnceLock<listing::Listings>,
    /// Names of the policies the configuration says check the caller, beside those the
    /// catalog knows (`catalog::guards_requests`): a JavaCallout or ServiceCallout that verifies.
    declared_checks: BTreeSet<String>,
    /// How many threads the symbolic runs of the endpoints share (`--threads`).
    pub(crate) threads: usize,
}

/// A condition of the project, parsed once.
pub struct ParsedCondition<'p> {
    /// The bundle whose file holds the condition.
    pub bundle: BundleId,
    pub condition: &'p Condition,
    pub parsed: Result<Option<condition::Expr>, condition::SyntaxError>,
}

impl<'p> Engine<'p> {
    pub fn new(project: &'p Project) -> Engine<'p> {
        Engine::with_declared_checks(project, BTreeSet::new())
    }

    /// An engine for which the policies named `declared_checks` check the caller too: their
    /// having run is recorded, and counts, like a VerifyAPIKey's.
    pub fn with_declared_checks(
        project: &'p Project,
        declared_checks: BTreeSet<String>,
    ) -> Engine<'p> {
        Engine::on_threads(project, declared_checks, crate::threads::all_cores())
    }

    /// [`Engine::with_declared_checks`], its conditions parsed and its analysis run on up to
    /// `threads` threads (1: on the calling thread); what it finds is the same whatever their
    /// number.
    pub fn on_threads(
        project: &'p Project,
        declared_checks: BTreeSet<String>,
        threads: usize,
    ) -> Engine<'p> {
        let (conditions, bundle_conditions) = parse_conditions(project, threads);
        Engine {
            project,
            plans: order::Plans::new(project),
            conditions,
            bundle_conditions,
            visits: OnceLock::new(),
            listings: OnceLock::new(),
            declared_checks,
            threads,
        }
    }

    /// Does this policy check the caller: by its kind (`catalog::guards_requests`), or because
    /// the configuration says so?
    pub fn checks_caller(&self, policy: &Policy) -> bool {
        guards_requests(policy) || self.declared_checks.contains(&policy.name)
    }

    /// Every condition of the project (flows, steps, route rules, fault rules), parsed once, in
    /// model order (by ConditionId).
    pub(crate) fn conditions(&self) -> &[ParsedCondition<'p>] {
        &self.conditions
    }

    /// The conditions of one bundle's files.
    fn conditions_of(&self, bundle: BundleId) -> &[ParsedCondition<'p>] {
        &self.conditions[self.bundle_conditions[bundle.index()].clone()]
    }

    /// A condition as the interpreter's domains evaluate it.
    fn guard<'e>(&'e self, condition: Option<&'e Condition>) -> Guard<'e> {
        let parsed = condition.and_then(|c| self.conditions.get(c.id.index()));
        match (condition, parsed.map(|p| &p.parsed)) {
            (None, _) => Guard {
                condition,
                expr: None,
                unparsable: false,
            },
            (Some(_), Some(Ok(expr))) => Guard {
                condition,
                expr: expr.as_ref(),
                unparsable: false,
            },
            (Some(_), _) => Guard {
                condition,
                expr: None,
                unparsable: true,
            },
        }
    }

    /// What the symbolic runs of every endpoint reached.
    fn visits(&self) -> &visits::Visits {
        self.visits.get_or_init(|| reach::analyse(self))
    }

    fn listings(&self) -> &listing::Listings {
        self.listings
            .get_or_init(|| listing::Listings::new(&self.plans))
    }
}

/// The project's conditions in ConditionId order (per bundle: each flow's condition then its
/// steps', flows in `Bundle::all_flows` order, then the route rules'), and each bundle's range.
fn parse_conditions(
    project: &Project,
    threads: usize,
) -> (Vec<ParsedCondition<'_>>, Vec<Range<usize>>) {
    // Each bundle's on a thread, taken in bundle order (by ConditionId).
    let per_bundle = crate::threads::map(threads, project.bundles.iter().collect(), |bundle| {
        let mut conditions: Vec<&Condition> = Vec::new();
        for flow in bundle.all_flows() {
            conditions.extend(&flow.condition);
            for step in flow.request.iter().chain(&flow.response) {
                conditions.extend(&step.condition);
            }
        }
        for endpoint in &bundle.proxy_endpoints {
            conditions.extend(
                endpoint
                    .route_rules
                    .iter()
                    .filter_map(|r| r.condition.as_ref()),
            );
        }
        let parsed = conditions.into_iter().map(|condition| ParsedCondition {
            bundle: bundle.id,
            condition,
            parsed: condition::parse(&condition.text),
        });
        parsed.collect::<Vec<_>>()
    });
    let mut out = Vec::new();
    let mut ranges = Vec::new();
    for conditions in per_bundle {
        let start = out.len();
        out.extend(conditions);
        ranges.push(start..out.len());
    }
    (out, ranges)
}

#[cfg(test)]
mod tests {
    use super::Engine;
    use crate::model::tests::project;

    #[test]
    fn conditions_are_kept_by_their_ids() {
        let step = "<Step><Name>P</Name><Condition>a = 1</Condition></Step>";
        let proxy = format!(
            "<ProxyEndpoint name=\"default\"><PreFlow><Request>{step}</Request></PreFlow>\
             <Flows><Flow name=\"f\"><Condition>b = 2</Condition><Response>{step}</Response>\
             </Flow></Flows><RouteRule name=\"r\"><Condition>c = 3</Condition></RouteRule>\
             </ProxyEndpoint>"
        );
        let project = project(&[("apiproxy/proxies/default.xml", &proxy)]);
        let engine = Engine::new(&project);
        assert_eq!(engine.conditions().len(), 4);
        for (i, parsed) in engine.conditions().iter().enumerate() {
            assert_eq!(parsed.condition.id.index(), i);
        }
    }
}
