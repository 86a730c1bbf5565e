use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::vocabulary::PER_REQUEST_VARIABLES;
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A Quota whose `<Identifier>` is a variable Apigee gives a new value on every request, so each request is counted alone.
    QuotaIdentifierPerRequest,
    "quota-identifier-per-request",
    Bundle,
    Warning,
    preview = true,
    policy_kinds = [Quota],
);

impl Rule for QuotaIdentifierPerRequest {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.quota() else {
            return;
        };
        let Some(reference) = view.identifier.as_ref().and_then(|i| i.reference.as_ref()) else {
            return;
        };
        let variable = reference.value.trim();
        if !PER_REQUEST_VARIABLES.contains(&variable) || !cx.engine.policy_may_run(policy.id) {
            return;
        }
        out.push(
            Diagnostic::new(
                &Self::META,
                reference.span,
                format!(
                    "Quota `{}` counts per `{variable}`, which is new on every request: each request \
                     gets a counter of its own",
                    policy.name
                ),
            )
            .primary_label("a new value, and a new counter, for each request")
            .help(
                "count per who calls (`client_id`, `developer.app.name`, `apiproduct.name`), or \
                 leave <Identifier> out for one counter over every request: a counter per request \
                 never reaches the limit, so the Quota limits nothing, and the many counters cost \
                 Apigee resources and scatter the usage reports (Apigee antipattern \"Use \
                 high-cardinality identifiers in Quota policies\")",
            ),
        );
    }
}
