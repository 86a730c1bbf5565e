//! What long-condition and complex-condition share: a measure of the parsed condition, a limit,
//! and one finding when the condition measures more.

use super::RuleMeta;
use crate::diagnostic::Diagnostic;
use crate::engine::condition::Expr;
use crate::engine::ParsedCondition;

/// A size of a condition, and how a finding names it.
pub(super) struct Measure {
    pub of: fn(&Expr) -> usize,
    /// What is counted, plural: `characters`.
    pub unit: &'static str,
    /// The primary label after the count: `characters, written on one line`.
    pub label: &'static str,
    /// The rule's option that sets the limit.
    pub option: &'static str,
    /// Why a large condition is a problem, for the help.
    pub why: &'static str,
}

/// The finding for a condition that measures more than `limit`; none for an unparsable one,
/// which is invalid-condition's.
pub(super) fn oversize(
    meta: &'static RuleMeta,
    parsed: &ParsedCondition,
    limit: usize,
    measure: &Measure,
) -> Option<Diagnostic> {
    let Ok(Some(expr)) = &parsed.parsed else {
        return None;
    };
    let size = (measure.of)(expr);
    if size <= limit {
        return None;
    }
    let unit = measure.unit;
    let message = format!("condition has {size} {unit}, over the {limit} allowed");
    let help = format!(
        "split it: one conditional Flow per path and verb, or a variable set once by a policy \
         and tested here; {} (`{}` of {} sets the limit, {limit} now)",
        measure.why, measure.option, meta.name
    );
    Some(
        Diagnostic::new(meta, parsed.condition.span, message)
            .primary_label(format!("{size} {}", measure.label))
            .help(help),
    )
}
