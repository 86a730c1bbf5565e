//! `oauthlint rules` and `oauthlint explain`.

use super::stdout::stdout;
use super::{HumanOrJson, EXIT_CLEAN};
use crate::rules::{find, unknown_rule_help, ALL};
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

pub fn explain(name: &str) -> miette::Result<u8> {
    let Some(rule) = find(name) else {
        return Err(miette!(
            help = unknown_rule_help(name),
            "no rule named `{name}`"
        ));
    };
    let m = rule.meta();
    let mut out = stdout();
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
