//! Which samples of an input a condition tells apart from the rest.
//!
//! A condition compares an input with a few literals; every text sample that none of those
//! comparisons singles out gets the same verdict from each of them (`= "/a"` is false for all of
//! them, `MatchesPath "/r1/*"` too), so the condition needs to be evaluated for one of them
//! only. An index of the samples by text, by text ignoring case and by path element finds the
//! singled-out ones without evaluating every sample: a proxy generated with thousands of flows
//! compares the path with thousands of literals, one or two a flow.

use super::condition::{path_pattern_anchor, Expr, ExprKind, Op, Operand, OperandKind};
use super::inputs::Sample;
use rustc_hash::FxHashMap;

/// The text samples of one input, indexed.
#[derive(Clone, Debug, Default)]
pub struct SampleIndex {
    exact: FxHashMap<String, u16>,
    /// By ASCII lowercase; samples with other characters are in `unfoldable`.
    folded: FxHashMap<String, Vec<u16>>,
    unfoldable: Vec<u16>,
    /// By `/`-separated element and its place (`/r1/x`: `(1, "r1")`, `(2, "x")`).
    elements: FxHashMap<(usize, String), Vec<u16>>,
}

impl SampleIndex {
    pub fn new(samples: &[Sample]) -> SampleIndex {
        let mut index = SampleIndex::default();
        for (s, sample) in samples.iter().enumerate() {
            let Sample::Text(text) = sample else {
                continue;
            };
            let s = s as u16;
            index.exact.insert(text.clone(), s);
            if text.is_ascii() {
                index
                    .folded
                    .entry(text.to_ascii_lowercase())
                    .or_default()
                    .push(s);
            } else {
                index.unfoldable.push(s);
            }
            for (place, element) in text.split('/').enumerate() {
                index
                    .elements
                    .entry((place, element.to_owned()))
                    .or_default()
                    .push(s);
            }
        }
        index
    }

    /// The sample whose text is `text`.
    pub fn exact(&self, text: &str) -> Option<u16> {
        self.exact.get(text).copied()
    }
}

/// A superset of the text samples of input `input` (of `samples`) for which some comparison of
/// `expr` may answer differently than for the others, sorted; `None` when a comparison reads
/// the input in a way the index cannot narrow (every sample is then evaluated). `reads(name)`
/// says whether a variable name reads the input's samples as they are.
pub fn singled_out(
    expr: &Expr,
    samples: &[Sample],
    index: &SampleIndex,
    reads: &dyn Fn(&str) -> Reading,
) -> Option<Vec<u16>> {
    let mut found = Vec::new();
    collect(expr, samples, index, reads, &mut found)?;
    found.sort_unstable();
    found.dedup();
    Some(found)
}

/// How a variable name relates to the input being expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Another variable: its value does not depend on the input's sample.
    Other,
    /// The sample's text itself.
    Sample,
    /// A value computed from the sample (`request.path` from the path suffix).
    Derived,
}

fn collect(
    expr: &Expr,
    samples: &[Sample],
    index: &SampleIndex,
    reads: &dyn Fn(&str) -> Reading,
    found: &mut Vec<u16>,
) -> Option<()> {
    let reading = |o: &Operand| match &o.kind {
        OperandKind::Variable { name, .. } => reads(name),
        _ => Reading::Other,
    };
    match &expr.kind {
        ExprKind::Or(a, b) | ExprKind::And(a, b) => {
            collect(a, samples, index, reads, found)?;
            collect(b, samples, index, reads, found)
        }
        ExprKind::Not(e) => collect(e, samples, index, reads, found),
        ExprKind::Bare(o) => match reading(o) {
            Reading::Other => Some(()),
            _ => None,
        },
        ExprKind::Compare(c) => {
            // Only `=`, `!=` and `:=` read the same with their sides swapped.
            let (literal, symmetric_only) = match (reading(&c.lhs), reading(&c.rhs)) {
                (Reading::Other, Reading::Other) => return Some(()),
                (Reading::Sample, Reading::Other) => (&c.rhs, false),
                (Reading::Other, Reading::Sample) => (&c.lhs, true),
                _ => return None,
            };
            let text = match &literal.kind {
                OperandKind::Str(s) => s.as_str(),
                // Against null only the absent sample differs, and it is always evaluated.
                OperandKind::Null => return Some(()),
                _ => return None,
            };
            match c.op {
                Op::Equals | Op::NotEquals => found.extend(index.exact.get(text).copied()),
                Op::EqualsCaseInsensitive if text.is_ascii() => {
                    let folded = text.to_ascii_lowercase();
                    found.extend(index.folded.get(&folded).into_iter().flatten().copied());
                    found.extend(&index.unfoldable);
                }
                Op::StartsWith if !symmetric_only => {
                    let key = Sample::Text(text.to_owned());
                    let start = samples.partition_point(|s| *s < key);
                    let prefixed = samples[start..]
                        .iter()
                        .take_while(|s| matches!(s, Sample::Text(t) if t.starts_with(text)));
                    found.extend((start..).zip(prefixed).map(|(s, _)| s as u16));
                }
                Op::MatchesPath if !symmetric_only => {
                    // A path matching the pattern has the anchor's text at its place.
                    let (place, anchor) = path_pattern_anchor(text)?;
                    found.extend(
                        index
                            .elements
                            .get(&(place, anchor))
                            .into_iter()
                            .flatten()
                            .copied(),
                    );
                }
                _ => return None,
            }
            Some(())
        }
    }
}
