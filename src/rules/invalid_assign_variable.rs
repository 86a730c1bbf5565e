use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyView};

declare_rule!(
    /// An AssignVariable `<Ref>` written as a template, or a `<PropertySetRef>` that names no property.
    InvalidAssignVariable,
    "invalid-assign-variable",
    Structure,
    Warning,
    preview = true,
    apigeelint = [PO026],
    policy_kinds = [AssignMessage],
);

impl Rule for InvalidAssignVariable {
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
        for assign in &view.assign_variables {
            if let Some(reference) = assign.reference.as_ref().filter(|r| r.is_dynamic()) {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        reference.span,
                        format!(
                            "`{}`'s <Ref> `{}` is a template, not a variable name",
                            policy.name,
                            reference.value.trim()
                        ),
                    )
                    .primary_label("read as the name of a variable, braces included")
                    .help(
                        "write the variable's name without braces (`<Ref>request.header.user-agent</Ref>`); \
                         to build a value from variables, use `<Template>` instead",
                    ),
                );
            }
            if let Some(property) = assign
                .property_set_ref
                .as_ref()
                .filter(|p| !p.is_dynamic() && !p.value.trim().is_empty() && !p.value.contains('.'))
            {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        property.span,
                        format!(
                            "`{}`'s <PropertySetRef> `{}` names no property",
                            policy.name,
                            property.value.trim()
                        ),
                    )
                    .primary_label("not `property_set.property`")
                    .help(
                        "name the property set and the property, joined by a dot \
                         (`<PropertySetRef>settings.backend_url</PropertySetRef>`), or a \
                         variable holding that name in braces",
                    ),
                );
            }
        }
    }
}

