//! The reference engine: what Apigee would do with a project.
//!
//! Built once per run from the model; rules ask it questions ("where does this policy run?",
//! "which conditions read this variable?") instead of re-deriving facts from the files.

mod assign;
pub mod catalog;
pub mod condition;
mod effects;
pub mod inputs;
pub mod interp;
pub mod oauth;
mod paths;
pub mod pipeline;
pub mod reach;
pub mod request;
pub mod route;
pub mod scenario;
pub mod state;
pub mod trace;
pub mod variables;
pub mod visits;

use crate::model::{BundleId, Condition, Project, Step};
use crate::source::Span;
use pipeline::Program;
use std::collections::HashMap;

pub struct Engine<'p> {
    pub project: &'p Project,
    pub programs: Vec<Program<'p>>,
    /// (defining bundle, policy name) → (program, step) positions.
    placements: HashMap<(BundleId, &'p str), Vec<(usize, usize)>>,
    conditions: Vec<ParsedCondition<'p>>,
    /// A condition's address in the model → its entry in `conditions`.
    condition_index: HashMap<usize, usize>,
    /// What symbolic runs reach, computed on first use.
    visits: std::sync::OnceLock<visits::Visits>,
}

/// A condition of the project, parsed once.
pub struct ParsedCondition<'p> {
    /// The bundle whose file holds the condition.
    pub bundle: BundleId,
    pub condition: &'p Condition,
    pub parsed: Result<Option<condition::Expr>, condition::SyntaxError>,
}

/// A condition that reads a variable.
pub struct VariableRead<'p> {
    pub condition: &'p Condition,
    pub variable: String,
    /// The variable's name in the condition text.
    pub span: Span,
}

impl<'p> Engine<'p> {
    pub fn new(project: &'p Project) -> Engine<'p> {
        let programs = pipeline::programs(project);
        let mut placements: HashMap<(BundleId, &'p str), Vec<(usize, usize)>> = HashMap::new();
        for (p, program) in programs.iter().enumerate() {
            for (s, placed) in program.steps.iter().enumerate() {
                if let Some(policy) = placed.policy {
                    placements
                        .entry((policy.bundle, policy.policy.name.as_str()))
                        .or_default()
                        .push((p, s));
                }
            }
        }
        let conditions = parse_conditions(project);
        let condition_index = conditions
            .iter()
            .enumerate()
            .map(|(i, c)| (c.condition as *const Condition as usize, i))
            .collect();
        Engine {
            project,
            programs,
            placements,
            conditions,
            condition_index,
            visits: std::sync::OnceLock::new(),
        }
    }

    /// Every place the named policy of `bundle` runs from, in program order.
    pub fn placements<'a>(
        &'a self,
        bundle: BundleId,
        policy: &'a str,
    ) -> impl Iterator<Item = (&'a Program<'p>, usize)> + 'a {
        self.placements
            .get(&(bundle, policy))
            .into_iter()
            .flatten()
            .map(|&(p, s)| (&self.programs[p], s))
    }

    /// Can some request run the named policy of `bundle` (from any Step that attaches it)?
    pub fn may_run(&self, bundle: BundleId, policy: &str) -> bool {
        let visits = self.visits();
        self.attachments(bundle, policy)
            .into_iter()
            .any(|step| visits.step(step).is_some_and(|v| v.condition_held))
    }

    /// The request classes (described) that run the named policy of `bundle`, a policy that
    /// guards requests (see `catalog::guards_requests`): "on which paths does it run?". Empty when
    /// no request can.
    pub fn classes_running(&self, bundle: BundleId, policy: &str) -> Vec<String> {
        let visits = self.visits();
        let mut classes: Vec<String> = self
            .attachments(bundle, policy)
            .into_iter()
            .filter_map(|step| visits.step(step))
            .flat_map(|v| v.classes.iter().cloned())
            .collect();
        classes.sort();
        classes.dedup();
        classes
    }

    /// Must every request that reaches `target`'s backend call first run a policy satisfying
    /// `check`? `None` when it must (or no request reaches it); otherwise the request classes that
    /// may get there without one.
    pub fn reaches_target_without(
        &self,
        target: &crate::model::TargetEndpoint,
        check: impl Fn(&crate::model::Policy) -> bool,
    ) -> Option<Vec<String>> {
        let visit = self.visits().target(target)?;
        let project = self.project;
        let without: Vec<String> = visit
            .arrivals
            .iter()
            .filter(|(ran, _)| {
                !ran.iter()
                    .any(|&(b, p)| check(&project.bundle(BundleId(b)).policies[p as usize]))
            })
            .map(|(_, class)| class.clone())
            .collect();
        (!without.is_empty()).then_some(without)
    }

    /// The Steps of `bundle` that name `policy`, wherever they sit (reachable or not).
    pub fn attachments(&self, bundle: BundleId, policy: &str) -> Vec<&'p Step> {
        self.project
            .bundle(bundle)
            .all_steps()
            .filter(|s| s.name == policy)
            .collect()
    }

    /// What the symbolic runs of every endpoint reached.
    pub fn visits(&self) -> &visits::Visits {
        self.visits.get_or_init(|| reach::analyse(self))
    }

    /// A condition's parse: `None` if the condition is not one of the project's.
    pub fn parsed(
        &self,
        condition: &Condition,
    ) -> Option<&Result<Option<condition::Expr>, condition::SyntaxError>> {
        self.condition_index
            .get(&(condition as *const Condition as usize))
            .map(|&i| &self.conditions[i].parsed)
    }

    /// Every condition of the project (flows, steps, route rules, fault rules), parsed once, in
    /// model order.
    pub fn conditions(&self) -> &[ParsedCondition<'p>] {
        &self.conditions
    }

    /// The reads of variables starting with one of `prefixes` in the given conditions
    /// (compared without regard to case, as authors vary between `oauthV2` and `oauthv2`).
    pub fn reads<'c>(
        &self,
        conditions: impl IntoIterator<Item = &'c Condition>,
        prefixes: &[String],
    ) -> Vec<VariableRead<'p>>
    where
        'p: 'c,
    {
        let prefixes: Vec<String> = prefixes.iter().map(|p| p.to_ascii_lowercase()).collect();
        let mut reads = Vec::new();
        for condition in conditions {
            let Some(&index) = self
                .condition_index
                .get(&(condition as *const Condition as usize))
            else {
                continue;
            };
            let parsed = &self.conditions[index];
            let Ok(Some(expr)) = &parsed.parsed else {
                continue;
            };
            for operand in expr.variables() {
                let condition::OperandKind::Variable { name, .. } = &operand.kind else {
                    continue;
                };
                let lower = name.to_ascii_lowercase();
                if prefixes.iter().any(|p| lower.starts_with(p)) {
                    reads.push(VariableRead {
                        condition: parsed.condition,
                        variable: name.clone(),
                        span: parsed.condition.span_of(operand.span.clone()),
                    });
                }
            }
        }
        reads
    }
}

fn parse_conditions(project: &Project) -> Vec<ParsedCondition<'_>> {
    let mut out = Vec::new();
    for id in project.bundle_ids() {
        let bundle = project.bundle(id);
        let flows = bundle.all_flows();
        let mut conditions: Vec<&Condition> = Vec::new();
        for flow in flows {
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
        out.extend(conditions.into_iter().map(|condition| ParsedCondition {
            bundle: id,
            condition,
            parsed: condition::parse(&condition.text),
        }));
    }
    out
}
