use super::token_policy::{attached, runs};
use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Flag, Policy, PolicyView, Valued};
use crate::source::Span;

declare_rule!(
    /// A CORS policy or CORS headers that let any origin read responses sent with credentials.
    CorsAnyOriginWithCredentials,
    "cors-any-origin-with-credentials",
    OAuth,
    Warning,
    apigeelint = [PO032],
    policy_kinds = [CORS, AssignMessage],
);

impl Rule for CorsAnyOriginWithCredentials {
    fn check_policy(
        &self,
        cx: &Context,
        _: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some((origin, credentials)) = any_origin_with_credentials(policy) else {
            return;
        };
        if !runs(cx, policy) {
            return;
        }
        let diagnostic = Diagnostic::new(
            &Self::META,
            origin.span,
            format!(
                "`{}` allows credentials to any origin (`{}`)",
                policy.name,
                origin.value.trim()
            ),
        )
        .primary_label("every site the user visits may read these responses with the user's cookies or credentials")
        .label(credentials, "credentials allowed");
        out.push(attached(diagnostic, cx, policy).help(
            "list the origins of your own web apps instead (`https://app.example.com`), or stop allowing \
             credentials: a token in an Authorization header needs none; RFC 9700 §2.6 forbids CORS \
             on the authorization endpoint altogether",
        ));
    }
}

/// The allowed origin that stands for any origin, and where credentials are allowed, when the
/// policy allows both: a CORS policy with one `<AllowCredentials>` (two that disagree are left
/// alone), or an AssignMessage that sets both headers.
fn any_origin_with_credentials(policy: &Policy) -> Option<(&Valued, Span)> {
    match &policy.view {
        PolicyView::CORS(view) => {
            let [credentials] = view.allow_credentials.as_slice() else {
                return None;
            };
            let origin = view.allow_origins.iter().find(|o| any_origin(&o.value))?;
            credentials.is_true().then_some((origin, credentials.raw.span))
        }
        PolicyView::AssignMessage(view) => {
            let origin = view
                .header_values("Access-Control-Allow-Origin")
                .find(|v| any_origin(&v.value))?;
            let credentials = view
                .header_values("Access-Control-Allow-Credentials")
                .find(|v| Flag::of((*v).clone()).is_true())?;
            Some((origin, credentials.span))
        }
        _ => None,
    }
}

/// `*`, or the request's own `Origin` echoed back, among the comma-separated origins.
fn any_origin(origins: &str) -> bool {
    origins.split(',').map(str::trim).any(|o| {
        o == "*" || o.eq_ignore_ascii_case("{request.header.origin}")
    })
}
