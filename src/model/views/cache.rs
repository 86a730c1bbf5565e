//! LookupCache and PopulateCache: which cache entry they read or write.

use super::ValueSource;
use crate::model::Valued;
use crate::parse::xml::Element;

/// The cache entry a LookupCache reads or a PopulateCache writes: Apigee names it by the
/// `<CacheKey>`'s `<Prefix>` (else by the `<Scope>`) and its `<KeyFragment>`s, in the cache
/// `<CacheResource>` names (the shared cache without one).
#[derive(Clone, Debug)]
pub struct CacheEntryView {
    pub cache_resource: Option<Valued>,
    pub scope: Option<Valued>,
    pub prefix: Option<Valued>,
    pub key_fragments: Vec<ValueSource>,
    /// A PopulateCache's `<Source>`: the variable whose value it stores.
    pub source: Option<Valued>,
}

impl CacheEntryView {
    pub fn of(root: &Element) -> CacheEntryView {
        let key = root.child("CacheKey");
        CacheEntryView {
            cache_resource: Valued::child_text(root, "CacheResource"),
            scope: Valued::child_text(root, "Scope"),
            prefix: key.and_then(|k| Valued::child_text(k, "Prefix")),
            key_fragments: key
                .into_iter()
                .flat_map(|k| k.children_named("KeyFragment"))
                .map(ValueSource::element)
                .collect(),
            source: Valued::child_text(root, "Source"),
        }
    }
}
