//! Each chain fault, served by an in-process rustls server, gives its code, status
//! verify_failed and exit 1; the good chain gives ok and exit 0.

mod support;

use rustls::version::{TLS12, TLS13};
use support::fixtures::{fixtures, Chain};
use support::{error_codes, run_json, rustls_server};

fn probe(chain: &Chain) -> (i32, serde_json::Value) {
    let addr = rustls_server::start(chain, &[&TLS13, &TLS12]);
    let root = fixtures().root_pem.to_str().unwrap().to_string();
    run_json(&["--ca-file", &root, &format!("localhost:{}", addr.port())])
}

fn assert_fails_with(chain: &Chain, code: &str, cert_index: Option<u64>) -> serde_json::Value {
    let (exit, r) = probe(chain);
    assert_eq!(exit, 1, "{r:#}");
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(
        r["error"],
        serde_json::Value::Null,
        "the handshake itself succeeded"
    );
    assert_eq!(r["verification"]["verified"], false);
    assert_eq!(error_codes(&r), vec![code.to_string()], "{r:#}");
    let e = &r["verification"]["errors"][0];
    assert_eq!(e["cert_index"].as_u64(), cert_index, "{e}");
    assert!(e["message"].as_str().is_some_and(|m| m.len() > 10), "{e}");
    r
}

#[test]
fn good_chain_is_trusted() {
    let (code, r) = probe(&fixtures().good);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["status"], "ok");
    assert_eq!(r["verification"]["errors"], serde_json::json!([]));
    let leaf = &r["certificates"][0];
    assert_eq!(
        leaf["sans"],
        serde_json::json!(["localhost", "127.0.0.1", "::1"])
    );
    assert_eq!(leaf["key"]["type"], "EC");
    assert_eq!(leaf["key"]["curve"], "P-256");
    assert_eq!(leaf["self_signed"], false);
    assert_eq!(r["certificates"][1]["is_ca"], true);
    assert!(
        leaf["days_left"]
            .as_i64()
            .is_some_and(|d| (88..=90).contains(&d)),
        "{leaf}"
    );
    assert!(leaf["pem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----\n"));
}

#[test]
fn expired() {
    let r = assert_fails_with(&fixtures().expired, "expired", Some(0));
    assert!(r["certificates"][0]["days_left"].as_i64().unwrap() < 0);
}

#[test]
fn not_yet_valid() {
    assert_fails_with(&fixtures().not_yet_valid, "not_yet_valid", Some(0));
}

#[test]
fn hostname_mismatch() {
    let r = assert_fails_with(&fixtures().wrong_host, "hostname_mismatch", Some(0));
    assert_eq!(r["verification"]["hostname_matches"], false);
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("wrong.example") && msg.contains("localhost"),
        "{msg}"
    );
}

#[test]
fn unknown_issuer() {
    let r = assert_fails_with(&fixtures().unknown_issuer, "unknown_issuer", Some(2));
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("some other root"), "{msg}");
}

#[test]
fn self_signed() {
    let r = assert_fails_with(&fixtures().self_signed, "self_signed", Some(0));
    assert_eq!(r["certificates"][0]["self_signed"], true);
}

#[test]
fn not_a_ca() {
    assert_fails_with(&fixtures().not_a_ca, "not_a_ca", Some(1));
}

#[test]
fn bad_usage() {
    assert_fails_with(&fixtures().client_auth_only, "bad_usage", Some(0));
}

#[test]
fn an_expired_leaf_does_not_hide_an_unknown_root() {
    // The wrong trust store for the expired chain (leaf and intermediate served, the root is
    // a private one): both faults must be named, and the root is unknown, not missing.
    let addr = rustls_server::start(&fixtures().expired, &[&TLS13]);
    let (code, r) = run_json(&[&format!("localhost:{}", addr.port())]);
    assert_eq!(code, 1);
    assert_eq!(error_codes(&r), vec!["expired", "unknown_issuer"], "{r:#}");
}

#[test]
fn tls12_only_flag_offers_only_tls12() {
    let addr = rustls_server::start(&fixtures().good, &[&TLS13, &TLS12]);
    let root = fixtures().root_pem.to_str().unwrap().to_string();
    let (code, r) = run_json(&[
        "--tls1.2",
        "--ca-file",
        &root,
        &format!("localhost:{}", addr.port()),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.2");
    assert_eq!(
        r["handshake"][0]["versions"],
        serde_json::json!(["TLSv1.2"]),
        "only TLS 1.2 offered"
    );
}

#[test]
fn tls13_only_against_a_tls12_server_fails_the_handshake() {
    let addr = rustls_server::start(&fixtures().good, &[&TLS12]);
    let (code, r) = run_json(&["--tls1.3", &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["status"], "handshake_failed");
    assert_eq!(r["error"]["phase"], "handshake");
    assert_eq!(r["error"]["alert"], "protocol_version");
    assert_eq!(r["protocol"], serde_json::Value::Null);
    assert_eq!(
        support::messages(&r)[0],
        ("client".into(), "ClientHello".into())
    );
    assert!(support::messages(&r).contains(&("server".into(), "Alert".into())));
}

#[test]
fn a_broken_certificate_signature_is_bad_signature() {
    assert_fails_with(&fixtures().tampered, "bad_signature", Some(0));
}

#[test]
fn a_handshake_signed_with_the_wrong_key_is_bad_signature() {
    let f = fixtures();
    // The good chain, but the handshake is signed by the self-signed fixture's key.
    let addr = rustls_server::start_with_wrong_key(&f.good, &f.self_signed);
    let root = f.root_pem.to_str().unwrap().to_string();
    let (code, r) = run_json(&["--ca-file", &root, &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(error_codes(&r), vec!["bad_signature"]);
    assert_eq!(r["verification"]["errors"][0]["cert_index"], 0);
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("handshake signature"), "{msg}");
}

#[test]
fn exit_codes_are_the_same_in_text_mode() {
    let f = fixtures();
    let root = f.root_pem.to_str().unwrap().to_string();
    for (chain, exit, code) in [
        (&f.good, 0, None),
        (&f.expired, 1, Some("expired")),
        (&f.wrong_host, 1, Some("hostname_mismatch")),
        (&f.self_signed, 1, Some("self_signed")),
    ] {
        let addr = rustls_server::start(chain, &[&TLS13]);
        let r = support::run(&["--ca-file", &root, &format!("localhost:{}", addr.port())]);
        assert_eq!(r.code, exit, "{code:?}: {}\n{}", r.stdout, r.stderr);
        if let Some(code) = code {
            assert!(r.stdout.contains(code), "{code}: {}", r.stdout);
            assert!(r.stdout.contains("NOT TRUSTED"), "{}", r.stdout);
        }
        assert!(!r.stdout.contains('\u{1b}'));
    }
}

#[test]
fn an_ip_target_outside_the_sans_is_hostname_mismatch() {
    let addr = rustls_server::start(&fixtures().wrong_host, &[&TLS13]);
    let root = fixtures().root_pem.to_str().unwrap().to_string();
    let (code, r) = run_json(&["--ca-file", &root, &format!("127.0.0.1:{}", addr.port())]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(error_codes(&r), vec!["hostname_mismatch"]);
    assert_eq!(r["verification"]["hostname_matches"], false);
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("127.0.0.1"), "{msg}");
}

#[test]
fn each_fault_against_tls12_too() {
    let f = fixtures();
    let root = f.root_pem.to_str().unwrap().to_string();
    for (chain, code) in [
        (&f.expired, "expired"),
        (&f.not_yet_valid, "not_yet_valid"),
        (&f.wrong_host, "hostname_mismatch"),
        (&f.unknown_issuer, "unknown_issuer"),
    ] {
        let addr = rustls_server::start(chain, &[&TLS12]);
        let (exit, r) = run_json(&["--ca-file", &root, &format!("localhost:{}", addr.port())]);
        assert_eq!(exit, 1, "{code}: {r:#}");
        assert_eq!(r["protocol"]["version"], "TLSv1.2");
        assert_eq!(error_codes(&r), vec![code.to_string()], "{r:#}");
    }
}
