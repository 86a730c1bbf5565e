use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{DeclaredKind, Flag, Policy, QuotaView};

declare_rule!(
    /// A Quota that shares a counter or a product's limits wrongly: `<SharedName>` without
    /// exactly one of `<CountOnly>` and `<EnforceOnly>`, either of them without a
    /// `<SharedName>`, or a `stepName` that names no policy finding an API product.
    InvalidQuotaSharing,
    "invalid-quota-sharing",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO035],
    policy_kinds = [Quota],
);

impl Rule for InvalidQuotaSharing {
    fn check_policy(
        &self,
        cx: &Context,
        bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(view) = policy.quota() else {
            return;
        };
        out.extend(check_counter(policy, view));
        out.extend(check_product_step(cx, bundle, policy, view));
    }
}

fn on(flag: &Option<Flag>) -> Option<&Flag> {
    flag.as_ref().filter(|f| f.is_true())
}

/// A shared counter takes one Quota that counts and others that enforce (schema's assertion on
/// the Quota; ◐ Quota reference, `<SharedName>`, `<CountOnly>`, `<EnforceOnly>`).
fn check_counter(policy: &Policy, view: &QuotaView) -> Option<Diagnostic> {
    let shared = view.shared_name.as_ref().filter(|n| !n.value.trim().is_empty());
    let (count, enforce) = (on(&view.count_only), on(&view.enforce_only));
    let (span, message, label, help) = match (shared, count, enforce) {
        (_, Some(_), Some(enforce)) => (
            enforce.raw.span,
            format!(
                "Quota `{}` sets both <CountOnly>true and <EnforceOnly>true",
                policy.name
            ),
            "excludes <CountOnly>true",
            "keep one: <CountOnly>true on the Quota that counts (in the response, say), \
             <EnforceOnly>true on the one that rejects requests past the limit",
        ),
        (Some(name), None, None) => (
            name.span,
            format!(
                "Quota `{}` shares counter `{}` without <CountOnly> or <EnforceOnly>",
                policy.name, name.value
            ),
            "a shared counter",
            "set <CountOnly>true or <EnforceOnly>true: Apigee's Quota reference asks for one \
             of them beside <SharedName>, which says which Quota counts the shared counter \
             and which enforces it; without <SharedName>, remove it",
        ),
        (None, Some(only), None) | (None, None, Some(only)) => (
            only.raw.span,
            format!(
                "Quota `{}` sets <{}>true without a <SharedName>",
                policy.name,
                if count.is_some() { "CountOnly" } else { "EnforceOnly" }
            ),
            "needs a <SharedName>",
            "add the <SharedName> of the counter that the Quotas counting and enforcing it \
             share: a Quota that never counts, or never rejects, does nothing alone",
        ),
        _ => return None,
    };
    Some(
        Diagnostic::new(&InvalidQuotaSharing::META, span, message)
            .primary_label(label)
            .help(help),
    )
}

/// The limits of `<UseQuotaConfigInAPIProduct>` come from the product that the named step
/// found for the caller's key or token.
fn check_product_step(
    cx: &Context,
    bundle: BundleRef,
    policy: &Policy,
    view: &QuotaView,
) -> Option<Diagnostic> {
    let step = view.product_step.as_ref()?;
    let name = step.value.trim();
    // A policy file that failed to load may define the name: its own finding says so.
    if name.is_empty() || bundle.failed_files.iter().any(|f| f.starts_with("policies/")) {
        return None;
    }
    // A name given twice runs the first policy (`Project::step_policy`).
    let named = cx.project.policies_named(bundle.id, name).first();
    let problem = match named.map(|&id| cx.project.policy(id)) {
        _ if name == policy.name => "is the Quota itself".to_string(),
        None => "is no policy of this bundle".to_string(),
        Some(Policy {
            kind: DeclaredKind::Known(kind),
            ..
        }) if !kind.finds_api_product() => {
            format!("is of kind {}: it finds no API product", kind.name())
        }
        Some(_) => return None,
    };
    Some(
        Diagnostic::new(
            &InvalidQuotaSharing::META,
            step.span,
            format!(
                "Quota `{}` reads its limits from the API product found by `{name}`, which {problem}",
                policy.name
            ),
        )
        .primary_label("no API product here")
        .help(
            "name the VerifyAPIKey or OAuthV2 VerifyAccessToken policy that checks the caller \
             before this Quota: its API product holds the quota settings that \
             <UseQuotaConfigInAPIProduct> reads",
        ),
    )
}
