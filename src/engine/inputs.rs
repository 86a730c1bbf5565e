//! The request variables a client controls, and the sample values that tell requests apart.
//!
//! For reachability the engine does not enumerate requests; it keeps, for each input variable a
//! proxy's conditions read, a short list of samples: every literal it is compared with (and a
//! value that matches each pattern), absent where it may be, and [`Sample::Other`] for every
//! other value. A request class picks one sample per input; conditions split classes only over
//! the inputs they read, so unrelated inputs never multiply.

use super::condition::{Expr, ExprKind, Lookup, Op, OperandKind, Value};
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

    /// Verb and path are always present; headers and parameters may be absent, and so may the
    /// path suffix of a request for the base path itself (`""` or null is not documented, ○).
    fn may_be_absent(&self) -> bool {
        !matches!(self, Input::Verb | Input::Path)
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
}

impl Samples {
    pub fn collect<'e>(conditions: impl IntoIterator<Item = &'e Expr>) -> Samples {
        let mut witnesses: BTreeMap<Input, Vec<String>> = BTreeMap::new();
        for expr in conditions {
            comparisons(expr, &mut |input, op, literal| {
                let list = witnesses.entry(input).or_default();
                if let Some(literal) = literal {
                    list.extend(witnesses_for(op, &literal));
                }
            });
        }
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
            .collect();
        Samples { inputs }
    }

    pub fn index(&self, input: &Input) -> Option<usize> {
        self.inputs.iter().position(|(i, _)| i == input)
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
    fn samples_cover_literals_patterns_absence_and_the_rest() {
        let conditions = [
            r#"(proxy.pathsuffix MatchesPath "/orders/{id}/**") and (request.verb = "POST")"#,
            r#"request.header.X-Debug != null or request.verb = "GET""#,
        ];
        let parsed: Vec<Expr> = conditions
            .iter()
            .map(|c| parse(c).unwrap().unwrap())
            .collect();
        let samples = Samples::collect(&parsed);
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
