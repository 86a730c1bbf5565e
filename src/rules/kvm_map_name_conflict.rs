use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// A KeyValueMapOperations that names its map twice: a `mapIdentifier` and a `<MapName>`.
    KvmMapNameConflict,
    "kvm-map-name-conflict",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [PO038],
    policy_kinds = [KeyValueMapOperations],
);

impl Rule for KvmMapNameConflict {
    fn check_policy(&self, _: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let Some(view) = policy.key_value_map() else {
            return;
        };
        let (Some(identifier), Some(map_name)) = (&view.map_identifier, view.map_name) else {
            return;
        };
        if identifier.value.trim().is_empty() {
            return;
        }
        let message = format!(
            "KeyValueMapOperations `{}` names its map both by `mapIdentifier` and by <MapName>",
            policy.name
        );
        out.push(
            Diagnostic::new(&Self::META, map_name, message)
                .primary_label("a second name for the map")
                .label(identifier.span, "the first")
                .help(
                    "keep one: <MapName> (a name or a `ref` to a variable holding one) where the \
                     map is chosen at runtime, else `mapIdentifier`; Apigee's reference takes \
                     the attribute only without <MapName>, and which of the two it reads is \
                     not documented",
                ),
        );
    }
}
