use super::condition_walk::comparisons;
use super::{declare_rule, BundleRef, Context, Rule, StepSite};
use crate::catalog::facts::{PKCE_METHOD, PKCE_PLAIN_METHOD, PKCE_VERIFIER};
use crate::diagnostic::Diagnostic;
use crate::engine::condition::{eval, Env, Expr, Lookup, OperandKind, Truth, Value};
use crate::model::{Policy, Resolved, Step};

declare_rule!(
    /// A PKCE check a client avoids by omitting the code_verifier, or one that accepts the `plain` method.
    PkceDowngrade,
    "pkce-downgrade",
    OAuth,
    Warning,
    preview = true,
);

impl Rule for PkceDowngrade {
    fn check_step(&self, cx: &Context, bundle: BundleRef, step: &Step, _: &StepSite, out: &mut Vec<Diagnostic>) {
        let Some((policy, expr)) = running_with_condition(cx, step) else {
            return;
        };
        let condition = step.condition.as_ref().expect("a parsed condition");
        let rejects = policy.facts().raises.is_some();
        if let Some(at) = plain_accepted(expr, rejects) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span_of(at),
                    format!("`{}` lets the `plain` code_challenge_method through", step.name),
                )
                .primary_label(if rejects {
                    "`plain` does not meet this rejection"
                } else {
                    "this step runs for `plain`"
                })
                .help(
                    "accept S256 only: reject the authorization request when code_challenge_method is not \
                     \"S256\" (RFC 9700 §2.1.1: with `plain` the challenge is the verifier, so whoever sees \
                     the authorization request can redeem the code)",
                ),
            );
        }
        if !rejects && skipped_without_verifier(expr) && !missing_verifier_rejected(cx, &bundle) {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    condition.span,
                    format!(
                        "`{}` runs only when the request carries a code_verifier: a client that omits it skips the PKCE check",
                        step.name
                    ),
                )
                .primary_label("false when the code_verifier is absent")
                .help(
                    "refuse a token request without code_verifier when the code was issued with a \
                     code_challenge (a RaiseFault whose condition is `request.formparam.code_verifier = null`), \
                     and run the check unconditionally: otherwise a stolen code is redeemed by leaving the \
                     verifier out (RFC 9700 §2.1.1, PKCE downgrade)",
                ),
            );
        }
    }
}

/// The enabled policy of a Step some request runs, and the Step's parsed condition.
fn running_with_condition<'p>(cx: &Context<'p>, step: &Step) -> Option<(&'p Policy, &'p Expr)> {
    let expr = cx.engine.parsed(step.condition.as_ref()?)?;
    let Some(Resolved::Found(id)) = cx.project.step_policy(step.id) else {
        return None;
    };
    cx.engine.step_may_run(step.id).then(|| (cx.project.policy(*id), expr))
}

fn names(variable: &str, parameter: &str) -> bool {
    variable.to_ascii_lowercase().contains(parameter)
}

/// The PKCE parameter's variables have `value`; every other variable is unknown.
struct Assumed {
    parameter: &'static str,
    value: Value,
}

impl Env for Assumed {
    fn lookup(&self, name: &str) -> Lookup {
        if names(name, self.parameter) {
            Lookup::Known(self.value.clone())
        } else {
            Lookup::Unknown
        }
    }
}

fn reads(expr: &Expr, parameter: &str) -> bool {
    expr.variables()
        .iter()
        .any(|o| matches!(&o.kind, OperandKind::Variable { name, .. } if names(name, parameter)))
}

/// Where the condition compares the challenge method with `plain`, when `plain` passes it: a
/// rejection that does not hold for `plain`, or another step that certainly runs for it.
fn plain_accepted(expr: &Expr, rejects: bool) -> Option<std::ops::Range<usize>> {
    let compared = comparisons(expr).into_iter().find(|c| {
        let plain = |o: &crate::engine::condition::Operand| {
            matches!(&o.kind, OperandKind::Str(s) if s.eq_ignore_ascii_case(PKCE_PLAIN_METHOD))
        };
        let method = |o: &crate::engine::condition::Operand| {
            matches!(&o.kind, OperandKind::Variable { name, .. } if names(name, PKCE_METHOD))
        };
        (method(&c.lhs) && plain(&c.rhs)) || (plain(&c.lhs) && method(&c.rhs))
    })?;
    let at_plain = eval(
        expr,
        &Assumed {
            parameter: PKCE_METHOD,
            value: Value::Str(PKCE_PLAIN_METHOD.to_owned()),
        },
    );
    let passes = if rejects { at_plain == Truth::False } else { at_plain == Truth::True };
    passes.then(|| compared.lhs.span.start.min(compared.rhs.span.start)..compared.lhs.span.end.max(compared.rhs.span.end))
}

/// Does the condition read the code_verifier and certainly fail when the client sends none?
fn skipped_without_verifier(expr: &Expr) -> bool {
    let absent = Assumed {
        parameter: PKCE_VERIFIER,
        value: Value::Null,
    };
    reads(expr, PKCE_VERIFIER) && eval(expr, &absent) == Truth::False
}

/// Does a step of the bundle that raises a fault read the code_verifier and may hold when it is
/// absent: a refusal of token requests without one?
fn missing_verifier_rejected(cx: &Context, bundle: &BundleRef) -> bool {
    let absent = Assumed {
        parameter: PKCE_VERIFIER,
        value: Value::Null,
    };
    bundle.all_steps().any(|step| {
        running_with_condition(cx, step).is_some_and(|(policy, expr)| {
            policy.facts().raises.is_some() && reads(expr, PKCE_VERIFIER) && eval(expr, &absent) != Truth::False
        })
    })
}
