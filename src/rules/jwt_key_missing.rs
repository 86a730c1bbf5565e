use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::jwt::SigningKey;
use crate::diagnostic::Diagnostic;
use crate::model::{Policy, PolicyView};

declare_rule!(
    /// A GenerateJWT whose keys lack the one its signing algorithm needs.
    JwtKeyMissing,
    "jwt-key-missing",
    Bundle,
    Error,
    preview = true,
    apigeelint = [PO044],
    policy_kinds = [GenerateJWT],
);

impl Rule for JwtKeyMissing {
    fn check_policy(
        &self,
        _cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let PolicyView::GenerateJWT(view) = &policy.view else {
            return;
        };
        let Some(algorithm) = &view.algorithm else {
            return;
        };
        let Some(needed) = SigningKey::for_algorithm(&algorithm.value) else {
            return;
        };
        let given = match needed {
            SigningKey::SecretKey => view.secret_key,
            SigningKey::PrivateKey => view.private_key,
        };
        // With no key at all, `missing-required-element` reports the policy.
        let Some(other) = view.secret_key.or(view.private_key).or(view.public_key) else {
            return;
        };
        if given.is_some() {
            return;
        }
        let algorithm_name = algorithm.value.trim();
        out.push(
            Diagnostic::new(
                &Self::META,
                algorithm.span,
                format!(
                    "GenerateJWT `{}` signs with {algorithm_name} but has no <{}>",
                    policy.name,
                    needed.tag_name()
                ),
            )
            .primary_label(format!("{algorithm_name} needs a <{}>", needed.tag_name()))
            .label(other, "a key this algorithm does not use")
            .help(match needed {
                SigningKey::SecretKey => {
                    "give the shared secret as <SecretKey><Value ref=\"private.jwt_secret\"/></SecretKey>, \
                     or sign with RS256 and a <PrivateKey>: without the key the algorithm uses, no token is signed"
                }
                SigningKey::PrivateKey => {
                    "give the signing key as <PrivateKey><Value ref=\"private.jwt_private_key\"/></PrivateKey> \
                     (a PEM private key): without the key the algorithm uses, no token is signed"
                }
            }),
        );
    }
}
