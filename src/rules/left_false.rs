//! A boolean element whose default is the risky choice: absent, or written false.

use super::Context;
use crate::model::{Flag, Policy};
use crate::source::Span;

/// Where a finding about the policy's `<element>` points, and its label, when some request can
/// run the policy and the element is absent (it then defaults to false) or false; `None` when
/// no request runs it, or the element is true, or no boolean (which `invalid-element-value`
/// reports).
pub(super) fn left_false(
    cx: &Context,
    policy: &Policy,
    flag: &Option<Flag>,
    element: &str,
) -> Option<(Span, String)> {
    if !cx.engine.policy_may_run(policy.id) {
        return None;
    }
    match flag {
        None => Some((
            policy.name_span,
            format!("no <{element}>: it defaults to false"),
        )),
        Some(flag) if flag.value == Some(false) => {
            Some((flag.raw.span, format!("<{element}> is false")))
        }
        Some(_) => None,
    }
}
