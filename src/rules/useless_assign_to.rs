use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyView};

declare_rule!(
    /// An AssignMessage `<AssignTo>` that names no message and creates none: it changes nothing.
    UselessAssignTo,
    "useless-assign-to",
    Structure,
    Info,
    preview = true,
    apigeelint = [PO012],
    policy_kinds = [AssignMessage],
);

impl Rule for UselessAssignTo {
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
        let Some(element) = &view.assign_to_element else {
            return;
        };
        // Without `createNew`, Apigee reads false; a value that is no boolean is
        // `invalid-element-value`'s.
        let creates = element.create_new.as_ref().map_or(Some(false), |f| f.value);
        if view.assign_to.is_some() || creates != Some(false) {
            return;
        }
        let message = format!(
            "`{}`'s <AssignTo> names no message and creates none: it changes nothing",
            policy.name
        );
        out.push(
            Diagnostic::new(&Self::META, element.span, message)
                .primary_label("no message named, none created")
                .help(
                    "remove it: without a message name the policy works on the message of the flow \
                     it runs in (the request in a request flow, the response in a response flow), \
                     whatever `type` says; to change another message, name it \
                     (`<AssignTo>response</AssignTo>`), or create one with `createNew=\"true\"`",
                ),
        );
    }
}
