//! The catalog (`src/catalog/schema.rs`) is generated from `catalog/`: the vendored policy
//! schemas and the hand-kept overrides. `catalog_is_current` regenerates it in memory and
//! fails when the committed file differs; `UPDATE_CATALOG=1 cargo test --test catalog` rewrites
//! it. The generator lives here, in the test tree, so it does not ship in the binary.

mod assertions;
#[path = "../common/mod.rs"]
mod common;
mod corpus;
mod emit;
mod model;
mod overrides;
mod resolve;
mod xsd;

use std::path::Path;

const SCHEMAS: &str = "catalog/apigee-policy-schema/schemas";
const OVERRIDES: &str = "catalog/overrides.toml";
const GENERATED: &str = "src/catalog/schema.rs";

fn generate() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schemas = xsd::read(&root.join(SCHEMAS));
    let overrides = std::fs::read_to_string(root.join(OVERRIDES)).unwrap();
    let mut resolver = resolve::Resolver::new(&schemas);
    overrides::apply(overrides::read(&overrides), &mut resolver);
    emit::rust(&resolver.finish())
}

#[test]
fn catalog_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
    let generated = generate();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if generated == committed {
        return;
    }
    if std::env::var_os("UPDATE_CATALOG").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    panic!(
        "{GENERATED} is not what catalog/ generates: \
         run `UPDATE_CATALOG=1 cargo test --test catalog` and commit the result"
    );
}
