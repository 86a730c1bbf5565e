//! Parser with Java precedence: `not` > comparison > `and` > `or`.
//!
//! ```text
//! condition  := [ or ]
//! or         := and { ("or" | "||") and }            left-associative
//! and        := not { ("and" | "&&") not }           left-associative
//! not        := ("not" | "!") not | primary
//! primary    := "(" or ")" | operand [ ["not"] relop ["not" after `Is`] operand ]
//! ```
//! A lone operand is a `Bare` condition; an unquoted right-hand word is a variable.
//!
//! The grammar is parsed with explicit operator and operand stacks rather than
//! recursion, so hostile nesting cannot exhaust the call stack; the limits below keep
//! the resulting tree shallow enough for the recursive tree walks (eval, printing,
//! `Drop`).

use super::ast::{ByteRange, Comparison, Expr, ExprKind, Operand, OperandKind};
use super::error::SyntaxError;
use super::lexer::{lex, Tok, Token};

/// Most `(` and `not` open at once.
const MAX_NESTING: usize = 256;
/// Highest tree accepted (a chain of n `and`/`or` is n deep).
const MAX_HEIGHT: usize = 512;

/// Real conditions stay under a kilobyte; a longer one is refused rather than analysed.
pub const MAX_CONDITION_BYTES: usize = 16 * 1024;

/// Parses a condition. `Ok(None)` for empty or whitespace-only text, which Apigee
/// treats as "always true". Past the limits above, the error is `over_limit`.
pub fn parse(text: &str) -> Result<Option<Expr>, SyntaxError> {
    if text.len() > MAX_CONDITION_BYTES {
        return Err(SyntaxError::over_limit(
            format!(
                "condition is {} bytes long, over oauthlint's limit of {MAX_CONDITION_BYTES} \
                 bytes ({} KiB)",
                text.len(),
                MAX_CONDITION_BYTES / 1024
            ),
            0..0,
        ));
    }
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        src: text,
        tokens,
        pos: 0,
        operands: Vec::new(),
        pending: Vec::new(),
    };
    p.run().map(Some)
}

/// An operator waiting for its right operand (or, for `(`, its `)`).
enum Pending {
    Not(ByteRange),
    And(ByteRange),
    Or(ByteRange),
    Paren(ByteRange),
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Finished subtrees with their heights.
    operands: Vec<(Expr, usize)>,
    pending: Vec<Pending>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += usize::from(t.is_some());
        t
    }

    /// Alternates between expecting a condition and expecting what may follow one.
    fn run(&mut self) -> Result<Expr, SyntaxError> {
        // The operator after which a condition is expected, for messages.
        let mut after: Option<Token> = None;
        loop {
            self.condition_start(after.take())?;
            loop {
                let Some(t) = self.next() else {
                    return self.finish();
                };
                match t.tok {
                    Tok::And => {
                        self.reduce(false)?;
                        self.pending.push(Pending::And(t.span.clone()));
                    }
                    Tok::Or => {
                        self.reduce(true)?;
                        self.pending.push(Pending::Or(t.span.clone()));
                    }
                    Tok::RParen => {
                        self.close_paren(&t)?;
                        continue;
                    }
                    _ => {
                        let open = self.pending.iter().any(|p| matches!(p, Pending::Paren(_)));
                        let expected = if open { "`)`" } else { "end of condition" };
                        return Err(SyntaxError::new(
                            format!(
                                "expected `and`, `or` or {expected}, found {}",
                                self.describe(&t)
                            ),
                            t.span,
                        ));
                    }
                }
                after = Some(t);
                break;
            }
        }
    }

    /// Consumes prefix `not`s and `(`s up to and including one comparison or operand.
    fn condition_start(&mut self, mut after: Option<Token>) -> Result<(), SyntaxError> {
        loop {
            let Some(t) = self.next() else {
                return Err(match &after {
                    Some(a) if a.tok == Tok::LParen => {
                        SyntaxError::new("unclosed parenthesis", a.span.clone())
                    }
                    Some(a) => self.missing("a condition", a),
                    None => {
                        SyntaxError::new("expected a condition", self.src.len()..self.src.len())
                    }
                });
            };
            match &t.tok {
                Tok::Not { .. } | Tok::LParen => {
                    let nesting = self
                        .pending
                        .iter()
                        .filter(|p| matches!(p, Pending::Not(_) | Pending::Paren(_)))
                        .count();
                    if nesting >= MAX_NESTING {
                        return Err(too_deep(t.span));
                    }
                    self.pending.push(if t.tok == Tok::LParen {
                        Pending::Paren(t.span.clone())
                    } else {
                        Pending::Not(t.span.clone())
                    });
                    after = Some(t);
                }
                Tok::RParen if after.as_ref().is_some_and(|a| a.tok == Tok::LParen) => {
                    let open = after.map_or(t.span.start, |a| a.span.start);
                    return Err(SyntaxError::new("empty parentheses", open..t.span.end));
                }
                _ => {
                    let Some(lhs) = operand(&t) else {
                        let message = match &after {
                            Some(a) => format!(
                                "expected a condition after `{}`, found {}",
                                self.source_text(a),
                                self.describe(&t)
                            ),
                            None => format!("expected a condition, found {}", self.describe(&t)),
                        };
                        return Err(SyntaxError::new(message, t.span));
                    };
                    let expr = self.comparison(lhs)?;
                    self.operands.push((expr, 1));
                    return self.apply_nots();
                }
            }
        }
    }

    /// Wraps the newest operand in the `not`s directly before it.
    fn apply_nots(&mut self) -> Result<(), SyntaxError> {
        while let Some(Pending::Not(span)) = self.pending.last() {
            let span = span.clone();
            self.pending.pop();
            let (inner, height) = self.pop_operand();
            if height + 1 > MAX_HEIGHT {
                return Err(too_high(span));
            }
            let expr = Expr {
                span: span.start..inner.span.end,
                kind: ExprKind::Not(Box::new(inner)),
                parenthesized: false,
            };
            self.operands.push((expr, height + 1));
        }
        Ok(())
    }

    /// Combines the pending `and`s (and `or`s if `or_too`) on top of the stack.
    fn reduce(&mut self, or_too: bool) -> Result<(), SyntaxError> {
        loop {
            let (op, is_and) = match self.pending.pop() {
                Some(Pending::And(op)) => (op, true),
                Some(Pending::Or(op)) if or_too => (op, false),
                other => {
                    self.pending.extend(other);
                    return Ok(());
                }
            };
            let (rhs, rh) = self.pop_operand();
            let (lhs, lh) = self.pop_operand();
            let height = lh.max(rh) + 1;
            if height > MAX_HEIGHT {
                return Err(too_high(op));
            }
            let span = lhs.span.start..rhs.span.end;
            let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
            let kind = if is_and {
                ExprKind::And(lhs, rhs)
            } else {
                ExprKind::Or(lhs, rhs)
            };
            self.operands.push((
                Expr {
                    kind,
                    span,
                    parenthesized: false,
                },
                height,
            ));
        }
    }

    fn close_paren(&mut self, close: &Token) -> Result<(), SyntaxError> {
        self.reduce(true)?;
        let Some(Pending::Paren(open)) = self.pending.pop() else {
            return Err(SyntaxError::new(
                "unmatched closing parenthesis",
                close.span.clone(),
            ));
        };
        let (mut inner, height) = self.pop_operand();
        inner.span = open.start..close.span.end;
        inner.parenthesized = true;
        self.operands.push((inner, height));
        self.apply_nots()
    }

    fn finish(&mut self) -> Result<Expr, SyntaxError> {
        self.reduce(true)?;
        if let Some(Pending::Paren(open)) = self.pending.last() {
            return Err(SyntaxError::new("unclosed parenthesis", open.clone()));
        }
        Ok(self.pop_operand().0)
    }

    /// Every operator is pushed after its left operand and reduced only after its
    /// right one, so the operand is always there.
    fn pop_operand(&mut self) -> (Expr, usize) {
        self.operands.pop().expect("operator without operand")
    }

    /// After a left operand: an optional (`not`) relational operator and right operand.
    fn comparison(&mut self, lhs: Operand) -> Result<Expr, SyntaxError> {
        let mut negated = false;
        if matches!(self.peek_tok(), Some(Tok::Not { word: true })) {
            let not = self.next().expect("peeked");
            if !matches!(self.peek_tok(), Some(Tok::Rel(_))) {
                return Err(self.missing("an operator", &not));
            }
            negated = true;
        }
        let Some(Tok::Rel(op)) = self.peek_tok().cloned() else {
            let span = lhs.span.clone();
            return Ok(Expr {
                kind: ExprKind::Bare(lhs),
                span,
                parenthesized: false,
            });
        };
        let rel = self.next().expect("peeked");
        let op_text = self.source_text(&rel);
        let mut last = rel.clone();
        // `x is not null` is undocumented and rejected by apigeelint; read it as a
        // negated `Is` so that it means the same as `x IsNot null`.
        if !negated
            && op_text.eq_ignore_ascii_case("is")
            && matches!(self.peek_tok(), Some(Tok::Not { word: true }))
        {
            last = self.next().expect("peeked");
            negated = true;
        }
        let rhs = match self.next() {
            Some(t) => operand(&t).ok_or_else(|| {
                SyntaxError::new(
                    format!(
                        "expected a value after `{}`, found {}",
                        self.source_text(&last),
                        self.describe(&t)
                    ),
                    t.span.clone(),
                )
            })?,
            None => return Err(self.missing("a value", &last)),
        };
        let span = lhs.span.start..rhs.span.end;
        Ok(Expr {
            kind: ExprKind::Compare(Comparison {
                lhs,
                op,
                op_span: rel.span,
                op_text,
                negated,
                rhs,
            }),
            span,
            parenthesized: false,
        })
    }

    /// Input ended where `what` had to follow `after`.
    fn missing(&self, what: &str, after: &Token) -> SyntaxError {
        SyntaxError::new(
            format!("expected {what} after `{}`", self.source_text(after)),
            after.span.clone(),
        )
    }

    /// A token as written in the source.
    fn source_text(&self, t: &Token) -> String {
        self.src.get(t.span.clone()).unwrap_or_default().to_string()
    }

    /// How a found token is named in messages.
    fn describe(&self, t: &Token) -> String {
        match &t.tok {
            Tok::Str(_) => "a string".to_string(),
            Tok::Number(_) => "a number".to_string(),
            Tok::Var(_) | Tok::QuotedVar(_) => "a variable".to_string(),
            _ => format!("`{}`", self.source_text(t)),
        }
    }
}

fn too_deep(span: ByteRange) -> SyntaxError {
    SyntaxError::over_limit(
        format!("condition nests `(` and `not` deeper than oauthlint's limit of {MAX_NESTING}"),
        span,
    )
}

fn too_high(span: ByteRange) -> SyntaxError {
    SyntaxError::over_limit(
        format!(
            "condition is more than {MAX_HEIGHT} levels of `and`, `or` and `not` deep, \
             oauthlint's limit"
        ),
        span,
    )
}

fn operand(t: &Token) -> Option<Operand> {
    let kind = match &t.tok {
        Tok::Var(name) => OperandKind::Variable {
            name: name.clone(),
            quoted: false,
        },
        Tok::QuotedVar(name) => OperandKind::Variable {
            name: name.clone(),
            quoted: true,
        },
        Tok::Str(s) => OperandKind::Str(s.clone()),
        Tok::Number(n) => OperandKind::Number(*n),
        Tok::Null => OperandKind::Null,
        Tok::Bool(b) => OperandKind::Bool(*b),
        _ => return None,
    };
    Some(Operand {
        kind,
        span: t.span.clone(),
    })
}
