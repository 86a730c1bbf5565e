use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;

declare_rule!(
    /// An ExtractVariables `<JSONPath>` that Jayway JsonPath, whose syntax Apigee's follows,
    /// cannot compile: empty, ending with a dot, an empty or unclosed `[`.
    InvalidJsonPath,
    "invalid-json-path",
    Structure,
    Warning,
    preview = true,
    apigeelint = [PO040],
    policy_kinds = [ExtractVariables],
);

impl Rule for InvalidJsonPath {
    fn check_policy(&self, _: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let Some(view) = policy.extract_variables() else {
            return;
        };
        for path in &view.json_paths {
            let Some(why) = refusal(&path.value) else {
                continue;
            };
            let shown = path.value.trim();
            let message = if shown.is_empty() {
                "this JSONPath is empty".to_owned()
            } else {
                format!("JSONPath `{shown}` does not compile: {why}")
            };
            out.push(
                Diagnostic::new(&Self::META, path.span, message)
                    .primary_label(why)
                    .help(
                        "Apigee reads JSONPath as Jayway JsonPath does, which refuses this \
                         path, so the variable is never set from the payload: write a complete \
                         path such as `$.store.book[0].author`",
                    ),
            );
        }
    }
}

/// Why Jayway JsonPath refuses to compile `path`, when it certainly does; `None` when it
/// compiles or the verdict is not sure (filters and functions, `{…}` that Apigee may fill in).
fn refusal(path: &str) -> Option<&'static str> {
    let path = path.trim();
    if path.is_empty() {
        return Some("an empty path selects nothing");
    }
    if path.contains(['{', '}', '(']) {
        return None;
    }
    // Jayway reads a path that starts with neither `$` nor `@` as `$.` and the path, and fails
    // one that then ends with a dot ("Path must not end with a '.' or '..'").
    if path.ends_with('.') {
        return Some("it ends with a dot, where a property name must follow");
    }
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        let inside = &rest[open + 1..];
        let Some(close) = closing_bracket(inside) else {
            return Some("a `[` is never closed");
        };
        if inside[..close].trim().is_empty() {
            return Some("`[]` holds no index, name or `*`");
        }
        rest = &inside[close + 1..];
    }
    None
}

/// Where the `]` that closes a bracket is, in the text after its `[`, quoted names skipped.
fn closing_bracket(inside: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in inside.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, ']') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::refusal;

    #[test]
    fn paths_jayway_refuses() {
        for path in [
            "",
            "  ",
            "$.",
            "$..",
            "$.quota.[*].appname..",
            "$.store.book[0].[author",
            "$.store.book[0].[]author",
            "$['a]",
        ] {
            assert!(refusal(path).is_some(), "{path}");
        }
    }

    #[test]
    fn paths_jayway_compiles_or_that_are_not_judged() {
        for path in [
            "$.store.book[0].author",
            ".jwks_uri[0]",
            "jwks_uri",
            "$.quota.[*].appname",
            "$.quota[-2:]",
            "$['a.b', 'c]d']",
            "$..book[?(@.price < 10)]",
            "$.{foo}",
            "$.}foo",
            "@.name",
        ] {
            assert!(refusal(path).is_none(), "{path}");
        }
    }
}
