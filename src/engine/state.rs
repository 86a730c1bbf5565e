//! What the interpreter knows about one message at one point of the pipeline.
//!
//! A concrete run (a trace) has one state with one value per input. A symbolic run (a rule's
//! question) starts with one state whose inputs may take any of their samples; a condition
//! splits a state only over the inputs it reads, into the part where it holds and the part where
//! it does not (a class where it is unknown goes to both, and the state is no longer certain).

use super::classes::{Classes, SampleSet};
use super::condition::{eval, Expr, Lookup, Truth, Value};
use super::inputs::{Domain, Input, Sample, Samples};
use super::request::Request;
use crate::model::PolicyId;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Past this many evaluations to split the request classes that reach one condition (over all
/// the states that reach it), it is treated as unknown (the engine says so).
pub const MAX_CLASSES_PER_CONDITION: usize = 4096;

/// Where input values come from.
#[derive(Clone, Copy)]
pub enum World<'a> {
    Concrete(&'a Request),
    Symbolic(&'a Samples),
}

/// Cloned at every split and branch, so its parts are shared until changed (copy on write).
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Symbolic runs: the request classes the state stands for (see `classes`).
    pub domains: Classes,
    /// Variables set by policies or by Apigee during the run.
    pub vars: Rc<BTreeMap<String, Lookup>>,
    /// A policy whose effects are not modelled (JavaScript, ServiceCallout, …) has run: a
    /// variable nobody is known to have set may have been set by it.
    pub opaque: bool,
    /// Lowercase prefixes (or whole names) of variables some policy that ran sets to values the
    /// engine does not know.
    pub unknown: Vec<String>,
    /// No branch was taken on an unknown condition or outcome.
    pub certain: bool,
    /// Policies that certainly ran, in order: those that guard requests, and FlowCallouts whose
    /// shared flow was not followed.
    pub ran: Vec<PolicyId>,
    /// Inputs no later condition reads were given every sample (see `Symbolic::settle`): the
    /// classes stand for more requests than get here, so no one request of them is named.
    pub settled: bool,
}

/// Namespaces Apigee fills at run time, or that come from outside the request line; their
/// values are unknown unless the run set them.
const RUNTIME_PREFIXES: [&str; 18] = [
    "response.",
    "target.",
    "client.",
    "system.",
    "environment.",
    "organization.",
    "apiproxy.",
    "proxy.",
    "message.",
    "error.",
    "fault.",
    "request.",
    "servicecallout.",
    "router.",
    "virtualhost.",
    "route.",
    "tls.",
    "ratelimit.",
];

impl State {
    pub fn new(world: World) -> State {
        let domains = match world {
            World::Symbolic(samples) => Classes::all(samples.layout()),
            World::Concrete(_) => Classes::all(Rc::default()),
        };
        State {
            domains,
            vars: Rc::default(),
            opaque: false,
            unknown: Vec::new(),
            certain: true,
            ran: Vec::new(),
            settled: false,
        }
    }

    pub fn set(&mut self, name: impl Into<String>, value: Lookup) {
        Rc::make_mut(&mut self.vars).insert(name.into(), value);
    }

    pub fn set_text(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.set(name, Lookup::Known(Value::Str(value.into())));
    }

    /// Marks variables some policy set to unknown values: names starting with `prefix`.
    pub fn forget(&mut self, prefix: &str) {
        let prefix = prefix.to_ascii_lowercase();
        if !self.unknown.contains(&prefix) {
            self.unknown.push(prefix);
            self.unknown.sort();
        }
    }

    /// The value of a variable in this state.
    pub fn lookup(&self, world: World, name: &str) -> Lookup {
        if let Some(value) = self.vars.get(name) {
            return value.clone();
        }
        if self
            .unknown
            .iter()
            .any(|p| starts_with_ignore_case(name, p))
        {
            return Lookup::Unknown;
        }
        match world {
            World::Symbolic(samples) => {
                if let Some(i) = samples.input_named(name) {
                    // A policy may have changed the request (AssignMessage sets headers by canonical name).
                    if let Some(value) = self.vars.get(samples.changed_as(name, i)) {
                        return value.clone();
                    }
                    return match self.domains.get(i).only() {
                        Some(only) => samples.value(name, i, only),
                        None => Lookup::Unknown,
                    };
                }
                if Input::of(name).is_some() {
                    // An input no condition of this endpoint compares: anything.
                    return Lookup::Unknown;
                }
            }
            World::Concrete(request) => {
                if let Some(input) = Input::of(name) {
                    if let Some(value) = self.vars.get(&input.to_string()) {
                        return value.clone();
                    }
                    return request.input(&input);
                }
            }
        }
        if let World::Concrete(request) = world {
            if let Some(value) = request.derived(name) {
                return value;
            }
        }
        if self.opaque || filled_at_run_time(name) {
            Lookup::Unknown
        } else {
            Lookup::Known(Value::Null)
        }
    }
}

impl State {
    /// Does the engine find the variable unset (null) for some request of this state? A
    /// header or parameter may be absent from some of the requests the state stands for; a
    /// variable whose value the engine does not know is not counted.
    pub fn may_be_unset(&self, world: World, name: &str) -> bool {
        let reassigned = |name: &str| self.vars.contains_key(name);
        if let World::Symbolic(samples) = world {
            match samples.input_named(name) {
                Some(i) if !reassigned(name) && !reassigned(samples.changed_as(name, i)) => {
                    let absent = Lookup::Known(Value::Null);
                    return self
                        .domains
                        .get(i)
                        .iter()
                        .any(|sample| samples.value(name, i, sample) == absent);
                }
                // An input no condition of the endpoint compares: absent for some requests.
                None if !reassigned(name) => {
                    if let Some(input) = Input::of(name) {
                        return input.may_be_absent();
                    }
                }
                _ => {}
            }
        }
        self.lookup(world, name) == Lookup::Known(Value::Null)
    }
}

/// Is the variable in a namespace Apigee fills at run time ([`RUNTIME_PREFIXES`])? Any other
/// is set by a policy, or not at all.
fn filled_at_run_time(name: &str) -> bool {
    RUNTIME_PREFIXES
        .iter()
        .any(|p| starts_with_ignore_case(name, p))
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

struct StateEnv<'a> {
    state: &'a State,
    world: World<'a>,
    /// Inputs fixed to one sample while enumerating classes: (input index, sample index).
    fixed: &'a [(usize, u16)],
}

impl super::condition::Env for StateEnv<'_> {
    fn other_satisfies(&self, name: &str, op: super::condition::Op, literal: &str) -> Option<bool> {
        let World::Symbolic(samples) = self.world else {
            return None;
        };
        let input = Input::of(name)?;
        if let (Input::Path, Some(base)) = (&input, &samples.base) {
            if let Some(answer) = super::paths::answer_under_base(base, op, literal) {
                return Some(answer);
            }
        }
        let i = samples.test_index(&input, op, literal)?;
        let one = |d: usize| fixed(self.fixed, d).or_else(|| self.state.domains.get(d).only());
        let passes = one(i);
        if passes == Some(0) {
            return Some(false);
        }
        // A request whose element at the anchor's place is another text fails the test.
        if let Some((group, anchor)) = samples.test_group(i) {
            match one(group) {
                Some(value) if value != anchor => return Some(false),
                Some(_) => {}
                None => return None,
            }
        }
        passes.map(|s| s == 1)
    }

    fn lookup(&self, name: &str) -> Lookup {
        if let World::Symbolic(samples) = self.world {
            if let Some(i) = samples.input_named(name) {
                if !self.state.vars.contains_key(name)
                    && !self.state.vars.contains_key(samples.changed_as(name, i))
                {
                    if let Some(s) = fixed(self.fixed, i) {
                        return samples.value(name, i, s);
                    }
                }
            }
        }
        self.state.lookup(self.world, name)
    }
}

/// How a condition divides a state.
pub struct Split {
    pub holds: Vec<State>,
    pub fails: Vec<State>,
    /// The verdict for a concrete state, or the combined one for a symbolic state.
    pub truth: Truth,
    /// Too many request classes to enumerate: the condition was taken as unknown.
    pub over_limit: bool,
    /// Some class met an unknown verdict: it went both ways.
    pub uncertain: bool,
    /// The state was divided into narrower ones; otherwise it went, whole, to one side or both.
    pub narrowed: bool,
}

/// Evaluates a parsed condition (`None`: no condition, or one that could not be parsed and is
/// therefore unknown) in `state`, splitting symbolic states over the inputs it reads.
/// `budget`: the evaluations left for this condition, shared by the states it decides.
pub fn split(
    state: State,
    world: World,
    condition: Option<&Expr>,
    unparsable: bool,
    budget: &mut usize,
) -> Split {
    let Some(expr) = condition else {
        return if unparsable {
            unknown_split(state)
        } else {
            Split {
                holds: vec![state],
                fails: Vec::new(),
                truth: Truth::True,
                over_limit: false,
                uncertain: false,
                narrowed: false,
            }
        };
    };
    // Concrete runs, and conditions over no input with several samples left, have one verdict.
    let World::Symbolic(samples) = world else {
        return whole(state, world, expr);
    };
    let open = open_inputs(expr, &state, samples);
    if open.is_empty() {
        return whole(state, world, expr);
    }
    let singled_out = open
        .iter()
        .map(|&d| samples.singled_out(expr, d))
        .collect::<Vec<_>>();
    let mut expansion = Expansion {
        expr,
        state: &state,
        world,
        samples,
        open: &open,
        singled_out: &singled_out,
        verdicts: (false, false, false),
        budget,
    };
    let Ok((holds, fails)) = expansion.expand(0, &mut Vec::new()) else {
        return Split {
            over_limit: true,
            ..unknown_split(state)
        };
    };
    let verdicts = expansion.verdicts;
    let truth = match verdicts {
        (true, false, false) => Truth::True,
        (false, true, false) => Truth::False,
        _ => Truth::Unknown,
    };
    let uncertain = verdicts.2;
    let make = |rectangles: Vec<Rectangle>| -> Vec<State> {
        rectangles
            .into_iter()
            .map(|rectangle| {
                let mut s = state.clone();
                for (i, domain) in rectangle {
                    s.domains.set(i, domain);
                }
                s.certain &= !uncertain;
                s
            })
            .collect()
    };
    Split {
        holds: make(holds),
        fails: make(fails),
        truth,
        over_limit: false,
        uncertain,
        narrowed: true,
    }
}

/// A request class: one sample index for each of some inputs.
type Class = Vec<(usize, u16)>;

/// The sample a class fixes for domain index `d`, if it fixes one.
fn fixed(class: &[(usize, u16)], d: usize) -> Option<u16> {
    class.iter().find(|(fixed, _)| *fixed == d).map(|&(_, s)| s)
}

/// Request classes as a product: the samples kept for some inputs, every other input as the
/// state has it.
type Rectangle = Vec<(usize, SampleSet)>;

/// How a condition divides a state's classes, found by fixing its open inputs one at a time
/// (Shannon expansion): samples that decide the verdict once the inputs before them are fixed
/// are kept together, and only the undecided ones are expanded further. A path with thousands
/// of samples and a verb cost about as many evaluations as there are samples, not their product.
struct Expansion<'a> {
    expr: &'a Expr,
    state: &'a State,
    world: World<'a>,
    samples: &'a Samples,
    open: &'a [usize],
    /// By level: the text samples of its input that the condition tells apart from the other
    /// text samples (see `Samples::singled_out`); `None` for a test, or when any may differ.
    singled_out: &'a [Option<Vec<u16>>],
    /// Whether some class was found true, false, unknown.
    verdicts: (bool, bool, bool),
    budget: &'a mut usize,
}

/// Past its budget of evaluations the condition is taken as unknown.
struct OverLimit;

/// What a sample of one input leads to, with the inputs before it fixed: a verdict, or (when
/// it decides nothing yet) the rectangles of the inputs after it where the condition holds and
/// fails. Samples that lead to the same are kept together.
#[derive(PartialEq)]
enum Outcome {
    Decided(Truth),
    Undecided(Vec<Rectangle>, Vec<Rectangle>),
}

impl Expansion<'_> {
    /// The rectangles over the inputs `open[level..]` where the condition holds and where it
    /// fails, under the samples `prefix` fixes for the inputs before them; in the order of the
    /// samples, so that states come out in the same order whatever their number.
    fn expand(
        &mut self,
        level: usize,
        prefix: &mut Class,
    ) -> Result<(Vec<Rectangle>, Vec<Rectangle>), OverLimit> {
        let i = self.open[level];
        let is_test = matches!(self.samples.domain(i), Domain::Test(_));
        let domain = self.state.domains.get(i);
        // Samples evaluated one by one, and the text samples no comparison singles out, which
        // all have the outcome of the first of them (evaluated in its place in the order). A
        // test of a group fixed to another anchor, or a test or group of an input fixed to a
        // text, decides nothing: one evaluation.
        let (one_by_one, alike): (Vec<u16>, Option<SampleSet>) =
            match (&self.singled_out[level], is_test) {
                _ if !self.matters(i, prefix) || is_test && !self.test_possible(i, prefix) => {
                    (Vec::new(), Some(domain.clone()))
                }
                (Some(singled), false) => {
                    let mut one_by_one: Vec<u16> = self
                        .samples
                        .untexted(i)
                        .chain(singled.iter().copied())
                        .filter(|&s| domain.contains(s))
                        .collect();
                    one_by_one.sort_unstable();
                    one_by_one.dedup();
                    let alike = domain.without(&one_by_one);
                    (one_by_one, (!alike.is_empty()).then_some(alike))
                }
                _ => (domain.iter().collect(), None),
            };
        let representative = alike.as_ref().and_then(|a| a.iter().next());
        let mut order = one_by_one;
        order.extend(representative);
        order.sort_unstable();
        let mut groups: Vec<(Vec<u16>, Option<SampleSet>, Outcome)> = Vec::new();
        for sample in order {
            if *self.budget == 0 {
                return Err(OverLimit);
            }
            *self.budget -= 1;
            prefix.push((i, sample));
            let truth = eval(
                self.expr,
                &StateEnv {
                    state: self.state,
                    world: self.world,
                    fixed: prefix,
                },
            );
            let outcome = if truth == Truth::Unknown && level + 1 < self.open.len() {
                let (holds, fails) = self.expand(level + 1, prefix)?;
                Outcome::Undecided(holds, fails)
            } else {
                Outcome::Decided(truth)
            };
            prefix.pop();
            let group = match groups.iter().position(|(_, _, o)| *o == outcome) {
                Some(group) => group,
                None => {
                    groups.push((Vec::new(), None, outcome));
                    groups.len() - 1
                }
            };
            if Some(sample) == representative {
                groups[group].1 = alike.clone();
            } else {
                groups[group].0.push(sample);
            }
        }
        let (mut holds, mut fails) = (Vec::new(), Vec::new());
        for (one_by_one, alike, outcome) in groups {
            let listed: SampleSet = one_by_one.into_iter().collect();
            let samples = match alike {
                Some(alike) => listed.union(&alike),
                None => listed,
            };
            let here = |rest: Rectangle| -> Rectangle {
                std::iter::once((i, samples.clone())).chain(rest).collect()
            };
            match outcome {
                Outcome::Undecided(h, f) => {
                    holds.extend(h.into_iter().map(here));
                    fails.extend(f.into_iter().map(here));
                }
                Outcome::Decided(Truth::True) => {
                    self.verdicts.0 = true;
                    holds.push(here(Vec::new()));
                }
                Outcome::Decided(Truth::False) => {
                    self.verdicts.1 = true;
                    fails.push(here(Vec::new()));
                }
                // Unknown with every open input fixed: the class goes both ways.
                Outcome::Decided(Truth::Unknown) => {
                    self.verdicts.2 = true;
                    holds.push(here(Vec::new()));
                    fails.push(here(Vec::new()));
                }
            }
        }
        Ok((holds, fails))
    }
}

impl Expansion<'_> {
    /// Does domain index `d` constrain the prefix's classes: is it an input, or a test or group
    /// of an input the prefix leaves "any other value"?
    fn matters(&self, d: usize, prefix: &Class) -> bool {
        if let Domain::Input(_) = self.samples.domain(d) {
            return true;
        }
        let input = self.samples.input_of(d);
        fixed(prefix, input).is_none_or(|sample| sample == self.samples.other_sample(input))
    }

    /// May some request of the prefix's classes pass the test at domain index `d`: is its
    /// group, if it has one, still allowed its anchor?
    fn test_possible(&self, d: usize, prefix: &Class) -> bool {
        let Some((group, anchor)) = self.samples.test_group(d) else {
            return true;
        };
        match fixed(prefix, group) {
            Some(value) => value == anchor,
            None => self.state.domains.get(group).contains(anchor),
        }
    }
}

/// The inputs, pattern tests and groups `expr` reads that still have more than one sample in
/// `state`.
fn open_inputs(expr: &Expr, state: &State, samples: &Samples) -> Vec<usize> {
    let mut open: Vec<usize> = expr
        .variables()
        .into_iter()
        .filter_map(|o| match &o.kind {
            super::condition::OperandKind::Variable { name, .. } => {
                samples.input_named(name).filter(|&i| {
                    !state.vars.contains_key(name)
                        && !state.vars.contains_key(samples.changed_as(name, i))
                })
            }
            _ => None,
        })
        .filter(|&i| state.domains.get(i).len() > 1)
        .collect();
    // A pattern test, and its group, only matter for requests whose input is "any other
    // value"; a test of a group only for those whose group has its anchor.
    let other_possible = |d: usize| {
        let i = samples.input_of(d);
        i < samples.inputs.len() && state.domains.get(i).contains(samples.other_sample(i))
    };
    for t in samples.tests_in(expr) {
        if !other_possible(t) {
            continue;
        }
        let group = samples.test_group(t);
        if let Some((g, anchor)) = group {
            let values = state.domains.get(g);
            if !values.contains(anchor) {
                continue;
            }
            if values.len() > 1 {
                open.push(g);
            }
        }
        if state.domains.get(t).len() > 1 {
            open.push(t);
        }
    }
    // Each input's groups, then its pattern tests, come right after it: requests that pass a
    // test and fail the rest of the condition are then kept apart from those failing the test,
    // and a later flow on another anchor leaves them whole instead of splitting them again.
    open.sort_unstable_by_key(|&d| (samples.input_of(d), samples.domain(d), d));
    open.dedup();
    open
}

/// One verdict for the whole state, which moves to its side without a copy.
fn whole(state: State, world: World, expr: &Expr) -> Split {
    let truth = eval(
        expr,
        &StateEnv {
            state: &state,
            world,
            fixed: &[],
        },
    );
    match truth {
        Truth::True => Split {
            holds: vec![state],
            fails: Vec::new(),
            truth,
            over_limit: false,
            uncertain: false,
            narrowed: false,
        },
        Truth::False => Split {
            holds: Vec::new(),
            fails: vec![state],
            truth,
            over_limit: false,
            uncertain: false,
            narrowed: false,
        },
        Truth::Unknown => unknown_split(state),
    }
}

fn unknown_split(state: State) -> Split {
    let mut uncertain = state;
    uncertain.certain = false;
    Split {
        holds: vec![uncertain.clone()],
        fails: vec![uncertain],
        truth: Truth::Unknown,
        over_limit: false,
        uncertain: true,
        narrowed: false,
    }
}

/// Keeps the number of states near linear in the number of conditions: states with the same
/// history (`same_history`) whose classes differ in one input at most are joined (the union
/// of their samples).
/// Joining over-approximates: a variable they disagree on becomes unknown, so "can this run?"
/// answers stay sound; histories are kept apart for "must this run before …?".
///
/// `carried[i]`: state `i` is unchanged since an earlier compaction kept it beside the other
/// carried states, so two carried states are not compared again (a condition that passes
/// dozens of states whole would otherwise compare them all, pairwise, at every flow).
///
/// Joins never lower the number of states kept, so past `max` kept states it stops comparing
/// (each comparison costs as many inputs as the endpoint has) and gives back every state, to be
/// merged by the caller: `Err`.
pub fn compact(states: Vec<State>, carried: &[bool], max: usize) -> Result<Vec<State>, Vec<State>> {
    let mut out: Vec<(State, bool)> = Vec::with_capacity(states.len().min(max + 1));
    let mut states = states.into_iter().zip(carried.iter().copied());
    while let Some((state, carried)) = states.next() {
        let near = out.iter().position(|(kept, kept_carried)| {
            !(carried && *kept_carried)
                && same_history(kept, &state)
                && kept.domains.differences(&state.domains) <= 1
        });
        match near {
            Some(k) => {
                let kept = &mut out[k];
                unite_domains(&mut kept.0, &state);
                join(&mut kept.0, state);
                kept.1 = false;
                rejoin(&mut out, k);
            }
            None if out.len() == max => {
                let mut all: Vec<State> = out.into_iter().map(|(s, _)| s).collect();
                all.push(state);
                all.extend(states.map(|(s, _)| s));
                return Err(all);
            }
            None => out.push((state, carried)),
        }
    }
    Ok(out.into_iter().map(|(s, _)| s).collect())
}

/// May the two be joined without losing what certainly happened to their requests: the
/// guards that ran, and whether every branch on the way was decided?
fn same_history(a: &State, b: &State) -> bool {
    a.ran == b.ran && a.certain == b.certain
}

/// The state at `k` grew: joins into it every other kept state it now differs from in one
/// input at most (`/r7/x` by GET, then `/r7/x` by other verbs, then the flows before).
fn rejoin(out: &mut Vec<(State, bool)>, mut k: usize) {
    while let Some(j) = (0..out.len()).find(|&j| {
        j != k
            && same_history(&out[j].0, &out[k].0)
            && out[j].0.domains.differences(&out[k].0.domains) <= 1
    }) {
        let (other, _) = out.remove(j);
        if j < k {
            k -= 1;
        }
        let kept = &mut out[k].0;
        unite_domains(kept, &other);
        join(kept, other);
    }
}

/// Widens `kept`'s classes by `state`'s: the union of their samples, input by input.
pub fn unite_domains(kept: &mut State, state: &State) {
    kept.domains.unite(&state.domains);
}

/// Joins `state` into `kept`, which stands for the same request classes (the domains of
/// `state` are not looked at).
pub fn join(kept: &mut State, state: State) {
    if !Rc::ptr_eq(&kept.vars, &state.vars) && kept.vars != state.vars {
        let vars = Rc::make_mut(&mut kept.vars);
        for (key, value) in vars.iter_mut() {
            if state.vars.get(key) != Some(value) {
                *value = Lookup::Unknown;
            }
        }
        for key in state.vars.keys() {
            if !vars.contains_key(key) {
                vars.insert(key.clone(), Lookup::Unknown);
            }
        }
    }
    kept.opaque |= state.opaque;
    for prefix in state.unknown {
        kept.forget(&prefix);
    }
    kept.ran.retain(|k| state.ran.contains(k));
    kept.certain &= state.certain;
    kept.settled |= state.settled;
}

/// A human description of the request classes a state stands for (for messages).
pub fn describe(state: &State, samples: &Samples) -> String {
    let mut parts = Vec::new();
    for (i, (input, values)) in samples.inputs.iter().enumerate() {
        let domain = state.domains.get(i);
        if domain.len() == values.len() {
            continue;
        }
        let shown: Vec<&Sample> = domain.iter().map(|s| &values[s as usize]).collect();
        parts.push(match shown.as_slice() {
            [one] => format!("{input} {}", one_value(one, &one.to_string())),
            _ => format!(
                "{input} one of {}",
                shown
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    if parts.is_empty() {
        "any request".to_owned()
    } else {
        parts.join(" and ")
    }
}

fn one_value(sample: &Sample, shown: &str) -> String {
    match sample {
        Sample::Absent => "absent".to_owned(),
        Sample::Other => "with any other value".to_owned(),
        Sample::Text(_) => format!("= {shown}"),
    }
}
