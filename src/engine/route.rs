//! Which ProxyEndpoint receives a request: the one whose BasePath the path starts with.

use crate::model::{BundleId, BundleKind, Project, ProxyEndpoint};

pub struct Choice<'p> {
    pub bundle: BundleId,
    pub endpoint: &'p ProxyEndpoint,
    /// The part of the path the base path matched (the base path itself, or the path's
    /// segments a `*` of it matched).
    pub base_path: String,
    pub notes: Vec<String>,
}

/// The ProxyEndpoint whose base path matches the most leading segments of `path`. Apigee does
/// not document the choice when several match (reference §8.9); the trace says so, whether the
/// others are as long or shorter.
pub fn select_endpoint<'p>(project: &'p Project, path: &str) -> Option<Choice<'p>> {
    let mut candidates: Vec<(usize, Choice<'p>)> = Vec::new();
    for id in project.bundle_ids() {
        let bundle = project.bundle(id);
        if bundle.kind != BundleKind::ApiProxy {
            continue;
        }
        for endpoint in &bundle.proxy_endpoints {
            let Some(base) = endpoint.base_path() else {
                continue;
            };
            if let Some(matched) = match_base_path(&base.value, path) {
                let segments = matched.split('/').filter(|s| !s.is_empty()).count();
                candidates.push((
                    segments,
                    Choice {
                        bundle: id,
                        endpoint,
                        base_path: matched,
                        notes: Vec::new(),
                    },
                ));
            }
        }
    }
    let longest = candidates.iter().map(|(n, _)| *n).max()?;
    let (best, shorter): (Vec<_>, Vec<_>) =
        candidates.into_iter().partition(|(n, _)| *n == longest);
    let names = |choices: &[(usize, Choice)]| {
        let names: Vec<String> = choices
            .iter()
            .map(|(_, c)| format!("{} / {}", project.bundle(c.bundle).name, c.endpoint.name))
            .collect();
        names.join(", ")
    };
    let mut best = best.into_iter();
    let (_, mut choice) = best.next()?;
    let others: Vec<(usize, Choice)> = best.collect();
    if !others.is_empty() {
        choice.notes.push(format!(
            "the base path also matches {}; Apigee's choice between them is not documented, the first was taken",
            names(&others)
        ));
    }
    if !shorter.is_empty() {
        choice.notes.push(format!(
            "a shorter base path also matches ({}); the longest match was taken, which Apigee does not document",
            names(&shorter)
        ));
    }
    Some(choice)
}

/// The prefix of `path` that `base` matches segment by segment (`*` matches one segment), if
/// it does. Template placeholders (`{{ }}`) match nothing: their value is set at deploy time.
fn match_base_path(base: &str, path: &str) -> Option<String> {
    if base.contains("{{") {
        return None;
    }
    let base_segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let path_segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if base_segments.len() > path_segments.len() {
        return None;
    }
    for (b, p) in base_segments.iter().zip(&path_segments) {
        if *b != "*" && b != p {
            return None;
        }
    }
    let matched: Vec<&str> = path_segments[..base_segments.len()].to_vec();
    Some(if matched.is_empty() {
        String::new()
    } else {
        format!("/{}", matched.join("/"))
    })
}

#[cfg(test)]
mod tests {
    use super::{match_base_path, select_endpoint};
    use crate::parse::load::load_memory;

    #[test]
    fn the_longest_base_path_wins_and_the_choice_is_noted() {
        let endpoint = |name: &str, base: &str| {
            (
                format!("p/apiproxy/proxies/{name}.xml"),
                Ok(format!(
                    "<ProxyEndpoint name=\"{name}\"><HTTPProxyConnection><BasePath>{base}\
                     </BasePath></HTTPProxyConnection></ProxyEndpoint>"
                )
                .into_bytes()),
            )
        };
        let project = load_memory(vec![
            endpoint("all", "/v1"),
            endpoint("refunds", "/v1/refunds"),
        ]);
        let choice = select_endpoint(&project, "/v1/refunds/9").unwrap();
        assert_eq!(choice.endpoint.name, "refunds");
        assert_eq!(choice.notes.len(), 1);
        assert!(choice.notes[0].contains("p / all"), "{:?}", choice.notes);
        let choice = select_endpoint(&project, "/v1/payments").unwrap();
        assert_eq!(choice.endpoint.name, "all");
        assert!(choice.notes.is_empty());
    }

    #[test]
    fn base_paths_match_whole_segments() {
        assert_eq!(
            match_base_path("/v1/orders", "/v1/orders/42").as_deref(),
            Some("/v1/orders")
        );
        assert_eq!(match_base_path("/v1/orders", "/v1/ordersx"), None);
        assert_eq!(
            match_base_path("/v1/*/items", "/v1/abc/items/3").as_deref(),
            Some("/v1/abc/items")
        );
        assert_eq!(match_base_path("/", "/anything").as_deref(), Some(""));
        assert_eq!(match_base_path("/{{ env }}/x", "/dev/x"), None);
    }
}
