//! `--pin sha256//...` (curl's `--pinnedpubkey` syntax) against openssl s_server, with every
//! pin computed independently by the openssl command line as curl's documentation does it
//! (`openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
//! base64`): the probe, `verify` and `cert` pass on any key of the verified path, fail with
//! exit 1 and every pin seen otherwise.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use support::fixtures::fixtures;
use support::openssl::s_server;
use support::{root, run, run_json, usage_error, verify_json};

/// openssl's pin of the first certificate in `pem`.
fn openssl_pin(pem: &Path) -> String {
    let pipe = |args: &[&str], input: &[u8]| -> Vec<u8> {
        let mut child = Command::new("openssl")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("openssl");
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "openssl {args:?}");
        out.stdout
    };
    let pem = std::fs::read(pem).unwrap();
    let public = pipe(&["x509", "-pubkey", "-noout"], &pem);
    let der = pipe(&["pkey", "-pubin", "-outform", "der"], &public);
    let digest = pipe(&["dgst", "-sha256", "-binary"], &der);
    let b64 = pipe(&["base64"], &digest);
    String::from_utf8(b64).unwrap().trim().to_string()
}

const NOBODY: &str = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

fn pin_check(r: &Value) -> &Value {
    let checks = r["checks"].as_array().expect("checks[]");
    let pins: Vec<&Value> = checks.iter().filter(|c| c["check"] == "pin").collect();
    assert_eq!(pins.len(), 1, "{checks:?}");
    pins[0]
}

#[test]
fn a_probe_passes_on_any_key_of_the_path_and_names_the_pins_it_saw() {
    let f = fixtures();
    let leaf = openssl_pin(&f.good.leaf_pem);
    let inter = openssl_pin(&f.inter_pem);
    let anchor = openssl_pin(&f.root_pem);
    let server = s_server(&f.good, &[]);
    let target = format!("localhost:{}", server.addr.port());
    let ca = root();
    let probe = |pin: &str| run_json(&["--ca-file", &ca, "--pin", pin, &target]);

    // The report's pins are openssl's, the trust anchor's included.
    let (code, r) = probe(&format!("sha256//{anchor}"));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["status"], "ok");
    assert_eq!(r["certificates"][0]["pin_sha256"], leaf.as_str());
    let path: Vec<&str> = r["verification"]["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pin_sha256"].as_str().unwrap())
        .collect();
    assert_eq!(path, [leaf.as_str(), inter.as_str(), anchor.as_str()]);
    let check = pin_check(&r);
    assert_eq!(check["passed"], true);
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("the trust anchor"),
        "{check}"
    );

    // Several pins, curl's way: one matching is enough.
    let (code, r) = probe(&format!("{NOBODY};sha256//{inter}"));
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(pin_check(&r)["passed"], true);

    // None matching: checks_failed, exit 1, every key of the path named.
    let (code, r) = probe(NOBODY);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "checks_failed");
    let check = pin_check(&r);
    assert_eq!(check["passed"], false);
    let message = check["message"].as_str().unwrap();
    for pin in [&leaf, &inter, &anchor] {
        assert!(message.contains(&format!("sha256//{pin}")), "{message}");
    }
    // And in words.
    let text = run(&["--ca-file", &ca, "--pin", NOBODY, &target]);
    assert_eq!(text.code, 1);
    assert!(
        text.stdout
            .contains("✗ CHECK FAILED, pin: no key on the verified path matches --pin"),
        "{}",
        text.stdout
    );
    // Without --pin, no check.
    let (code, r) = run_json(&["--ca-file", &ca, &target]);
    assert_eq!(code, 0);
    assert_eq!(r["checks"], serde_json::json!([]));
}

/// `tlsprobe --json cert ARGS`: its exit status and its one object, checked against the schema.
fn cert_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json", "cert"];
    all.extend_from_slice(args);
    let r = run(&all);
    let v: Value = serde_json::from_str(r.stdout.trim()).expect("one JSON object");
    support::assert_valid_as(&v, "cert_file");
    (r.code, v)
}

#[test]
fn verify_and_cert_take_the_same_pins() {
    let f = fixtures();
    let leaf = openssl_pin(&f.good.leaf_pem);
    let inter = openssl_pin(&f.inter_pem);
    let chain = f.good.chain_pem.to_str().unwrap();
    let ca = root();

    let (code, r) = verify_json(&[
        "--ca-file",
        &ca,
        "--pin",
        &format!("sha256//{inter}"),
        chain,
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(pin_check(&r)["passed"], true);
    let (code, r) = verify_json(&["--ca-file", &ca, "--pin", NOBODY, chain]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["verification"]["verified"], true);
    assert_eq!(pin_check(&r)["passed"], false);

    let (code, r) = cert_json(&["--pin", &format!("sha256//{leaf}"), chain]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(pin_check(&r)["passed"], true);
    let (code, r) = cert_json(&["--pin", NOBODY, chain]);
    assert_eq!(code, 1, "{r:#}");
    let message = pin_check(&r)["message"].as_str().unwrap().to_string();
    assert!(
        message.contains(&leaf) && message.contains(&inter),
        "{message}"
    );
    let text = run(&["cert", "--pin", &format!("sha256//{leaf}"), chain]);
    assert!(text.stdout.contains("✓ pin: sha256//"), "{}", text.stdout);
}

#[test]
fn a_malformed_pin_is_a_usage_error() {
    for pin in ["md5//abc", "sha256//AAAA", "sha256//not base64!", ";"] {
        let line = usage_error(&["--pin", pin, "127.0.0.1:1"]);
        assert!(line.starts_with("tlsprobe: --pin"), "{pin}: {line}");
        let line = usage_error(&["cert", "--pin", pin, "/dev/null"]);
        assert!(line.starts_with("tlsprobe: --pin"), "{pin}: {line}");
    }
}
