//! Syntax tree of a condition, its canonical printer and tree queries.

use std::fmt;

use super::lexer::is_plain_variable_name;

/// Byte offsets into the condition text given to [`super::parse`].
pub type ByteRange = std::ops::Range<usize>;

/// One node of a parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: ByteRange,
    /// Written inside its own `( … )` in the source; `span` then includes the parentheses.
    pub parenthesized: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Comparison),
    /// A lone operand used as a condition, e.g. `flow.cachehit` or `true`.
    Bare(Operand),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub lhs: Operand,
    pub op: Op,
    /// Span of the relational operator token only (not of an infix `not`).
    pub op_span: ByteRange,
    /// The operator as written, e.g. `==`, `EQUALS`, `Is`.
    pub op_text: String,
    /// Infix `not`: `x not MatchesPath "/a"`, and `x is not null`.
    pub negated: bool,
    pub rhs: Operand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Equals,
    NotEquals,
    EqualsCaseInsensitive,
    GreaterThan,
    GreaterThanOrEquals,
    LesserThan,
    LesserThanOrEquals,
    JavaRegex,
    Matches,
    MatchesPath,
    StartsWith,
    /// `!~`: only mentioned in the documented null table; read as "not Matches" (low confidence).
    NotMatches,
}

impl Op {
    /// Canonical spelling used by the printer.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Equals => "=",
            Op::NotEquals => "!=",
            Op::EqualsCaseInsensitive => ":=",
            Op::GreaterThan => ">",
            Op::GreaterThanOrEquals => ">=",
            Op::LesserThan => "<",
            Op::LesserThanOrEquals => "<=",
            Op::JavaRegex => "~~",
            Op::Matches => "~",
            Op::MatchesPath => "~/",
            Op::StartsWith => "=|",
            Op::NotMatches => "!~",
        }
    }

    /// Documented word form, for messages (`!~` has none, its symbol is returned).
    pub fn word(self) -> &'static str {
        match self {
            Op::Equals => "Equals",
            Op::NotEquals => "NotEquals",
            Op::EqualsCaseInsensitive => "EqualsCaseInsensitive",
            Op::GreaterThan => "GreaterThan",
            Op::GreaterThanOrEquals => "GreaterThanOrEquals",
            Op::LesserThan => "LesserThan",
            Op::LesserThanOrEquals => "LesserThanOrEquals",
            Op::JavaRegex => "JavaRegex",
            Op::Matches => "Matches",
            Op::MatchesPath => "MatchesPath",
            Op::StartsWith => "StartsWith",
            Op::NotMatches => "!~",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    pub kind: OperandKind,
    pub span: ByteRange,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OperandKind {
    /// A flow variable reference; `quoted` for the `'single-quoted'` form.
    Variable {
        name: String,
        quoted: bool,
    },
    Str(String),
    Number(Number),
    Null,
    Bool(bool),
}

/// A numeric literal, typed by Java literal rules: no suffix and no `.` is `Int`,
/// a `.` without suffix is `Double`, `f`/`F` is `Float`, `d`/`D` is `Double`,
/// `l`/`L` is `Long`. `Int` keeps the full `i64` range: comparisons widen anyway,
/// so a Java `int` overflow would change nothing observable here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Long(i64),
    Float(f32),
    Double(f64),
}

impl Expr {
    /// Every variable operand, in source order.
    pub fn variables(&self) -> Vec<&Operand> {
        let mut out = Vec::new();
        self.collect_variables(&mut out);
        out
    }

    fn collect_variables<'a>(&'a self, out: &mut Vec<&'a Operand>) {
        match &self.kind {
            ExprKind::Or(a, b) | ExprKind::And(a, b) => {
                a.collect_variables(out);
                b.collect_variables(out);
            }
            ExprKind::Not(e) => e.collect_variables(out),
            ExprKind::Compare(c) => {
                for o in [&c.lhs, &c.rhs] {
                    if matches!(o.kind, OperandKind::Variable { .. }) {
                        out.push(o);
                    }
                }
            }
            ExprKind::Bare(o) => {
                if matches!(o.kind, OperandKind::Variable { .. }) {
                    out.push(o);
                }
            }
        }
    }

    /// How many terms it has: each operand, each comparison operator, and each `and`, `or`
    /// and `not` (`a = "x" and b` has five). Parentheses and layout do not count.
    pub fn terms(&self) -> usize {
        match &self.kind {
            ExprKind::Or(a, b) | ExprKind::And(a, b) => 1 + a.terms() + b.terms(),
            ExprKind::Not(e) => 1 + e.terms(),
            ExprKind::Compare(_) => 3,
            ExprKind::Bare(_) => 1,
        }
    }

    /// Span of the first (outermost, leftmost) `or` that has an unparenthesised `and`
    /// as a direct operand, or vice versa: the reader must know that `and` binds
    /// tighter, and apigeelint reads these differently from the runtime.
    pub fn mixes_and_or_without_parens(&self) -> Option<ByteRange> {
        let mixed = |child: &Expr| {
            !child.parenthesized
                && matches!(
                    (&self.kind, &child.kind),
                    (ExprKind::Or(..), ExprKind::And(..)) | (ExprKind::And(..), ExprKind::Or(..))
                )
        };
        match &self.kind {
            ExprKind::Or(a, b) | ExprKind::And(a, b) => {
                if mixed(a) || mixed(b) {
                    return Some(self.span.clone());
                }
                a.mixes_and_or_without_parens()
                    .or_else(|| b.mixes_and_or_without_parens())
            }
            ExprKind::Not(e) => e.mixes_and_or_without_parens(),
            ExprKind::Compare(_) | ExprKind::Bare(_) => None,
        }
    }

    /// Same tree ignoring spans, parentheses, operator spelling and variable quoting:
    /// what the runtime would evaluate. `parse(&e.to_string())` is always `same_tree` as `e`.
    pub fn same_tree(&self, other: &Expr) -> bool {
        match (&self.kind, &other.kind) {
            (ExprKind::Or(a, b), ExprKind::Or(c, d))
            | (ExprKind::And(a, b), ExprKind::And(c, d)) => a.same_tree(c) && b.same_tree(d),
            (ExprKind::Not(a), ExprKind::Not(b)) => a.same_tree(b),
            (ExprKind::Compare(a), ExprKind::Compare(b)) => {
                a.op == b.op
                    && a.negated == b.negated
                    && a.lhs.same_value(&b.lhs)
                    && a.rhs.same_value(&b.rhs)
            }
            (ExprKind::Bare(a), ExprKind::Bare(b)) => a.same_value(b),
            _ => false,
        }
    }
}

impl Operand {
    /// Same operand ignoring span and quoting style.
    pub fn same_value(&self, other: &Operand) -> bool {
        match (&self.kind, &other.kind) {
            (OperandKind::Variable { name: a, .. }, OperandKind::Variable { name: b, .. }) => {
                a == b
            }
            (a, b) => a == b,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Canonical printer: symbol operators, `!` for negation, source parentheses dropped and
// parentheses added around every `and` under an `or`, every right-nested chain and
// every `!(comparison)`, so that the printed form needs no precedence knowledge to read
// (and never trips `mixes_and_or_without_parens`). An infix-negated comparison prints
// as `x not = null`.

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Or(a, b) => {
                write_child(f, a, matches!(a.kind, ExprKind::And(..)))?;
                f.write_str(" or ")?;
                write_child(f, b, matches!(b.kind, ExprKind::And(..) | ExprKind::Or(..)))
            }
            ExprKind::And(a, b) => {
                write_child(f, a, matches!(a.kind, ExprKind::Or(..)))?;
                f.write_str(" and ")?;
                write_child(f, b, matches!(b.kind, ExprKind::And(..) | ExprKind::Or(..)))
            }
            ExprKind::Not(e) => {
                f.write_str("!")?;
                write_child(
                    f,
                    e,
                    !matches!(e.kind, ExprKind::Not(_) | ExprKind::Bare(_)),
                )
            }
            ExprKind::Compare(c) => write!(f, "{c}"),
            ExprKind::Bare(o) => write!(f, "{o}"),
        }
    }
}

fn write_child(f: &mut fmt::Formatter<'_>, e: &Expr, parens: bool) -> fmt::Result {
    if parens {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not = if self.negated { "not " } else { "" };
        write!(f, "{} {not}{} {}", self.lhs, self.op.symbol(), self.rhs)
    }
}

impl fmt::Display for Operand {
    /// A string containing `"` or a variable name containing `'` cannot be written in
    /// the language; such operands (never produced by the parser) print as is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            OperandKind::Variable { name, .. } if is_plain_variable_name(name) => f.write_str(name),
            OperandKind::Variable { name, .. } => write!(f, "'{name}'"),
            OperandKind::Str(s) => write!(f, "\"{s}\""),
            OperandKind::Number(n) => write!(f, "{n}"),
            OperandKind::Null => f.write_str("null"),
            OperandKind::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Rust's float Display is the shortest round-trip form and never uses an
        // exponent; a `.0` is added so a Double does not read back as an Int.
        fn with_point(s: String) -> String {
            if s.contains('.') {
                s
            } else {
                s + ".0"
            }
        }
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Long(i) => write!(f, "{i}L"),
            Number::Float(x) => write!(f, "{}f", with_point(x.to_string())),
            Number::Double(x) => f.write_str(&with_point(x.to_string())),
        }
    }
}
