//! apigeelint's checks, as `bench/apigeelint/ids.tsv` lists them, and what a name stands for
//! where a rule is expected: a rule's own name or, during a migration, an apigeelint ID, which
//! stands for every rule that replaces the check. Which rules replace one is the rules' metadata
//! ([`RuleMeta::apigeelint`]); `tests/meta.rs` keeps it and the inventory in step.

use super::{find, unknown_rule_help, RuleMeta, ALL};

/// The inventory, one check a row after a header: id, plugin name, severity, enabled, what it
/// checks, our rules, status.
const INVENTORY: &str = include_str!("../../bench/apigeelint/ids.tsv");

/// One apigeelint check.
pub struct Check {
    pub id: &'static str,
    /// The plugin's name in apigeelint.
    pub name: &'static str,
    /// The `our rule` column: existing rules, and planned ones while the status is `to write`.
    pub rules: Vec<&'static str>,
    pub status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// What the check flags that matters, the listed rules flag.
    Covered,
    /// Not, or only in part: the listed rules that exist cover the rest.
    ToWrite,
    /// Deliberately left out, for the reason given.
    NotPorted(&'static str),
}

/// Every check of the inventory, in its order; a row without the seven columns is left out
/// (a test reads every row).
pub fn checks() -> impl Iterator<Item = Check> {
    INVENTORY.lines().skip(1).filter_map(|line| {
        let columns: Vec<&'static str> = line.split('\t').collect();
        let [id, name, _, _, _, rules, status] = columns[..] else {
            return None;
        };
        let status = match status {
            "covered" => Status::Covered,
            "to write" => Status::ToWrite,
            other => Status::NotPorted(other.strip_prefix("not ported: ")?),
        };
        let rules = rules
            .split(',')
            .map(str::trim)
            .filter(|r| *r != "-")
            .collect();
        Some(Check {
            id,
            name,
            rules,
            status,
        })
    })
}

pub fn check(id: &str) -> Option<Check> {
    checks().find(|c| c.id == id)
}

/// Why a name stands for no rule: the message, and what to do.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub message: String,
    pub help: String,
}

/// The rules `name` stands for, in registry order: the rule of that name, or the rules that
/// replace the apigeelint check of that ID.
pub fn rules_named(name: &str) -> Result<Vec<&'static RuleMeta>, UnknownName> {
    if let Some(rule) = find(name) {
        return Ok(vec![rule.meta()]);
    }
    let replacing: Vec<&'static RuleMeta> = ALL
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.apigeelint.contains(&name))
        .collect();
    if !replacing.is_empty() {
        return Ok(replacing);
    }
    Err(match check(name) {
        Some(Check {
            status: Status::NotPorted(reason),
            name: plugin,
            ..
        }) => UnknownName {
            message: format!(
                "`{name}` is apigeelint's \"{plugin}\", which oauthlint does not port"
            ),
            help: format!("{reason}; nothing replaces it, so leave it out"),
        },
        Some(Check {
            name: plugin,
            rules,
            ..
        }) => UnknownName {
            message: format!("no oauthlint rule replaces apigeelint's `{name}` (\"{plugin}\") yet"),
            help: format!(
                "planned: {} (bench/apigeelint/ids.tsv); leave the ID out until then",
                quoted(&rules)
            ),
        },
        None => UnknownName {
            message: format!("no rule named `{name}`"),
            help: unknown_rule_help(name),
        },
    })
}

/// Whether `name`, as written where rules are named, stands for the rule `rule`.
pub fn stands_for(name: &str, rule: &str) -> bool {
    name == rule || find(rule).is_some_and(|r| r.meta().apigeelint.contains(&name))
}

fn quoted(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(name: &str) -> UnknownName {
        rules_named(name)
            .err()
            .expect("the name stands for no rule")
    }

    fn names(name: &str) -> Vec<&'static str> {
        rules_named(name).unwrap().iter().map(|m| m.name).collect()
    }

    #[test]
    fn an_id_stands_for_every_rule_that_replaces_it_in_registry_order() {
        assert_eq!(names("BN011"), ["invalid-xml"]);
        assert_eq!(names("CC007"), ["invalid-condition"]);
        assert_eq!(names("ST008"), ["unreachable-step"]);
        assert_eq!(names("FL001"), ["unreachable-flow"]);
        assert_eq!(names("invalid-xml"), ["invalid-xml"]);
        let ep002 = names("EP002");
        assert!(ep002.len() > 1 && ep002.contains(&"repeated-element"));
        let order: Vec<&str> = ALL
            .iter()
            .map(|r| r.meta().name)
            .filter(|n| ep002.contains(n))
            .collect();
        assert_eq!(ep002, order);
        assert!(stands_for("BN011", "invalid-xml"));
        assert!(stands_for("invalid-xml", "invalid-xml"));
        assert!(!stands_for("BN010", "invalid-xml"));
    }

    #[test]
    fn an_id_not_ported_or_not_yet_replaced_says_why() {
        let error = why("PO013");
        assert_eq!(
            error.message,
            "`PO013` is apigeelint's \"jsHint\", which oauthlint does not port"
        );
        assert!(error
            .help
            .starts_with("out of scope (JavaScript style: JSHint)"));
        let error = why("BN004");
        assert!(
            error.message.ends_with("does not port"),
            "{}",
            error.message
        );
        assert!(
            error.help.contains("environment flow hooks"),
            "{}",
            error.help
        );
        // IDs apigeelint lists but never implemented, and lower case, are no names.
        assert_eq!(why("BN002").message, "no rule named `BN002`");
        assert!(rules_named("bn011").is_err());
    }
}
