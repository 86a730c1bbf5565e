//! `oauthlint rules` and `oauthlint explain`.

use super::stdout::stdout;
use super::{HumanOrJson, EXIT_CLEAN};
use crate::rules::{apigeelint, find, ALL};
use miette::{miette, IntoDiagnostic};
use std::io::Write;

pub fn list(format: HumanOrJson) -> miette::Result<u8> {
    let mut out = stdout();
    match format {
        HumanOrJson::Json => {
            let rules: Vec<serde_json::Value> = ALL.iter().map(|r| r.meta().listing()).collect();
            serde_json::to_writer_pretty(&mut out, &rules).into_diagnostic()?;
            writeln!(out).into_diagnostic()?;
        }
        HumanOrJson::Human => {
            let width = ALL.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
            let category_width = ALL
                .iter()
                .map(|r| r.meta().category.as_str().len())
                .max()
                .unwrap_or(0);
            for rule in ALL {
                let m = rule.meta();
                let preview = if m.preview { "(preview) " } else { "" };
                writeln!(
                    out,
                    "{:width$}  {:7}  {:category_width$}  {preview}{}",
                    m.name,
                    m.level.as_str(),
                    m.category.as_str(),
                    m.summary()
                )
                .into_diagnostic()?;
            }
        }
    }
    Ok(EXIT_CLEAN)
}

/// A rule's page; for an apigeelint ID, the rules that replace the check.
pub fn explain(name: &str) -> miette::Result<u8> {
    let rules =
        apigeelint::rules_named(name).map_err(|why| miette!(help = why.help, "{}", why.message))?;
    let mut out = stdout();
    let Some(rule) = find(name) else {
        let check = apigeelint::check(name).expect("an ID that rules list is in the inventory");
        writeln!(
            out,
            "{name} is apigeelint's \"{}\". The rules that replace it, which `{name}` stands for \
             in oauthlint.toml, --select, --ignore, --level and suppression comments:\n",
            check.name
        )
        .into_diagnostic()?;
        for m in rules {
            writeln!(out, "- {}: {}", m.name, m.summary()).into_diagnostic()?;
        }
        let planned: Vec<String> = check
            .rules
            .iter()
            .filter(|r| find(r).is_none())
            .map(|r| format!("`{r}`"))
            .collect();
        if check.status == apigeelint::Status::ToWrite {
            let rest = if planned.is_empty() {
                String::new()
            } else {
                format!("; still to write: {}", planned.join(", "))
            };
            writeln!(out, "\noauthlint covers it only in part{rest}.").into_diagnostic()?;
        }
        return Ok(EXIT_CLEAN);
    };
    let m = rule.meta();
    let preview = if m.preview { " · preview" } else { "" };
    writeln!(
        out,
        "{} · {} · {}{preview}\n",
        m.name,
        m.level.as_str(),
        m.category.as_str()
    )
    .into_diagnostic()?;
    out.write_all(m.page.as_bytes()).into_diagnostic()?;
    Ok(EXIT_CLEAN)
}
