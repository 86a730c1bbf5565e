use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{ChangeAction, NamedValue, Policy, PolicyView, Valued};

declare_rule!(
    /// A client secret, password or Basic credential written literally in an AssignMessage.
    HardcodedSecret,
    "hardcoded-secret",
    OAuth,
    Error,
    preview = true,
    policy_kinds = [AssignMessage],
);

/// Parameter and variable names whose value is a credential: compared without case, as the last
/// part of a dotted variable name.
const SECRET_NAMES: [&str; 3] = ["client_secret", "password", "passwd"];

impl Rule for HardcodedSecret {
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
        let mut found: Vec<(&Valued, String)> = Vec::new();
        for change in &view.changes {
            if !matches!(change.action, ChangeAction::Set | ChangeAction::Add) {
                continue;
            }
            for header in &change.headers {
                if let Some(value) = literal_basic_credential(header) {
                    found.push((value, "an `Authorization: Basic` header".to_owned()));
                }
            }
            let params = change.form_params.iter().chain(&change.query_params);
            for (name, value) in params.filter_map(named_literal) {
                found.push((value, format!("the parameter `{name}`")));
            }
        }
        for assign in &view.assign_variables {
            let (Some(name), Some(value)) = (&assign.name, &assign.value) else {
                continue;
            };
            if assign.reference.is_none() && assign.template.is_none() && is_secret_name(&name.value) && is_real_value(&value.value) {
                found.push((value, format!("the variable `{}`", name.value.trim())));
            }
        }
        for (value, what) in found {
            out.push(
                Diagnostic::new(
                    &Self::META,
                    value.span,
                    format!("`{}` writes {what} with a literal credential", policy.name),
                )
                .primary_label("a secret in the bundle: everyone who can read the repository or download the proxy has it")
                .help(
                    "read the secret at run time instead: from an encrypted key value map \
                     (KeyValueMapOperations into a `private.` variable) or a property set, and refer to it \
                     as `{private.client_secret}`; then rotate the secret, since it is in the repository's history",
                ),
            );
        }
    }
}

/// The literal credential of an `Authorization: Basic …` header.
fn literal_basic_credential(header: &NamedValue) -> Option<&Valued> {
    let name = header.name.as_ref()?;
    let value = header.value.as_ref()?;
    if !name.value.trim().eq_ignore_ascii_case("authorization") {
        return None;
    }
    let (scheme, credential) = value.value.trim().split_once(' ')?;
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
    let credential = credential.trim();
    (scheme.eq_ignore_ascii_case("basic")
        && credential.len() >= 8
        && credential.chars().all(base64)
        && is_real_value(credential))
    .then_some(value)
}

/// A form or query parameter named as a credential, with a literal value.
fn named_literal(param: &NamedValue) -> Option<(&str, &Valued)> {
    let name = param.name.as_ref()?.value.trim();
    let value = param.value.as_ref()?;
    (is_secret_name(name) && is_real_value(&value.value)).then_some((name, value))
}

fn is_secret_name(name: &str) -> bool {
    let last = name.trim().rsplit('.').next().unwrap_or_default();
    SECRET_NAMES.iter().any(|s| last.eq_ignore_ascii_case(s))
}

/// Whether a literal looks like a real secret rather than a template or a placeholder: no
/// `{variable}`, `${…}`, `@TOKEN@` or `<…>` syntax, not a name in capitals (`CLIENT_SECRET`), not
/// one character repeated (`xxxxxxxx`), and none of the words examples use.
fn is_real_value(value: &str) -> bool {
    const FILLERS: [&str; 9] = [
        "xxx", "your", "example", "placeholder", "change", "replace", "dummy", "redacted", "***",
    ];
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let mut chars = value.chars();
    let first = chars.next();
    !value.is_empty()
        && !value.contains(['{', '}', '$', '@', '<', '>', '%'])
        && !value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !chars.all(|c| Some(c) == first)
        && !FILLERS.iter().any(|f| lower.contains(f))
}
