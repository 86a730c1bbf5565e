//! The token endpoints that must authenticate their caller first (revocation, introspection):
//! where a request reaches such a policy with no check of the caller before it.

use super::{Context, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

/// A finding, with `message` and `help`, at each Step of `policy` that some request runs by a
/// condition the engine decides, with no policy that checks the caller
/// ([`crate::engine::Engine::checks_caller`]) run before it on its way.
pub(super) fn report_unchecked(
    cx: &Context,
    policy: &Policy,
    meta: &'static RuleMeta,
    message: &str,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    for &step in cx.project.attachments_of(policy.id) {
        if !cx.engine.step_may_run(step)
            || !cx
                .engine
                .may_run_without(step, |p| cx.engine.checks_caller(p))
        {
            continue;
        }
        out.push(
            Diagnostic::new(meta, cx.project.step(step).name_span, message)
                .primary_label(
                    "no VerifyAPIKey, credential check or caller check runs before this step",
                )
                .help(help),
        );
    }
}
