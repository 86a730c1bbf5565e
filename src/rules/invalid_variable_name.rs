use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A ServiceCallout `<Response>` that names no variable: empty, or holding blanks or braces.
    InvalidVariableName,
    "invalid-variable-name",
    Structure,
    Warning,
    preview = true,
    apigeelint = [PO036],
    policy_kinds = [ServiceCallout],
);

impl Rule for InvalidVariableName {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.service_callout() else {
            return;
        };
        let Some(tag) = view.response_tag else {
            return;
        };
        let (span, problem) = match &view.response_variable {
            None => (tag, "is empty".to_owned()),
            Some(name) if name.value.contains(|c: char| c.is_whitespace() || c == '{' || c == '}') => {
                (name.span, format!("`{}` is no variable name", name.value.trim()))
            }
            Some(_) => return,
        };
        out.push(
            Diagnostic::new(
                &Self::META,
                span,
                format!("ServiceCallout `{}`'s <Response> {problem}", policy.name),
            )
            .primary_label("where the callout's response is stored")
            .help(
                "name the variable that holds the response, without blanks or braces \
                 (`<Response>jwksResponse</Response>`), and read it as `jwksResponse.content`; \
                 or remove the element to keep the default, `calloutResponse`",
            ),
        );
    }
}
