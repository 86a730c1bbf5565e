use super::{declare_rule, find, unknown_rule_help, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Suppression;

declare_rule!(
    /// An `oauthlint-…` comment that is malformed, and so suppresses less than it says.
    InvalidSuppression,
    "invalid-suppression",
    Suppression,
    Warning
);

const EXAMPLE: &str = "<!-- oauthlint-disable rule-name: why the finding does not apply here -->";

impl Rule for InvalidSuppression {
    fn check_project(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for suppression in &cx.project.suppressions {
            let directive = &suppression.directive;
            if directive.value != Suppression::DISABLE {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        directive.span,
                        format!("`{}` is not a directive of oauthlint", directive.value),
                    )
                    .help(format!(
                        "`{}` is the only one, and it covers the element after it: {EXAMPLE}",
                        Suppression::DISABLE
                    )),
                );
                continue;
            }
            if suppression.rules.is_empty() {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        suppression.span,
                        "the suppression names no rule, so it suppresses nothing",
                    )
                    .help(format!("name the rules it suppresses: {EXAMPLE}")),
                );
                continue;
            }
            if suppression.reason.is_none() {
                let names: Vec<&str> = suppression.rules.iter().map(|r| r.value.as_str()).collect();
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        suppression.span,
                        "the suppression gives no reason, so it suppresses nothing",
                    )
                    .help(format!(
                        "write the reason after a colon: `<!-- {} {}: why -->`",
                        Suppression::DISABLE,
                        names.join(", ")
                    )),
                );
                continue;
            }
            for name in &suppression.rules {
                match find(&name.value) {
                    None => out.push(
                        Diagnostic::new(
                            &Self::META,
                            name.span,
                            format!("no rule named `{}`", name.value),
                        )
                        .help(unknown_rule_help(&name.value)),
                    ),
                    Some(rule) if !rule.meta().suppressible() => out.push(
                        Diagnostic::new(
                            &Self::META,
                            name.span,
                            format!("`{}` cannot be suppressed by a comment", name.value),
                        )
                        .help("set its level in oauthlint.toml instead"),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
}
