use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyView};

declare_rule!(
    /// An HMAC whose `<SecretKey ref>` is empty or is not a `private.` variable.
    HmacKeyNotPrivate,
    "hmac-key-not-private",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO027],
    policy_kinds = [HMAC],
);

impl Rule for HmacKeyNotPrivate {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let PolicyView::HMAC(view) = &policy.view else {
            return;
        };
        // A key without `ref` is `missing-required-element`'s.
        let Some(reference) = view.secret_key.as_ref().and_then(|k| k.reference.as_ref()) else {
            return;
        };
        let name = reference.value.trim();
        let (message, label) = if name.is_empty() {
            ("names no variable", "empty `ref`")
        } else if !name.starts_with("private.") {
            ("is not a `private.` variable", "shown in debug sessions")
        } else {
            return;
        };
        out.push(
            Diagnostic::new(
                &Self::META,
                reference.span,
                format!("HMAC `{}`'s secret key {message}", policy.name),
            )
            .primary_label(label)
            .help(
                "read the key from an encrypted key value map into a `private.` variable \
                 (`<SecretKey ref=\"private.hmac_key\"/>`): Apigee masks `private.` variables in \
                 debug sessions, where any other variable shows the key to whoever traces the proxy",
            ),
        );
    }
}
