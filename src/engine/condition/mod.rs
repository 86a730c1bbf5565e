//! Apigee condition language: parser, canonical printer and three-valued evaluator.
//!
//! Implements reference §5 (`shared/docs/apigee-oauth-reference.md`). Conditions are
//! parsed from XML-decoded text with Java precedence (`not` > comparison > `and` >
//! `or`) and evaluated in Kleene logic: wherever the answer depends on an
//! unconfirmed (○) fact or an open question (§8), evaluation yields
//! [`Truth::Unknown`] instead of guessing. Each file documents its own decisions:
//!
//! * `lexer.rs`: tokens, number literal typing, variable-name characters;
//! * `parser.rs`: grammar, infix `not`, `is not null`, nesting limits;
//! * `ast.rs`: the tree, the canonical printer, tree queries;
//! * `value.rs`: coercion; `eval.rs`: the null table, bare operands, negation;
//! * `pattern.rs`: `Matches`, `MatchesPath`, `StartsWith`; `java_regex.rs`: `JavaRegex`.
//!
//! This module refers to its siblings only through `super::`/`self::` paths so that it
//! can be mounted anywhere in a crate.

mod ast;
mod error;
mod eval;
mod java_regex;
mod lexer;
mod parser;
mod pattern;
mod truth;
mod value;

#[cfg(test)]
mod tests;

pub use self::ast::{ByteRange, Comparison, Expr, ExprKind, Number, Op, Operand, OperandKind};
pub use self::error::SyntaxError;
pub use self::eval::{eval, eval_condition, literal_text, Env, Lookup};
pub use self::java_regex::java_regex_matches;
pub use self::parser::parse;
pub use self::pattern::{
    glob_matches, matches_path, path_pattern_anchor, path_pattern_excludes_base, starts_with,
};
pub use self::truth::Truth;
pub use self::value::Value;
