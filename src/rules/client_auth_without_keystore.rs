use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::TargetEndpoint;

declare_rule!(
    /// A TargetEndpoint that turns on mutual TLS without the key and certificate to present.
    ClientAuthWithoutKeystore,
    "client-auth-without-keystore",
    Target,
    Warning,
    preview = true,
    apigeelint = [TD013],
);

impl Rule for ClientAuthWithoutKeystore {
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
        let Some(client_auth) = tls.client_auth_enabled.as_ref().filter(|f| f.is_true()) else {
            return;
        };
        let missing: Vec<&str> = [("<KeyStore>", &tls.key_store), ("<KeyAlias>", &tls.key_alias)]
            .into_iter()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name)
            .collect();
        if missing.is_empty() {
            return;
        }
        let message = format!(
            "TargetEndpoint `{}` turns on client authentication without {}: Apigee has no certificate to present",
            endpoint.name,
            missing.join(" and ")
        );
        out.push(
            Diagnostic::new(&Self::META, client_auth.raw.span, message)
                .primary_label("mutual TLS on")
                .help("give <KeyStore> (as ref://a-keystore-reference) and <KeyAlias>, the alias of the key and certificate Apigee presents to the backend; a backend that asks for a client certificate refuses the handshake without one. If the backend does not, set <ClientAuthEnabled> to false"),
        );
    }
}
