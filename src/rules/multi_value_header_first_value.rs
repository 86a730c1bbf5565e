use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::facts::first_value_of_header;
use crate::diagnostic::Diagnostic;
use crate::engine::condition::OperandKind;
use crate::engine::ParsedCondition;
use crate::model::{Policy, PolicyView, Valued};
use crate::source::Span;

declare_rule!(
    /// A condition or AssignMessage that reads only the first value of a header that carries
    /// several (`request.header.Accept` rather than `request.header.Accept.values.string`).
    MultiValueHeaderFirstValue,
    "multi-value-header-first-value",
    Bundle,
    Warning,
    preview = true,
    policy_kinds = [AssignMessage],
);

impl Rule for MultiValueHeaderFirstValue {
    fn check_condition(&self, _: &Context, parsed: &ParsedCondition, out: &mut Vec<Diagnostic>) {
        let Ok(Some(expr)) = &parsed.parsed else {
            return;
        };
        let condition = parsed.condition;
        for comparison in super::condition_walk::comparisons(expr) {
            // `!= null` asks whether the header is there, which its first value answers.
            let pairs = [(&comparison.lhs, &comparison.rhs), (&comparison.rhs, &comparison.lhs)];
            for (side, other) in pairs {
                let OperandKind::Variable { name, .. } = &side.kind else {
                    continue;
                };
                if !matches!(other.kind, OperandKind::Str(_)) {
                    continue;
                }
                if let Some(header) = first_value_of_header(name) {
                    out.push(finding(condition.span_of(side.span.clone()), name, header, "this condition compares"));
                }
            }
        }
    }

    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let PolicyView::AssignMessage(view) = &policy.view else {
            return;
        };
        // A policy no request runs reads nothing: unattached-policy or unreachable-step says so.
        if !cx.engine.policy_may_run(policy.id) {
            return;
        }
        let refs = view.assign_variables.iter().filter_map(|a| a.reference.as_ref());
        for reference in refs {
            if let Some(header) = first_value_of_header(reference.value.trim()) {
                out.push(finding(reference.span, reference.value.trim(), header, "this `<Ref>` copies"));
            }
        }
        let headers = view.changes.iter().flat_map(|c| &c.headers);
        let templates = view
            .assign_variables
            .iter()
            .filter_map(|a| a.template.as_ref())
            .chain(headers.filter_map(|h| h.value.as_ref()));
        for template in templates {
            if let Some((variable, header)) = first_value_reads(template).next() {
                out.push(finding(template.span, variable, header, "this template inserts"));
            }
        }
    }
}

/// The variables of a message template's `{…}` references, functions' arguments included,
/// that read the first value of a multi-valued header, with that header.
fn first_value_reads(template: &Valued) -> impl Iterator<Item = (&str, &'static str)> {
    template
        .value
        .split('{')
        .skip(1)
        .filter_map(|after| after.split_once('}').map(|(inside, _)| inside))
        .flat_map(|inside| inside.split(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))))
        .filter_map(|word| first_value_of_header(word).map(|header| (word, header)))
}

/// `what` reads `variable`: "this condition compares", "this template inserts"…
fn finding(span: Span, variable: &str, header: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        &MultiValueHeaderFirstValue::META,
        span,
        format!("{what} only the first value of `{header}` (`{variable}`), a header that may carry several"),
    )
    .primary_label("the first value only")
    .help(format!(
        "a request with `{header}: a, b` gives `{variable}` the value `a`: the others are \
         silently left out. Read `{variable}.values.string` for all of them, or \
         `{variable}.N` for the N-th (Apigee antipattern: access multi-value HTTP headers \
         incorrectly)"
    ))
}
