//! The XSD 1.1 assertions the catalog understands. Most assertions in the schemas count child
//! elements (`count(A) le 1 and count(B) = 1`, or "exactly one of A, B"); those become element
//! bounds and groups. A few on values mean a type the catalog has (an integer, a boolean, no
//! text). Every other assertion is kept as written and not checked.

use super::model::Value;

/// What an assertion on a complex type means for the catalog.
#[derive(Debug, PartialEq, Eq)]
pub enum Meaning {
    /// Each named element appears between `min` and `max` times.
    Bounds(Vec<Bound>),
    /// Between `min` and `max` of `names` appear.
    Group {
        names: Vec<String>,
        min: u32,
        max: u32,
    },
    /// The element's text is of this type (`None`: it holds no text).
    Text(Option<Value>),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Bound {
    pub name: String,
    pub min: u32,
    pub max: u32,
}

/// An `xs:assert` on a complex type, if the catalog can say what it means.
pub fn on_type(test: &str) -> Option<Meaning> {
    let test = normalize(test);
    match test.as_str() {
        ". = ''" => return Some(Meaning::Text(None)),
        // textXorChildren (AssignMessage Copy/Remove Headers…): `true`, `false` or children.
        "normalize-space(.) = 'true' or normalize-space(.) = 'false' or normalize-space(.) = ''" => {
            return Some(Meaning::Text(Some(Value::Boolean)))
        }
        // An integer, or no text; or no text when a `ref` names the variable that holds it
        // (read loosely: Apigee falls back to the text when the variable is not set).
        "(string-length($value) = 0) or ($value castable as xs:integer)"
        | "(exists(@ref) and $value = '') or ((not(exists(@ref)) or @ref = '') and $value castable as xs:integer)"
        | "(exists(@ref) and . = '') or (not(exists(@ref)) and . castable as xs:integer)" => {
            return Some(Meaning::Text(Some(Value::Integer)))
        }
        _ => {}
    }
    let disjuncts = Parser::new(&test)?.expression()?;
    match disjuncts.as_slice() {
        [conjunction] => Some(Meaning::Bounds(bounds(conjunction)?)),
        _ => at_least_one(&disjuncts).or_else(|| exactly_one(&disjuncts)),
    }
}

/// An `xs:assertion` on a simple type, if it means a value type the catalog has.
pub fn on_value(test: &str) -> Option<Value> {
    match normalize(test).as_str() {
        "$value castable as xs:integer" => Some(Value::Integer),
        "($value = '') or matches($value, '(true|false)')" => Some(Value::Boolean),
        _ => None,
    }
}

/// The test with its white space collapsed, as the generated file records it.
pub fn normalize(test: &str) -> String {
    test.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `count(name) op number`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Atom {
    name: String,
    op: Op,
    number: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Le,
    Lt,
    Ge,
    Gt,
}

fn bounds(conjunction: &[Atom]) -> Option<Vec<Bound>> {
    conjunction
        .iter()
        .map(|atom| {
            let n = atom.number;
            let (min, max) = match atom.op {
                Op::Eq => (n, n),
                Op::Le => (0, n),
                Op::Lt => (0, n.checked_sub(1)?),
                Op::Ge => (n, u32::MAX),
                Op::Gt => (n.checked_add(1)?, u32::MAX),
            };
            let name = atom.name.clone();
            Some(Bound { name, min, max })
        })
        .collect()
}

/// `count(A) = 1 or count(B) = 1 or …`: at least one of them.
fn at_least_one(disjuncts: &[Vec<Atom>]) -> Option<Meaning> {
    let names = disjuncts
        .iter()
        .map(|d| match d.as_slice() {
            [Atom {
                name,
                op: Op::Eq,
                number: 1,
            }] => Some(name.clone()),
            _ => None,
        })
        .collect::<Option<Vec<String>>>()?;
    let max = names.len() as u32;
    Some(Meaning::Group { names, min: 1, max })
}

/// `(count(A) = 1 and count(B) = 0) or (count(A) = 0 and count(B) = 1)`: exactly one of them;
/// with a disjunct where every count is 0, at most one.
fn exactly_one(disjuncts: &[Vec<Atom>]) -> Option<Meaning> {
    let mut names: Vec<String> = disjuncts[0].iter().map(|a| a.name.clone()).collect();
    names.sort();
    let mut chosen = Vec::new();
    let mut none_allowed = false;
    for disjunct in disjuncts {
        let mut these: Vec<&str> = disjunct.iter().map(|a| a.name.as_str()).collect();
        these.sort();
        if these != names || disjunct.iter().any(|a| a.op != Op::Eq || a.number > 1) {
            return None;
        }
        let ones: Vec<&Atom> = disjunct.iter().filter(|a| a.number == 1).collect();
        match ones.as_slice() {
            [] => none_allowed = true,
            [one] => chosen.push(one.name.clone()),
            _ => return None,
        }
    }
    chosen.sort();
    chosen.dedup();
    if chosen != names {
        return None;
    }
    // Keep the order the schema writes them in.
    let names = disjuncts[0].iter().map(|a| a.name.clone()).collect();
    let min = u32::from(!none_allowed);
    Some(Meaning::Group { names, min, max: 1 })
}

/// A parser of `or`s of `and`s of [`Atom`]s, with parentheses around an `and` or the whole.
struct Parser {
    tokens: Vec<String>,
    at: usize,
}

impl Parser {
    fn new(test: &str) -> Option<Parser> {
        let mut tokens = Vec::new();
        let mut chars = test.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
            } else if c == '(' || c == ')' {
                tokens.push(c.to_string());
                chars.next();
            } else if "=<>".contains(c) {
                let mut op = String::new();
                while let Some(&c) = chars.peek().filter(|c| "=<>".contains(**c)) {
                    op.push(c);
                    chars.next();
                }
                tokens.push(op);
            } else if c.is_ascii_alphanumeric() || c == '_' {
                let mut word = String::new();
                while let Some(&c) = chars
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '-')
                {
                    word.push(c);
                    chars.next();
                }
                tokens.push(word);
            } else {
                return None;
            }
        }
        Some(Parser { tokens, at: 0 })
    }

    fn next(&mut self) -> Option<&str> {
        let token = self.tokens.get(self.at)?;
        self.at += 1;
        Some(token)
    }

    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn expect(&mut self, token: &str) -> Option<()> {
        (self.next()? == token).then_some(())
    }

    /// The whole test, as disjuncts of conjunctions.
    fn expression(mut self) -> Option<Vec<Vec<Atom>>> {
        let disjuncts = self.disjunction()?;
        (self.at == self.tokens.len()).then_some(disjuncts)
    }

    fn disjunction(&mut self) -> Option<Vec<Vec<Atom>>> {
        let mut disjuncts = vec![self.conjunction()?];
        while self.peek() == Some("or") {
            self.next();
            disjuncts.push(self.conjunction()?);
        }
        Some(disjuncts)
    }

    fn conjunction(&mut self) -> Option<Vec<Atom>> {
        let mut atoms = self.factor()?;
        while self.peek() == Some("and") {
            self.next();
            atoms.extend(self.factor()?);
        }
        Some(atoms)
    }

    /// An atom, or a parenthesised conjunction.
    fn factor(&mut self) -> Option<Vec<Atom>> {
        if self.peek() == Some("(") {
            self.next();
            let inner = self.disjunction()?;
            self.expect(")")?;
            return match <[_; 1]>::try_from(inner) {
                Ok([conjunction]) => Some(conjunction),
                Err(_) => None,
            };
        }
        self.expect("count")?;
        self.expect("(")?;
        let name = self.next()?.to_owned();
        self.expect(")")?;
        let op = match self.next()? {
            "=" | "eq" => Op::Eq,
            "<=" | "le" => Op::Le,
            "<" | "lt" => Op::Lt,
            ">=" | "ge" => Op::Ge,
            ">" | "gt" => Op::Gt,
            _ => return None,
        };
        let number = self.next()?.parse().ok()?;
        Some(vec![Atom { name, op, number }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(names: &[&str], min: u32, max: u32) -> Option<Meaning> {
        let names = names.iter().map(|n| n.to_string()).collect();
        Some(Meaning::Group { names, min, max })
    }

    #[test]
    fn counts_become_bounds() {
        let bound = |name: &str, min, max| Bound {
            name: name.into(),
            min,
            max,
        };
        assert_eq!(
            on_type("count(Name) = 1 and\n   count(Condition) le 1"),
            Some(Meaning::Bounds(vec![
                bound("Name", 1, 1),
                bound("Condition", 0, 1)
            ]))
        );
        assert_eq!(
            on_type("count(Step) ge 1"),
            Some(Meaning::Bounds(vec![bound("Step", 1, u32::MAX)]))
        );
    }

    #[test]
    fn alternatives_become_groups() {
        assert_eq!(
            on_type("(count(A) eq 1 and count(B) eq 0) or (count(A) eq 0 and count(B) eq 1)"),
            group(&["A", "B"], 1, 1)
        );
        assert_eq!(
            on_type(
                "(count(A) = 1 and count(B) = 0) or (count(A) = 0 and count(B) = 1) or \
                 (count(A) = 0 and count(B) = 0)"
            ),
            group(&["A", "B"], 0, 1)
        );
        assert_eq!(
            on_type("count(A) = 1 or count(B) = 1"),
            group(&["A", "B"], 1, 2)
        );
    }

    #[test]
    fn other_tests_are_not_understood() {
        for test in [
            "(count(X) = 1 and count(Y) = 0 and count(Z) = 0) or (count(X) = 0 and count(Y) = 1 and count(Z) = 1)",
            "(count(AssignTo) = 1 and Operation = 'Encode') or (count(AssignTo) = 0)",
            "count(A) le 1 and (count(B) = 1 or count(C) = 1)",
            "not(exists(*)) or normalize-space(.) = ''",
        ] {
            assert_eq!(on_type(test), None, "{test}");
        }
    }
}
