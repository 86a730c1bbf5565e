//! apigeelint's checks, as `bench/apigeelint/ids.tsv` lists them. Which rules replace one is
//! the rules' metadata ([`super::RuleMeta::apigeelint`]); `tests/meta.rs` keeps the two in step.

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
