use super::{declare_rule, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::{Bundle, BundleKind, CacheEntryView, Policy, Valued, ValueSource};

declare_rule!(
    /// A LookupCache whose cache entry no PopulateCache of the project writes.
    CacheLookupWithoutPopulate,
    "cache-lookup-without-populate",
    Bundle,
    Warning,
    preview = true,
    apigeelint = [BN003],
);

impl Rule for CacheLookupWithoutPopulate {
    fn check_project_wide(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // A policy file that failed to load may be the PopulateCache.
        let failed = |b: &Bundle| b.failed_files.iter().any(|f| f.starts_with("policies/"));
        if cx.bundles().any(failed) {
            return;
        }
        let runs = |p: &&Policy| p.enabled && !cx.project.attachments_of(p.id).is_empty();
        let writers: Vec<(&Bundle, &CacheEntryView)> = cx
            .bundles()
            .flat_map(|b| b.policies.iter().filter(runs).map(move |p| (b, p)))
            .filter_map(|(b, p)| Some((b, p.cache_population()?)))
            .collect();
        for bundle in cx.bundles() {
            for policy in bundle.policies.iter().filter(runs) {
                let Some(lookup) = policy.cache_lookup() else {
                    continue;
                };
                let filled = writers.iter().any(|&(writer, populate)| {
                    reaches(lookup, bundle, writer) && may_write(populate, lookup)
                });
                if !filled {
                    out.push(finding(policy));
                }
            }
        }
    }
}

fn finding(policy: &Policy) -> Diagnostic {
    let name = &policy.name;
    let message = format!("LookupCache `{name}` reads an entry no PopulateCache of the project writes");
    let help = format!(
        "add a PopulateCache with the same CacheResource, Scope or Prefix and KeyFragments, \
         attached where the value is known: without one every lookup misses, \
         `lookupcache.{name}.cachehit` is always false, and the work the cache should save is \
         done on every request; if a proxy outside the linted paths fills it, lint the two together"
    );
    Diagnostic::new(&CacheLookupWithoutPopulate::META, policy.name_span, message)
        .primary_label("no PopulateCache writes its key")
        .help(help)
}

/// Whether a PopulateCache of `writer` can write what a LookupCache of `reader` reads: an entry
/// named by a `<Prefix>` or in the `Global` scope is shared by every proxy; otherwise the scope
/// ties the entry to the proxy, whose shared flows run inside it.
fn reaches(lookup: &CacheEntryView, reader: &Bundle, writer: &Bundle) -> bool {
    let global = lookup.prefix.is_some() || scope(lookup).eq_ignore_ascii_case("Global");
    global || writer.id == reader.id || writer.kind == BundleKind::SharedFlow
}

/// `Exclusive` when the policy sets none, as Apigee does.
fn scope(entry: &CacheEntryView) -> &str {
    entry.scope.as_ref().map_or("Exclusive", |s| s.value.trim())
}

/// Whether the two may name one entry: a value read from a variable may equal anything.
fn may_write(populate: &CacheEntryView, lookup: &CacheEntryView) -> bool {
    let fragments = &populate.key_fragments;
    may_equal(&populate.cache_resource, &lookup.cache_resource)
        && may_equal(&populate.prefix, &lookup.prefix)
        && (lookup.prefix.is_some() || scope(populate).eq_ignore_ascii_case(scope(lookup)))
        && fragments.len() == lookup.key_fragments.len()
        && fragments
            .iter()
            .zip(&lookup.key_fragments)
            .all(|(a, b)| fragment_may_equal(a, b))
}

fn may_equal(a: &Option<Valued>, b: &Option<Valued>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.is_dynamic() || b.is_dynamic() || a.value.trim() == b.value.trim(),
        _ => false,
    }
}

fn fragment_may_equal(a: &ValueSource, b: &ValueSource) -> bool {
    match (a.reference.is_some(), b.reference.is_some()) {
        (false, false) => may_equal(&a.literal, &b.literal),
        _ => true,
    }
}
