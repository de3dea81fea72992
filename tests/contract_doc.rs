//! `docs/CONTRACT.md` is kept in step with `schema/report.schema.json`: every top-level property,
//! status, error kind and phase, verification error and warning code, scan finding code, check
//! and policy rule the schema allows is named in the contract (as `name` or "name").

use serde_json::Value;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The `enum` at `pointer`, as strings.
fn values(schema: &Value, pointer: &str) -> Vec<String> {
    schema
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no enum at {pointer}"))
        .iter()
        // `null` (a check's rule when it has none) is no name to look for.
        .filter(|v| !v.is_null())
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn the_contract_names_everything_the_schema_allows() {
    let schema: Value = serde_json::from_str(&read("schema/report.schema.json")).expect("JSON");
    let contract = read("docs/CONTRACT.md");
    let mut wanted: Vec<(String, String)> = Vec::new();
    let top = schema["properties"].as_object().expect("properties");
    wanted.extend(top.keys().map(|k| ("top-level property".into(), k.clone())));
    for (what, pointer) in [
        ("status", "/properties/status/enum"),
        (
            "error.kind",
            "/properties/error/oneOf/1/properties/kind/enum",
        ),
        (
            "error.phase",
            "/properties/error/oneOf/1/properties/phase/enum",
        ),
        (
            "verification error code",
            "/$defs/verification/properties/errors/items/properties/code/enum",
        ),
        (
            "verification warning code",
            "/$defs/verification/properties/warnings/items/properties/code/enum",
        ),
        (
            "scan finding code",
            "/properties/scan/oneOf/1/properties/findings/items/properties/code/enum",
        ),
        ("check", "/$defs/check/properties/check/enum"),
        ("policy rule", "/$defs/check/properties/rule/enum"),
    ] {
        wanted.extend(
            values(&schema, pointer)
                .into_iter()
                .map(|v| (what.to_string(), v)),
        );
    }
    let missing: Vec<String> = wanted
        .iter()
        .filter(|(_, name)| {
            !contract.contains(&format!("`{name}`")) && !contract.contains(&format!("\"{name}\""))
        })
        .map(|(what, name)| format!("{what} {name}"))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/CONTRACT.md does not name: {}",
        missing.join(", ")
    );
}

#[test]
fn the_readme_points_to_the_contract_in_the_repository() {
    let readme = read("README.md");
    assert!(readme.contains("docs/CONTRACT.md"));
    assert!(!readme.contains("shared/CONTRACT.md"));
}
