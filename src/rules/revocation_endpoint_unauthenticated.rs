use super::caller_check::report_unchecked;
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::engine::catalog::revokes_tokens;
use crate::model::Policy;

declare_rule!(
    /// A policy that revokes tokens runs for requests no client check has run for.
    RevocationEndpointUnauthenticated,
    "revocation-endpoint-unauthenticated",
    OAuth,
    Warning,
    preview = true,
);

impl Rule for RevocationEndpointUnauthenticated {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        if !revokes_tokens(policy) {
            return;
        }
        report_unchecked(
            cx,
            policy,
            &Self::META,
            &format!(
                "`{}` revokes tokens for requests that may reach it without any client check",
                policy.name
            ),
            "authenticate the client before revoking (RFC 7009 §2.1: the server first validates the client \
             credentials): run a VerifyAPIKey, or check the client_id and secret of the Authorization \
             header, earlier on this path; otherwise anyone who holds or guesses a token can revoke it",
            out,
        );
    }
}
