use super::{declare_rule, structure, BundleRef, Context, Rule};
use crate::catalog::Problem;
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A policy, endpoint or shared flow file whose root element names no kind Apigee has.
    UnknownPolicyKind,
    "unknown-policy-kind",
    Structure,
    Error,
    apigeelint = [PO029],
);

impl Rule for UnknownPolicyKind {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        structure::report(cx, bundle, out, |problem, at| {
            let Problem::UnknownKind { name, suggestion } = problem else {
                return None;
            };
            let help = match suggestion {
                Some(kind) => format!("did you mean `<{kind}>`?"),
                None => "the root element names the policy's kind: use one from Apigee's policy reference".to_owned(),
            };
            let message = format!("`<{name}>` is no kind of policy, endpoint or shared flow that Apigee has");
            Some(Diagnostic::new(&Self::META, at.span, message).help(help))
        });
    }
}
