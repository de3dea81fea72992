//! x509-limbo conformance: every testcase of `tests/conformance/limbo.json` through
//! `tlsprobe verify`, compared with the suite's expected verdict.
//!
//! The score must stay at or above 95%; every disagreement must be a deliberate departure
//! listed with its reason in `tests/conformance/departures.txt` (and every listed one must
//! still disagree, so the list cannot go stale); and no failure may be reported as `other`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

const TARGET_PERCENT: f64 = 95.0;

struct Outcome {
    id: String,
    expected_success: bool,
    verified: bool,
    codes: Vec<String>,
}

fn testcases() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/limbo.json");
    let suite: Value = serde_json::from_slice(&std::fs::read(path).expect("read limbo.json"))
        .expect("limbo.json is JSON");
    suite["testcases"].as_array().expect("testcases").clone()
}

fn departures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/departures.txt");
    let text = std::fs::read_to_string(path).expect("read departures.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, why) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            assert!(!why.trim().is_empty(), "departure {id} has no reason");
            (id.to_string(), why.trim().to_string())
        })
        .collect()
}

fn pems(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// One testcase through the binary.
fn run(tc: &Value, dir: &Path) -> Outcome {
    let id = tc["id"].as_str().expect("id").to_string();
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let write = |name: &str, text: &str| {
        let p = dir.join(format!("{safe}-{name}.pem"));
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("utf-8").to_string()
    };
    let leaf = write("leaf", tc["peer_certificate"].as_str().expect("peer"));
    let mut args: Vec<String> = vec!["--json".into(), "verify".into()];
    let trusted = pems(&tc["trusted_certs"]);
    if !trusted.is_empty() {
        args.extend(["--ca-file".into(), write("roots", &trusted)]);
    }
    let untrusted = pems(&tc["untrusted_intermediates"]);
    if !untrusted.is_empty() {
        args.extend(["--untrusted".into(), write("untrusted", &untrusted)]);
    }
    if let Some(name) = tc["expected_peer_name"]["value"].as_str() {
        args.extend(["--host".into(), name.to_string()]);
    }
    if let Some(at) = tc["validation_time"].as_str() {
        args.extend(["--at".into(), at.to_string()]);
    }
    if tc["validation_kind"] == "CLIENT" {
        args.extend(["--purpose".into(), "client".into()]);
    }
    args.push(leaf);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = support::run(&refs);
    let report: Value =
        serde_json::from_str(r.stdout.trim()).unwrap_or_else(|e| panic!("{id}: {e}: {}", r.stdout));
    support::assert_valid_as(&report, "chain_report");
    assert!(
        r.code == 0 || r.code == 1,
        "{id}: exit {} ({}), {report:#}",
        r.code,
        report["error"]
    );
    let verified = report["verification"]["verified"]
        .as_bool()
        .expect("verified");
    assert_eq!(
        verified,
        r.code == 0,
        "{id}: exit code and verdict disagree"
    );
    Outcome {
        id,
        expected_success: tc["expected_result"] == "SUCCESS",
        verified,
        codes: support::error_codes(&report),
    }
}

#[test]
fn limbo_conformance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outcomes: Vec<Outcome> = testcases().iter().map(|tc| run(tc, dir.path())).collect();
    let departures = departures();

    let disagree: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.expected_success != o.verified)
        .collect();
    let agreed = outcomes.len() - disagree.len();
    let percent = 100.0 * agreed as f64 / outcomes.len() as f64;
    println!(
        "x509-limbo: {agreed} of {} testcases agree ({percent:.1}%)",
        outcomes.len()
    );
    for o in &disagree {
        println!(
            "  disagree: {} (expected {}, got {}{})",
            o.id,
            if o.expected_success {
                "SUCCESS"
            } else {
                "FAILURE"
            },
            if o.verified {
                "verified"
            } else {
                "not verified: "
            },
            o.codes.join(", ")
        );
    }

    let unlisted: Vec<&str> = disagree
        .iter()
        .map(|o| o.id.as_str())
        .filter(|id| !departures.contains_key(*id))
        .collect();
    assert!(
        unlisted.is_empty(),
        "disagreements not listed in departures.txt: {unlisted:#?}"
    );
    let stale: Vec<&String> = departures
        .keys()
        .filter(|id| !disagree.iter().any(|o| &o.id == *id))
        .collect();
    assert!(
        stale.is_empty(),
        "departures.txt lists testcases that now agree: {stale:#?}"
    );
    let other: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.codes.iter().any(|c| c == "other"))
        .map(|o| o.id.as_str())
        .collect();
    assert!(other.is_empty(), "failures reported as `other`: {other:#?}");
    let silent: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.verified && o.codes.is_empty())
        .map(|o| o.id.as_str())
        .collect();
    assert!(silent.is_empty(), "not verified but no error: {silent:#?}");
    assert!(
        percent >= TARGET_PERCENT,
        "score {percent:.1}% is below {TARGET_PERCENT}%"
    );
}
