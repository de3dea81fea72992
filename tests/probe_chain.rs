//! Chain diagnostics beyond webpki: incomplete chains, the served chain's shape, expiry
//! warnings and the --min-days check, weak algorithms, OCSP staples, the verified path, --pem.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use rustls::version::{TLS12, TLS13};
use serde_json::Value;
use support::fixtures::{fixtures, Chain};
use support::{error_codes, run, run_json, rustls_server, warning_codes};

fn probe(chain: &Chain, ca: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let addr = rustls_server::start(chain, &[&TLS13, &TLS12]);
    let target = format!("localhost:{}", addr.port());
    let mut args = vec!["--ca-file", ca.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(&target);
    run_json(&args)
}

#[test]
fn a_missing_intermediate_is_incomplete_chain_with_the_aia_url() {
    let f = fixtures();
    let (code, r) = probe(&f.aia_leaf_alone, &f.root_pem, &[]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(error_codes(&r), vec!["incomplete_chain"]);
    let e = &r["verification"]["errors"][0];
    assert_eq!(e["cert_index"], 0);
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("CN=tlsprobe test intermediate"), "{msg}");
    assert!(msg.contains("http://ca.invalid/intermediate.der"), "{msg}");
}

#[test]
fn a_missing_intermediate_is_caught_even_when_a_local_bundle_has_it() {
    let f = fixtures();
    let leaf_alone = f.good.serving(f.good.certs[..1].to_vec());
    let (code, r) = probe(&leaf_alone, &f.bundle_pem, &[]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(error_codes(&r), vec!["incomplete_chain"]);
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("CN=tlsprobe test intermediate") && msg.contains("--ca-file"),
        "{msg}"
    );
}

#[test]
fn the_path_names_the_anchor_that_ended_it() {
    let f = fixtures();
    let (code, r) = probe(&f.good, &f.root_pem, &[]);
    assert_eq!(code, 0, "{r:#}");
    let pin = |i: usize| r["certificates"][i]["pin_sha256"].clone();
    // The anchor's pin is openssl's (tests/pins.rs); here, that it is there.
    let anchor = r["verification"]["path"][2]["pin_sha256"].clone();
    assert_eq!(anchor.as_str().map(str::len), Some(44), "{anchor}");
    assert_eq!(
        r["verification"]["path"],
        serde_json::json!([
            {"subject": "CN=localhost", "cert_index": 0, "trust_anchor": false, "pin_sha256": pin(0)},
            {"subject": "CN=tlsprobe test intermediate", "cert_index": 1, "trust_anchor": false, "pin_sha256": pin(1)},
            {"subject": "CN=tlsprobe test root", "cert_index": null, "trust_anchor": true, "pin_sha256": anchor},
        ])
    );
    assert_eq!(r["verification"]["warnings"], serde_json::json!([]));
}

#[test]
fn a_sent_root_and_a_wrong_order_are_warnings_not_errors() {
    let f = fixtures();
    let c = &f.good.certs;
    let served = f
        .good
        .serving(vec![c[0].clone(), f.root_der.clone(), c[1].clone()]);
    let (code, r) = probe(&served, &f.root_pem, &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["verification"]["verified"], true);
    let w = warning_codes(&r);
    assert!(
        w.contains(&"root_sent".into()) && w.contains(&"chain_order".into()),
        "{w:?}"
    );
    let path = &r["verification"]["path"];
    assert_eq!(
        path[2]["cert_index"], 1,
        "the anchor was also sent, as certificate 1: {path}"
    );
}

#[test]
fn certificates_off_the_path_are_extra() {
    let f = fixtures();
    let c = &f.good.certs;
    let served = f
        .good
        .serving(vec![c[0].clone(), c[1].clone(), f.other_root_der.clone()]);
    let (code, r) = probe(&served, &f.root_pem, &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(warning_codes(&r), vec!["extra_certificates"]);
    assert_eq!(r["verification"]["warnings"][0]["cert_index"], 2);
}

#[test]
fn expiry_warns_below_warn_days_and_fails_below_min_days() {
    let f = fixtures();
    let (code, r) = probe(&f.expiring, &f.root_pem, &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(warning_codes(&r), vec!["expires_soon"]);
    assert_eq!(r["checks"], serde_json::json!([]));

    let (code, r) = probe(&f.expiring, &f.root_pem, &["--warn-days", "5"]);
    assert_eq!(code, 0);
    assert_eq!(warning_codes(&r), Vec::<String>::new());

    let (code, r) = probe(&f.expiring, &f.root_pem, &["--min-days", "30"]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "checks_failed");
    assert_eq!(r["verification"]["verified"], true);
    assert_eq!(r["checks"][0]["check"], "min_days");
    assert_eq!(r["checks"][0]["passed"], false);
    assert!(
        r["checks"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expires in 10 days"),
        "{r:#}"
    );

    let (code, r) = probe(&f.expiring, &f.root_pem, &["--min-days", "7"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["checks"][0]["passed"], true);

    let text = run(&[
        "--min-days",
        "30",
        "--ca-file",
        f.root_pem.to_str().unwrap(),
        &format!(
            "localhost:{}",
            rustls_server::start(&f.expiring, &[&TLS13]).port()
        ),
    ]);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("CHECK FAILED"), "{}", text.stdout);
}

#[test]
fn sha1_and_rsa1024_are_weak_signature_and_weak_key() {
    let dir = tempfile::tempdir().unwrap();
    let (root, leaf, key) = support::openssl_ca::weak_chain(dir.path());
    let chain = Chain {
        certs: vec![],
        key_der: vec![],
        leaf_pem: leaf.clone(),
        rest_pem: dir.path().join("empty.pem"),
        key_pem: key,
        chain_pem: leaf,
    };
    std::fs::write(&chain.rest_pem, "").unwrap();
    let server = support::openssl::s_server(&chain, &["-cipher", "DEFAULT@SECLEVEL=0", "-tls1_2"]);
    let target = format!("localhost:{}", server.addr.port());
    let (code, r) = run_json(&["--ca-file", root.to_str().unwrap(), &target]);
    assert_eq!(code, 1, "{r:#}");
    let codes = error_codes(&r);
    assert!(
        codes.contains(&"weak_signature".into()) && codes.contains(&"weak_key".into()),
        "{codes:?}"
    );
    assert!(
        !codes.contains(&"bad_signature".into()),
        "a weak key is named as such: {codes:?}"
    );
    let messages: Vec<&str> = r["verification"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("sha1WithRSAEncryption")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("1024-bit RSA")),
        "{messages:?}"
    );
}

#[test]
fn ocsp_staples_good_and_revoked() {
    let f = fixtures();
    let root = f.root_pem.to_str().unwrap();
    for revoked in [false, true] {
        let response = support::openssl_ca::ocsp_response(f, revoked);
        let server =
            support::openssl::s_server(&f.good, &["-status_file", response.to_str().unwrap()]);
        let (code, r) = run_json(&[
            "--ca-file",
            root,
            &format!("localhost:{}", server.addr.port()),
        ]);
        let staple = &r["protocol"]["ocsp_staple"];
        assert_eq!(
            staple["status"],
            if revoked { "revoked" } else { "good" },
            "{r:#}"
        );
        assert!(
            staple["this_update"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z')),
            "{staple}"
        );
        assert!(staple["next_update"].is_string(), "{staple}");
        assert_eq!(staple["responder"], "CN=tlsprobe test intermediate");
        if revoked {
            assert_eq!(code, 1);
            assert_eq!(error_codes(&r), vec!["revoked"]);
        } else {
            assert_eq!(code, 0, "{r:#}");
        }
    }
}

#[test]
fn pem_output_is_read_by_openssl_x509() {
    let f = fixtures();
    let addr = rustls_server::start(&f.good, &[&TLS13]);
    let r = run(&[
        "--pem",
        "--ca-file",
        f.root_pem.to_str().unwrap(),
        &format!("localhost:{}", addr.port()),
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.matches("-----BEGIN CERTIFICATE-----").count(), 2);
    let mut x509 = Command::new("openssl")
        .args(["x509", "-noout", "-subject"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    x509.stdin
        .take()
        .unwrap()
        .write_all(r.stdout.as_bytes())
        .unwrap();
    let out = x509.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "subject=CN = localhost"
    );
}
