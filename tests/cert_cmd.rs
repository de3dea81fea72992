//! `tlsprobe cert FILE...`: local certificates through the same view.

mod support;

use serde_json::Value;
use support::fixtures::fixtures;
use support::run;

fn cert_file_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let wrapper = serde_json::json!({"$ref": "#/$defs/cert_file", "$defs": schema["$defs"]});
    jsonschema::validator_for(&wrapper).unwrap()
}

#[test]
fn pem_and_der_files_in_text_and_json() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let der = dir.path().join("leaf.der");
    std::fs::write(&der, &f.good.certs[0]).unwrap();
    let chain = f.good.chain_pem.to_str().unwrap();

    let r = run(&["--json", "cert", chain, der.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let v = cert_file_validator();
    for l in &lines {
        assert!(v.is_valid(l), "{l:#}");
    }
    assert_eq!(lines[0]["certificates"].as_array().unwrap().len(), 2);
    assert_eq!(
        lines[0]["certificates"][1]["subject"],
        "CN=tlsprobe test intermediate"
    );
    assert_eq!(lines[1]["certificates"][0]["subject"], "CN=localhost");
    assert_eq!(
        lines[1]["certificates"][0]["sha256"],
        lines[0]["certificates"][0]["sha256"]
    );
    assert_eq!(lines[1]["error"], Value::Null);

    let text = run(&["cert", chain]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("CN=localhost") && text.stdout.contains("days left"),
        "{}",
        text.stdout
    );
}

#[test]
fn unreadable_or_invalid_files_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let r = run(&["--json", "cert", "/nonexistent.pem", junk.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one object per file, whatever happened");
    assert!(lines[0]["error"].as_str().unwrap().contains("cannot read"));
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("neither PEM nor"));
    let v = cert_file_validator();
    assert!(lines.iter().all(|l| v.is_valid(l)));
}

#[test]
fn a_host_named_cert_is_still_a_target() {
    // `cert:PORT` is a target, not the subcommand: it is probed (and, here, refused).
    let port = support::closed_port();
    let r = run(&["--json", "--timeout", "5", &format!("cert:{port}")]);
    let report: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    support::assert_valid(&report);
    assert_eq!(report["target"]["host"], "cert");
    assert_eq!(report["target"]["port"], port);
    assert_eq!(r.code, 3);
}
