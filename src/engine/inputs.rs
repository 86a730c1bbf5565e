//! The request variables a client controls, and the sample values that tell requests apart.
//!
//! For reachability the engine does not enumerate requests; it keeps, for each input variable a
//! proxy's conditions read, a short list of samples: every literal it is compared with (and a
//! value that matches each pattern), absent where it may be, and [`Sample::Other`] for every
//! other value. A request class picks one sample per input; conditions split classes only over
//! the inputs they read, so unrelated inputs never multiply.

use super::classes::Layout;
use super::condition::{
    literal_text, path_pattern_anchor, Expr, ExprKind, Lookup, Op, OperandKind, Value,
};
use super::sample_index::{singled_out, Reading, SampleIndex};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A variable whose value the client chooses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Verb,
    PathSuffix,
    Path,
    /// Header names are case-insensitive; kept lowercase.
    Header(String),
    QueryParam(String),
    FormParam(String),
}

impl Input {
    /// The input a variable name denotes, if the client controls it directly.
    pub fn of(variable: &str) -> Option<Input> {
        let lower = variable.to_ascii_lowercase();
        match lower.as_str() {
            "request.verb" => return Some(Input::Verb),
            "proxy.pathsuffix" => return Some(Input::PathSuffix),
            "request.path" => return Some(Input::Path),
            _ => {}
        }
        let field = |prefix: &str| {
            variable
                .get(prefix.len()..)
                .filter(|_| lower.starts_with(prefix))
                .filter(|name| {
                    !name.is_empty() && !name.ends_with(".values") && !name.contains(".values.")
                })
        };
        if let Some(name) = field("request.header.") {
            return Some(Input::Header(name.to_ascii_lowercase()));
        }
        if let Some(name) = field("request.queryparam.") {
            return Some(Input::QueryParam(name.to_owned()));
        }
        field("request.formparam.").map(|name| Input::FormParam(name.to_owned()))
    }

    /// The verb is always present; headers and parameters may be absent, and so may the path
    /// suffix of a request for the base path itself (`""` or null is not documented, ○).
    /// `request.path` has no samples of its own (see [`Samples::base`]).
    pub(super) fn may_be_absent(&self) -> bool {
        *self != Input::Verb
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Input::Verb => write!(f, "request.verb"),
            Input::PathSuffix => write!(f, "proxy.pathsuffix"),
            Input::Path => write!(f, "request.path"),
            Input::Header(n) => write!(f, "request.header.{n}"),
            Input::QueryParam(n) => write!(f, "request.queryparam.{n}"),
            Input::FormParam(n) => write!(f, "request.formparam.{n}"),
        }
    }
}

/// One value an input may take in a request class.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sample {
    Absent,
    Text(String),
    /// Any value equal to none of the literals (see [`Lookup::Other`]).
    Other,
}

impl Sample {
    pub fn lookup(&self) -> Lookup {
        match self {
            Sample::Absent => Lookup::Known(Value::Null),
            Sample::Text(t) => Lookup::Known(Value::Str(t.clone())),
            Sample::Other => Lookup::Other,
        }
    }
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Sample::Absent => write!(f, "absent"),
            Sample::Text(t) => write!(f, "{t:?}"),
            Sample::Other => write!(f, "any other value"),
        }
    }
}

/// The samples of every input the given conditions read, inputs in a stable order.
#[derive(Clone, Debug, Default)]
pub struct Samples {
    pub inputs: Vec<(Input, Vec<Sample>)>,
    /// Pattern and ordering tests of inputs against literals (`proxy.pathsuffix MatchesPath
    /// "/token"`). For a request whose input is [`Sample::Other`], whether it passes each test is
    /// tracked like one more input with two samples (fails, passes), so that the same test gets
    /// the same answer in every condition. A state's domains list the inputs, then the tests.
    pub tests: Vec<Test>,
    /// Each variable name as the conditions write it → its input's index, and the input's
    /// canonical name (as AssignMessage changes are recorded), so lookups need no parsing.
    names: rustc_hash::FxHashMap<String, usize>,
    canonical: Vec<String>,
    /// Indices by input and by test literal: the lookups of every condition evaluation stay
    /// constant-time in proxies with thousands of flows.
    input_index: rustc_hash::FxHashMap<Input, usize>,
    tests_by_literal: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// MatchesPath tests anchored at one place of one input (see `path_pattern_anchor`): which
    /// of their anchors a request's element at that place is (`/r1/*`, `/r2/*`: `r1`, `r2`, or
    /// none of them) is one more domain of the state, after the tests. A test then only
    /// matters for requests whose input is "any other value" and whose group has its anchor,
    /// so that requests taking different flows by path differ in one domain, and join exactly.
    pub groups: Vec<Group>,
    /// By test: its group and the index of its anchor among the group's values.
    test_groups: Vec<Option<(usize, u16)>>,
    /// By input: its text samples indexed, to find those a condition singles out.
    index: Vec<SampleIndex>,
    /// See [`Layout`].
    layout: Rc<Layout>,
    /// The endpoint's base path when the bundle fixes it (see `paths`): `request.path` is then
    /// that base path followed by the path suffix, and reads the path suffix's samples.
    /// Without it `request.path` is unknown.
    pub base: Option<String>,
}

/// The anchors of the MatchesPath tests of one input at one place; a request's element there
/// is one of `values`, or none of them (the last sample, `values.len()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The index of the input.
    pub input: usize,
    pub values: Vec<String>,
    /// By sample of the input: the value of a text sample's element at the anchors' place
    /// (`values.len()` for none of them), where the group is of the input's own samples (not
    /// of `request.path` read through the base path); `None` where not known.
    of_samples: Vec<Option<u16>>,
}

impl Group {
    /// The anchor a text sample of the input has at the group's place (see `of_samples`).
    pub fn anchor_of_sample(&self, sample: u16) -> Option<u16> {
        self.of_samples.get(sample as usize).copied().flatten()
    }
}

/// What a domain index of a state stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Domain {
    Input(usize),
    Group(usize),
    Test(usize),
}

impl Domain {
    /// What domain index `d` stands for where there are `inputs` inputs and `tests` tests:
    /// the inputs come first, then the tests, then the groups.
    pub fn at(d: usize, inputs: usize, tests: usize) -> Domain {
        if d < inputs {
            Domain::Input(d)
        } else if d < inputs + tests {
            Domain::Test(d - inputs)
        } else {
            Domain::Group(d - inputs - tests)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    pub input: Input,
    pub op: Op,
    pub literal: String,
}

/// Operators whose answer for [`Sample::Other`] is not fixed by its being unlike every literal.
fn is_tracked(op: Op) -> bool {
    !matches!(op, Op::Equals | Op::NotEquals | Op::EqualsCaseInsensitive)
}

impl Samples {
    /// The samples of the inputs `conditions` read, for an endpoint whose base path is
    /// `base_path` as configured (`None`: a shared flow run on its own).
    pub fn collect<'e>(
        conditions: impl IntoIterator<Item = &'e Expr>,
        base_path: Option<&str>,
    ) -> Samples {
        let base = base_path.and_then(super::paths::fixed_base);
        let exprs: Vec<&Expr> = conditions.into_iter().collect();
        let mut witnesses: BTreeMap<Input, Vec<String>> = BTreeMap::new();
        for expr in &exprs {
            comparisons(expr, &mut |input, op, literal| {
                let texts = literal.map(|l| witnesses_for(op, &l)).unwrap_or_default();
                if input != Input::Path {
                    witnesses.entry(input).or_default().extend(texts);
                    return;
                }
                // The full path's witnesses under this base path, as path suffixes.
                let Some(base) = &base else {
                    return;
                };
                let ignore_case = op == Op::EqualsCaseInsensitive;
                witnesses.entry(Input::PathSuffix).or_default().extend(
                    texts
                        .iter()
                        .filter_map(|t| super::paths::suffix_of(base, t, ignore_case)),
                );
            });
        }
        // Each test once, in a stable order.
        let mut tests: BTreeMap<(Input, String, String), Test> = BTreeMap::new();
        for expr in &exprs {
            tracked_tests(expr, &mut |test| {
                if test.input != Input::Path || base.is_some() {
                    let key = (
                        test.input.clone(),
                        format!("{:?}", test.op),
                        test.literal.clone(),
                    );
                    tests.entry(key).or_insert(test);
                }
            });
        }
        let tests: Vec<Test> = tests.into_values().collect();
        let inputs = witnesses
            .into_iter()
            .map(|(input, mut texts)| {
                if input == Input::PathSuffix {
                    texts.push(String::new());
                }
                texts.sort();
                texts.dedup();
                let mut samples: Vec<Sample> = Vec::new();
                if input.may_be_absent() {
                    samples.push(Sample::Absent);
                }
                samples.extend(texts.into_iter().map(Sample::Text));
                samples.push(Sample::Other);
                (input, samples)
            })
            .collect::<Vec<_>>();
        let mut tests_by_literal: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (t, test) in tests.iter().enumerate() {
            tests_by_literal
                .entry(test.literal.clone())
                .or_default()
                .push(t);
        }
        let input_index: rustc_hash::FxHashMap<Input, usize> = inputs
            .iter()
            .enumerate()
            .map(|(i, (input, _))| (input.clone(), i))
            .collect();
        let (groups, test_groups) = group_tests(&tests, |input| match input {
            Input::Path => input_index
                .get(&Input::PathSuffix)
                .copied()
                .map(|i| (i, None)),
            other => input_index.get(other).map(|&i| (i, Some(&inputs[i].1[..]))),
        });
        let mut samples = Samples {
            groups,
            test_groups,
            index: inputs.iter().map(|(_, s)| SampleIndex::new(s)).collect(),
            canonical: inputs.iter().map(|(i, _)| i.to_string()).collect(),
            input_index,
            inputs,
            tests,
            tests_by_literal,
            names: Default::default(),
            layout: Default::default(),
            base,
        };
        samples.layout = Rc::new(samples.make_layout());
        for expr in &exprs {
            for operand in expr.variables() {
                if let OperandKind::Variable { name, .. } = &operand.kind {
                    if let Some(i) = Input::of(name).and_then(|input| samples.index(&input)) {
                        samples.names.insert(name.clone(), i);
                    }
                }
            }
        }
        samples
    }

    /// The index of an input's samples; `request.path` reads the path suffix's.
    pub fn index(&self, input: &Input) -> Option<usize> {
        let input = match input {
            Input::Path if self.base.is_some() => &Input::PathSuffix,
            Input::Path => return None,
            other => other,
        };
        self.input_index.get(input).copied()
    }

    /// The value of the variable `name` (which reads input `i`) in a request whose input takes
    /// its sample `sample`.
    pub fn value(&self, name: &str, i: usize, sample: u16) -> Lookup {
        let sample = &self.inputs[i].1[sample as usize];
        match &self.base {
            Some(base) if is_request_path(name) => super::paths::full_path(base, sample),
            _ => sample.lookup(),
        }
    }

    /// The name under which a policy's change of the variable `name` (reading input `i`) is
    /// recorded.
    pub fn changed_as<'a>(&'a self, name: &str, i: usize) -> &'a str {
        if is_request_path(name) {
            "request.path"
        } else {
            self.canonical(i)
        }
    }

    /// The input a variable name (as written in a condition) reads, without parsing the name.
    pub fn input_named(&self, name: &str) -> Option<usize> {
        match self.names.get(name) {
            Some(&i) => Some(i),
            None => Input::of(name).and_then(|input| self.index(&input)),
        }
    }

    /// The text sample `text` of input `i`, if it has one.
    pub fn text_sample(&self, i: usize, text: &str) -> Option<u16> {
        self.index[i].exact(text)
    }

    /// The canonical variable name of input `i` (`request.header.x-api-key`).
    pub fn canonical(&self, i: usize) -> &str {
        &self.canonical[i]
    }

    /// The domain index of a tracked test, if the conditions make one.
    pub fn test_index(&self, input: &Input, op: Op, literal: &str) -> Option<usize> {
        let tests = self.tests_by_literal.get(literal)?;
        tests
            .iter()
            .copied()
            .find(|&t| self.tests[t].input == *input && self.tests[t].op == op)
            .map(|t| self.inputs.len() + t)
    }

    /// What domain index `d` stands for: inputs, then tests, then groups.
    pub fn domain(&self, d: usize) -> Domain {
        Domain::at(d, self.inputs.len(), self.tests.len())
    }

    /// How many domains a state has: inputs, tests and groups.
    pub fn domain_count(&self) -> usize {
        self.inputs.len() + self.tests.len() + self.groups.len()
    }

    /// How many samples domain index `d` has.
    pub fn domain_size(&self, d: usize) -> usize {
        match self.domain(d) {
            Domain::Input(i) => self.inputs[i].1.len(),
            Domain::Test(_) => 2,
            Domain::Group(g) => self.groups[g].values.len() + 1,
        }
    }

    /// The domain index of group `g`.
    pub fn group_domain(&self, g: usize) -> usize {
        self.inputs.len() + self.tests.len() + g
    }

    /// The domain index of the input that domain index `d` (an input, a test or a group) reads.
    pub fn input_of(&self, d: usize) -> usize {
        match self.domain(d) {
            Domain::Input(i) => i,
            Domain::Test(t) => self.index(&self.tests[t].input).unwrap_or(d),
            Domain::Group(g) => self.groups[g].input,
        }
    }

    /// The group of the test at domain index `d` (its domain index), and its anchor's value.
    pub fn test_group(&self, d: usize) -> Option<(usize, u16)> {
        let Domain::Test(t) = self.domain(d) else {
            return None;
        };
        self.test_groups[t].map(|(g, value)| (self.group_domain(g), value))
    }

    /// The index of the sample "any other value" of input `i`: the last.
    pub fn other_sample(&self, i: usize) -> u16 {
        self.inputs[i].1.len() as u16 - 1
    }

    /// How the classes of a state are laid out.
    pub fn layout(&self) -> Rc<Layout> {
        self.layout.clone()
    }

    fn make_layout(&self) -> Layout {
        Layout::new(
            self.inputs.iter().map(|(_, s)| s.len()).collect(),
            self.tests
                .iter()
                .zip(&self.test_groups)
                .map(|(test, group)| {
                    let input = self.index(&test.input).unwrap_or(usize::MAX);
                    (input, group.map(|(g, v)| (self.group_domain(g), v)))
                })
                .collect(),
            self.groups
                .iter()
                .map(|g| (g.input, g.values.len() + 1))
                .collect(),
        )
    }

    /// The text samples of input `i` that some comparison of `expr` may answer differently for
    /// than for the other text samples (a superset, sorted); `None`: every sample may differ.
    /// For a group, the anchors of the tests `expr` makes: the others, and none of them, fail
    /// every test of `expr` in the group alike.
    pub fn singled_out(&self, expr: &Expr, d: usize) -> Option<Vec<u16>> {
        let i = match self.domain(d) {
            Domain::Input(i) => i,
            Domain::Test(_) => return None,
            Domain::Group(g) => {
                let mut values: Vec<u16> = self
                    .tests_in(expr)
                    .into_iter()
                    .filter_map(|t| self.test_group(t))
                    .filter(|&(group, _)| group == d)
                    .map(|(_, value)| value)
                    .collect();
                values.sort_unstable();
                values.dedup();
                debug_assert!(g < self.groups.len());
                return Some(values);
            }
        };
        let reads = |name: &str| match self.input_named(name) {
            Some(j) if j != i => Reading::Other,
            Some(_) if is_request_path(name) => Reading::Derived,
            Some(_) => Reading::Sample,
            None => Reading::Other,
        };
        singled_out(expr, &self.inputs[i].1, &self.index[i], &reads)
    }

    /// The samples of input `i` that are not texts: absent, first, and any other value, last
    /// (none for a group).
    pub fn untexted(&self, i: usize) -> impl Iterator<Item = u16> + '_ {
        let values: &[Sample] = match self.domain(i) {
            Domain::Input(i) => &self.inputs[i].1,
            _ => &[],
        };
        let last = values.len().saturating_sub(1);
        [0, last]
            .into_iter()
            .filter(move |&s| !matches!(values.get(s), Some(Sample::Text(_)) | None))
            .map(|s| s as u16)
    }

    /// Domain indices of the tracked tests `expr` makes.
    pub fn tests_in(&self, expr: &Expr) -> Vec<usize> {
        let mut found = Vec::new();
        tracked_tests(expr, &mut |test| {
            found.extend(self.test_index(&test.input, test.op, &test.literal))
        });
        found
    }
}

/// Groups the MatchesPath tests by input (`input_of`) and anchor place; a group needs two
/// anchors at least (one anchor tells nothing a test does not).
fn group_tests<'s>(
    tests: &[Test],
    input_of: impl Fn(&Input) -> Option<(usize, Option<&'s [Sample]>)>,
) -> (Vec<Group>, Vec<Option<(usize, u16)>>) {
    let anchors: Vec<Option<((Input, usize), String)>> = tests
        .iter()
        .map(|test| {
            let (place, text) =
                path_pattern_anchor(&test.literal).filter(|_| test.op == Op::MatchesPath)?;
            Some(((test.input.clone(), place), text))
        })
        .collect();
    let mut by_place: BTreeMap<&(Input, usize), Vec<&String>> = BTreeMap::new();
    for (key, text) in anchors.iter().flatten() {
        by_place.entry(key).or_default().push(text);
    }
    let mut groups = Vec::new();
    let mut index: BTreeMap<&(Input, usize), usize> = BTreeMap::new();
    for (key, mut texts) in by_place {
        texts.sort();
        texts.dedup();
        let Some((input, own)) =
            input_of(&key.0).filter(|_| (2..u16::MAX as usize).contains(&texts.len()))
        else {
            continue;
        };
        let values: Vec<String> = texts.into_iter().cloned().collect();
        let place = key.1;
        let of_samples = own
            .unwrap_or_default()
            .iter()
            .map(|sample| match sample {
                Sample::Text(text) => {
                    let element = text.split('/').nth(place);
                    let found =
                        element.and_then(|e| values.binary_search_by(|v| v.as_str().cmp(e)).ok());
                    Some(found.unwrap_or(values.len()) as u16)
                }
                Sample::Absent => Some(values.len() as u16),
                Sample::Other => None,
            })
            .collect();
        index.insert(key, groups.len());
        groups.push(Group {
            input,
            values,
            of_samples,
        });
    }
    let test_groups = anchors
        .iter()
        .map(|anchor| {
            let (key, text) = anchor.as_ref()?;
            let g = *index.get(key)?;
            let value = groups[g].values.binary_search(text).ok()?;
            Some((g, value as u16))
        })
        .collect();
    (groups, test_groups)
}

fn is_request_path(name: &str) -> bool {
    name.eq_ignore_ascii_case("request.path")
}

/// Calls `f` for each `input op literal` comparison whose operator is tracked.
fn tracked_tests(expr: &Expr, f: &mut impl FnMut(Test)) {
    match &expr.kind {
        ExprKind::Or(a, b) | ExprKind::And(a, b) => {
            tracked_tests(a, f);
            tracked_tests(b, f);
        }
        ExprKind::Not(e) => tracked_tests(e, f),
        ExprKind::Bare(_) => {}
        ExprKind::Compare(c) => {
            if let (OperandKind::Variable { name, .. }, Some(literal)) =
                (&c.lhs.kind, literal_text(&c.rhs))
            {
                if let Some(input) = Input::of(name.as_str()).filter(|_| is_tracked(c.op)) {
                    f(Test {
                        input,
                        op: c.op,
                        literal,
                    });
                }
            }
        }
    }
}

/// Calls `f` for each comparison of an input with a literal (or with anything: `None`).
fn comparisons(expr: &Expr, f: &mut impl FnMut(Input, Op, Option<String>)) {
    match &expr.kind {
        ExprKind::Or(a, b) | ExprKind::And(a, b) => {
            comparisons(a, f);
            comparisons(b, f);
        }
        ExprKind::Not(e) => comparisons(e, f),
        ExprKind::Bare(o) => {
            if let OperandKind::Variable { name, .. } = &o.kind {
                if let Some(input) = Input::of(name) {
                    f(input, Op::Equals, None);
                }
            }
        }
        ExprKind::Compare(c) => {
            for (side, other) in [(&c.lhs, &c.rhs), (&c.rhs, &c.lhs)] {
                let OperandKind::Variable { name, .. } = &side.kind else {
                    continue;
                };
                let Some(input) = Input::of(name) else {
                    continue;
                };
                let literal = match &other.kind {
                    OperandKind::Str(s) => Some(s.clone()),
                    OperandKind::Number(n) => Some(n.to_string()),
                    OperandKind::Bool(b) => Some(b.to_string()),
                    OperandKind::Null | OperandKind::Variable { .. } => None,
                };
                f(input, c.op, literal);
            }
        }
    }
}

/// Values that make a comparison with `literal` true, and near misses that make it false.
fn witnesses_for(op: Op, literal: &str) -> Vec<String> {
    match op {
        Op::EqualsCaseInsensitive => vec![
            literal.to_owned(),
            literal.to_uppercase(),
            literal.to_lowercase(),
        ],
        Op::StartsWith => vec![literal.to_owned(), format!("{literal}x")],
        Op::Matches | Op::NotMatches => vec![literal.replace('*', ""), literal.replace('*', "x")],
        Op::MatchesPath => path_witnesses(literal),
        Op::GreaterThan | Op::GreaterThanOrEquals | Op::LesserThan | Op::LesserThanOrEquals => {
            match literal.parse::<i64>() {
                Ok(n) => vec![(n - 1).to_string(), n.to_string(), (n + 1).to_string()],
                Err(_) => vec![literal.to_owned()],
            }
        }
        // A regex witness would add precision only; `Other` keeps the answer sound.
        Op::Equals | Op::NotEquals | Op::JavaRegex => vec![literal.to_owned()],
    }
}

/// Paths a MatchesPath pattern matches: `*` and `{name}` as one element, `**` as one and as
/// two elements, `%c` as `c`.
fn path_witnesses(pattern: &str) -> Vec<String> {
    let one_level = |deep: &str| {
        let mut out = String::new();
        let mut chars = pattern.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '%' => out.extend(chars.next()),
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    out.push_str(deep);
                }
                '*' => out.push('x'),
                '{' => {
                    for inner in chars.by_ref() {
                        if inner == '}' {
                            break;
                        }
                    }
                    out.push('x');
                }
                other => out.push(other),
            }
        }
        out
    };
    vec![one_level("x"), one_level("x/y")]
}

#[cfg(test)]
mod tests {
    use super::super::condition::parse;
    use super::*;

    #[test]
    fn classifies_request_variables() {
        assert_eq!(Input::of("request.verb"), Some(Input::Verb));
        assert_eq!(
            Input::of("request.header.Content-Type"),
            Some(Input::Header("content-type".into()))
        );
        assert_eq!(
            Input::of("request.formparam.grant_type"),
            Some(Input::FormParam("grant_type".into()))
        );
        assert_eq!(Input::of("request.header.accept.values.count"), None);
        assert_eq!(Input::of("request.header."), None);
        assert_eq!(Input::of("oauthV2.OA-Verify.failed"), None);
    }

    #[test]
    fn path_tests_anchored_at_one_place_share_a_group() {
        let conditions = [
            r#"proxy.pathsuffix MatchesPath "/r1/*""#,
            r#"proxy.pathsuffix MatchesPath "/r2/*""#,
            r#"proxy.pathsuffix MatchesPath "/r1/x/**""#,
            r#"proxy.pathsuffix MatchesPath "/{id}/r2""#,
            r#"request.header.x MatchesPath "/r3/*""#,
        ];
        let parsed: Vec<Expr> = conditions
            .iter()
            .map(|c| parse(c).unwrap().unwrap())
            .collect();
        let samples = Samples::collect(&parsed, None);
        let group_of = |input: Input, literal: &str| {
            let t = samples
                .test_index(&input, Op::MatchesPath, literal)
                .unwrap();
            samples.test_group(t)
        };
        let (group, r1) = group_of(Input::PathSuffix, "/r1/*").unwrap();
        assert_eq!(samples.domain(group), Domain::Group(0));
        assert_eq!(samples.groups[0].values, ["r1", "r2"]);
        assert_eq!(group_of(Input::PathSuffix, "/r2/*"), Some((group, 1 - r1)));
        assert_eq!(
            group_of(Input::PathSuffix, "/r1/x/**"),
            Some((group, r1)),
            "one anchor, two tests: both may pass"
        );
        assert_eq!(
            group_of(Input::PathSuffix, "/{id}/r2"),
            None,
            "alone at its place"
        );
        assert_eq!(
            group_of(Input::Header("x".into()), "/r3/*"),
            None,
            "another input"
        );
        assert_eq!(
            samples.input_of(group),
            samples.index(&Input::PathSuffix).unwrap()
        );
    }

    #[test]
    fn samples_cover_literals_patterns_absence_and_the_rest() {
        let conditions = [
            r#"(proxy.pathsuffix MatchesPath "/orders/{id}/**") and (request.verb = "POST")"#,
            r#"request.header.X-Debug != null or request.verb = "GET""#,
        ];
        let parsed: Vec<Expr> = conditions
            .iter()
            .map(|c| parse(c).unwrap().unwrap())
            .collect();
        let samples = Samples::collect(&parsed, None);
        let show = |input: Input| -> Vec<String> {
            samples.inputs[samples.index(&input).unwrap()]
                .1
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            show(Input::Verb),
            ["\"GET\"", "\"POST\"", "any other value"]
        );
        assert_eq!(
            show(Input::PathSuffix),
            [
                "absent",
                "\"\"",
                "\"/orders/x/x\"",
                "\"/orders/x/x/y\"",
                "any other value"
            ]
        );
        assert_eq!(
            show(Input::Header("x-debug".into())),
            ["absent", "any other value"]
        );
    }
}
