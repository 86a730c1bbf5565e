use super::{declare_rule, BundleRef, Context, Rule};
use crate::catalog::PolicyKind;
use crate::diagnostic::Diagnostic;
use crate::model::{DeclaredKind, Policy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

declare_rule!(
    /// A policy whose name does not start with the conventional prefix of its kind (`AM-`, `EV-`, …).
    PolicyNameWithoutKindPrefix,
    "policy-name-without-kind-prefix",
    Style,
    Info,
    preview = true,
    apigeelint = [PO007],
    options = PrefixOptions,
);

#[derive(Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrefixOptions {
    /// A team's own prefixes, by kind; the kinds not named keep the catalog's.
    prefixes: BTreeMap<KindName, Vec<Prefix>>,
}

/// A policy kind, named as its root element spells it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct KindName(PolicyKind);

impl<'de> Deserialize<'de> for KindName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        PolicyKind::from_name(&name).map(KindName).ok_or_else(|| {
            de::Error::custom(format!(
                "`{name}` is no policy kind: name a kind as its root element spells it \
                 (`AssignMessage`, `ExtractVariables`, …)"
            ))
        })
    }
}

impl Serialize for KindName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name())
    }
}

/// A prefix as a team writes it, without its separator: letters and digits.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
struct Prefix(String);

impl<'de> Deserialize<'de> for Prefix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let prefix = String::deserialize(deserializer)?;
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(de::Error::custom(format!(
                "`{prefix}` is no prefix: write letters and digits without the separator \
                 (`AM`, not `AM-`)"
            )));
        }
        Ok(Prefix(prefix))
    }
}

impl Rule for PolicyNameWithoutKindPrefix {
    fn check_policy(
        &self,
        cx: &Context,
        _bundle: BundleRef,
        policy: &Policy,
        out: &mut Vec<Diagnostic>,
    ) {
        // A kind the catalog does not know has no convention; a missing name is
        // `missing-required-element`'s.
        let DeclaredKind::Known(kind) = policy.kind else {
            return;
        };
        if policy.name.is_empty() {
            return;
        }
        let (prefixes, names): (Vec<&str>, &[&str]) =
            match Self::options(cx).prefixes.get(&KindName(kind)) {
                Some(own) => (own.iter().map(|p| p.0.as_str()).collect(), &[]),
                // The kind's own name says it, though the table may lack it
                // (`ServiceCallout.Token`, `LookupCache-Keys`).
                None => {
                    let mut prefixes = kind.naming().prefixes.to_vec();
                    let own = kind.name();
                    if !prefixes.iter().any(|p| p.eq_ignore_ascii_case(own)) {
                        prefixes.push(own);
                    }
                    (prefixes, kind.naming().names)
                }
            };
        if prefixes.is_empty() && names.is_empty() {
            return;
        }
        if says_kind(&policy.name, &prefixes, names) {
            return;
        }
        let shown: Vec<String> = prefixes.iter().map(|p| format!("`{p}-`")).collect();
        let mut help = format!(
            "start the name with a prefix of its kind and a `-` or `.`, in any case: {}",
            shown.join(", ")
        );
        if !names.is_empty() {
            let alone: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            help.push_str(&format!(", or name it {} alone", alone.join(" or ")));
        }
        help.push_str(&format!(
            "; a team with prefixes of its own sets them for {} under this rule's `prefixes` \
             in oauthlint.toml (a Step names the policy too: rename both)",
            kind.name()
        ));
        out.push(
            Diagnostic::new(
                &Self::META,
                policy.name_span,
                format!(
                    "the name `{}` does not say the policy's kind, {}",
                    policy.name,
                    kind.name()
                ),
            )
            .primary_label("no prefix of its kind")
            .help(help),
        );
    }
}

/// Does `name` start with one of `prefixes` (any case), then `-` or `.` and more, or is it one
/// of `names` (any case)? As apigeelint's PO007: the prefix is what comes before the first
/// separator, letters and digits only.
fn says_kind(name: &str, prefixes: &[&str], names: &[&str]) -> bool {
    if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return true;
    }
    let Some((head, rest)) = name.split_once(['-', '.']) else {
        return false;
    };
    !rest.is_empty()
        && head.chars().all(|c| c.is_ascii_alphanumeric())
        && prefixes.iter().any(|p| p.eq_ignore_ascii_case(head))
}

#[cfg(test)]
mod tests {
    use super::says_kind;

    #[test]
    fn a_prefix_before_the_first_separator() {
        let am = ["am", "assign"];
        assert!(says_kind("AM-Set-Header", &am, &[]));
        assert!(says_kind("am.set", &am, &[]));
        assert!(says_kind("Assign-X", &am, &[]));
        assert!(!says_kind("AM_Set", &am, &[]));
        assert!(!says_kind("AM-", &am, &[]));
        assert!(!says_kind("SetHeader", &am, &[]));
        assert!(!says_kind("X-AM-Set", &am, &[]));
        assert!(says_kind("Preflight", &["pf"], &["preflight"]));
        assert!(!says_kind("Preflight", &["pf"], &[]));
    }
}
