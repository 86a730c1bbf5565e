use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint whose TLS names its keystore or truststore directly rather than through a `ref://` reference.
    TlsStoreNotReference,
    "tls-store-not-reference",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD005],
);

impl Rule for TlsStoreNotReference {
    fn check_target_endpoint(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        endpoint: &TargetEndpoint,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(tls) = endpoint.tls_in_use() else {
            return;
        };
        let stores = [("<KeyStore>", &tls.key_store), ("<TrustStore>", &tls.trust_store)];
        for (element, store) in stores {
            let Some(store) = store else { continue };
            // What a `{variable}` names is not known from the bundle: only a name written out is judged.
            if store.value.starts_with("ref://") || store.value.contains('{') {
                continue;
            }
            let message = format!(
                "TargetEndpoint `{}` names its {element} `{}` directly rather than through a reference",
                endpoint.name, store.value
            );
            out.push(
                Diagnostic::new(&Self::META, store.span, message)
                    .primary_label("a store named directly")
                    .help(format!("give {element} as `ref://NAME`, a reference of the environment that points at the store: a certificate is then renewed by pointing the reference at a new store, without changing and redeploying the proxy")),
            );
        }
    }
}
