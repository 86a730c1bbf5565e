use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{AssignMessageView, ChangeAction, Policy, PolicyView};

declare_rule!(
    /// An AssignMessage with nothing to do: no change, no variable, no new message; or an empty `<Set>` or `<Add>`.
    AssignMessageDoesNothing,
    "assign-message-does-nothing",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO034],
    policy_kinds = [AssignMessage],
);

impl Rule for AssignMessageDoesNothing {
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
        if view.changes.is_empty() && view.assign_variables.is_empty() && !creates_message(view) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    policy.name_span,
                    format!("AssignMessage `{}` does nothing", policy.name),
                )
                .primary_label("no <Set>, <Add>, <Copy>, <Remove> or <AssignVariable>")
                .help(
                    "add the change the policy was meant to make, or remove the policy and its Steps: \
                     as it is, every run costs a step and changes nothing",
                ),
            );
        }
        let empty = view.changes.iter().filter(|c| {
            c.empty && matches!(c.action, ChangeAction::Set | ChangeAction::Add)
        });
        for change in empty {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    change.span,
                    format!("`{}` has an empty <{}>", policy.name, change.action.tag_name()),
                )
                .primary_label("changes nothing")
                .help("write what it should set or add (<Headers>, <QueryParams>, <Payload>, …), or remove it"),
            );
        }
    }
}

/// `<AssignTo createNew="true">`: the policy makes a message, even with nothing in it.
fn creates_message(view: &AssignMessageView) -> bool {
    view.assign_to_element
        .as_ref()
        .and_then(|a| a.create_new.as_ref())
        .is_some_and(|f| f.is_true())
}
