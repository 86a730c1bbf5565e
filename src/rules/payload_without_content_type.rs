use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{AssignMessageView, ChangeAction, Policy, PolicyView};

declare_rule!(
    /// An AssignMessage that sets a payload without saying its content type.
    PayloadWithoutContentType,
    "payload-without-content-type",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO031],
    policy_kinds = [AssignMessage],
);

impl Rule for PayloadWithoutContentType {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let PolicyView::AssignMessage(view) = &policy.view else {
            return;
        };
        if names_content_type_header(view) {
            return;
        }
        // `<Remove><Payload>` is a flag: only `<Set>` gives a body.
        let sets = view.changes.iter().filter(|c| c.action == ChangeAction::Set);
        let payloads = sets.filter_map(|c| c.payload.as_ref());
        for payload in payloads.filter(|p| !p.empty && p.content_type.is_none()) {
            let message = format!(
                "`{}` sets a payload without its content type",
                policy.name
            );
            out.push(
                Diagnostic::new(&Self::META, payload.span, message)
                    .primary_label("no `contentType`, and no Content-Type header set")
                    .help(
                        "add `contentType=\"application/json\"` (or the payload's type) to <Payload>: \
                         without it the message keeps the Content-Type it had, that of another body \
                         or none, and clients parse the new body by guesswork",
                    ),
            );
        }
    }
}

/// Does a `<Set>`, `<Add>` or `<Copy>` of the policy give the Content-Type header?
fn names_content_type_header(view: &AssignMessageView) -> bool {
    view.changes.iter().flat_map(|c| &c.headers).any(|h| {
        h.name
            .as_ref()
            .is_some_and(|n| n.value.trim().eq_ignore_ascii_case("content-type"))
    })
}
