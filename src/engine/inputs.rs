//! The request variables a client controls, and the sample values that tell requests apart.
//!
//! For reachability the engine does not enumerate requests; it keeps, for each input variable a
//! proxy's conditions read, a short list of samples: every literal it is compared with (and a
//! value that matches each pattern), absent where it may be, and [`Sample::Other`] for every
//! other value. A request class picks one sample per input; conditions split classes only over
//! the inputs they read, so unrelated inputs never multiply.

use super::condition::{
    literal_text, path_pattern_anchor, Expr, ExprKind, Lookup, Op, OperandKind, Value,
};
use super::sample_index::{singled_out, Reading, SampleIndex};
use std::collections::BTreeMap;

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
    /// Each MatchesPath test's anchor (see `path_pattern_anchor`): the group of its input and
    /// the anchor's place, and the anchor's text. Tests of one group whose texts differ
    /// exclude each other (`/r1/*` and `/r2/*`): no value passes both.
    anchors: Vec<Option<(usize, String)>>,
    /// By input: its text samples indexed, to find those a condition singles out.
    index: Vec<SampleIndex>,
    /// The endpoint's base path when the bundle fixes it (see `paths`): `request.path` is then
    /// that base path followed by the path suffix, and reads the path suffix's samples.
    /// Without it `request.path` is unknown.
    pub base: Option<String>,
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
        let mut tests: Vec<Test> = Vec::new();
        for expr in &exprs {
            tracked_tests(expr, &mut |test| {
                if (test.input != Input::Path || base.is_some()) && !tests.contains(&test) {
                    tests.push(test);
                }
            });
        }
        tests.sort_by(|a, b| {
            (&a.input, format!("{:?}", a.op), &a.literal).cmp(&(
                &b.input,
                format!("{:?}", b.op),
                &b.literal,
            ))
        });
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
        let mut groups: rustc_hash::FxHashMap<(Input, usize), usize> = Default::default();
        let anchors = tests
            .iter()
            .map(|test| {
                let (place, text) =
                    path_pattern_anchor(&test.literal).filter(|_| test.op == Op::MatchesPath)?;
                let next = groups.len();
                let group = *groups.entry((test.input.clone(), place)).or_insert(next);
                Some((group, text))
            })
            .collect();
        let mut samples = Samples {
            anchors,
            index: inputs.iter().map(|(_, s)| SampleIndex::new(s)).collect(),
            canonical: inputs.iter().map(|(i, _)| i.to_string()).collect(),
            input_index: inputs
                .iter()
                .enumerate()
                .map(|(i, (input, _))| (input.clone(), i))
                .collect(),
            inputs,
            tests,
            tests_by_literal,
            names: Default::default(),
            base,
        };
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

    /// The domain index of the input that domain index `d` (an input or a test) reads.
    pub fn input_of(&self, d: usize) -> usize {
        d.checked_sub(self.inputs.len())
            .and_then(|t| self.index(&self.tests[t].input))
            .unwrap_or(d)
    }

    /// Do the tests at domain indices `a` and `b` exclude each other (no value passes both)?
    pub fn excludes(&self, a: usize, b: usize) -> bool {
        let anchor = |d: usize| {
            d.checked_sub(self.inputs.len())
                .and_then(|t| self.anchors[t].as_ref())
        };
        matches!((anchor(a), anchor(b)), (Some((ga, ta)), Some((gb, tb))) if ga == gb && ta != tb)
    }

    /// The text samples of input `i` that some comparison of `expr` may answer differently for
    /// than for the other text samples (a superset, sorted); `None`: every sample may differ.
    pub fn singled_out(&self, expr: &Expr, i: usize) -> Option<Vec<u16>> {
        let reads = |name: &str| match self.input_named(name) {
            Some(j) if j != i => Reading::Other,
            Some(_) if is_request_path(name) => Reading::Derived,
            Some(_) => Reading::Sample,
            None => Reading::Other,
        };
        singled_out(expr, &self.inputs[i].1, &self.index[i], &reads)
    }

    /// The samples of input `i` that are not texts: absent, first, and any other value, last.
    pub fn untexted(&self, i: usize) -> impl Iterator<Item = u16> + '_ {
        let values = &self.inputs[i].1;
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
    fn path_tests_with_different_anchors_exclude_each_other() {
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
        let test = |input: Input, literal: &str| {
            samples
                .test_index(&input, Op::MatchesPath, literal)
                .unwrap()
        };
        let r1 = test(Input::PathSuffix, "/r1/*");
        let r2 = test(Input::PathSuffix, "/r2/*");
        let r1x = test(Input::PathSuffix, "/r1/x/**");
        let id_r2 = test(Input::PathSuffix, "/{id}/r2");
        let header = test(Input::Header("x".into()), "/r3/*");
        assert!(samples.excludes(r1, r2) && samples.excludes(r2, r1x));
        assert!(!samples.excludes(r1, r1x), "both match /r1/x/y");
        assert!(!samples.excludes(r2, id_r2), "both match /r2/r2");
        assert!(!samples.excludes(r1, header), "another input");
        assert!(!samples.excludes(r1, samples.index(&Input::PathSuffix).unwrap()));
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
