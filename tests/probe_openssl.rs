//! Against `openssl s_server`, an independent TLS implementation.

mod support;

use support::fixtures::fixtures;
use support::openssl::s_server;
use support::{messages, run_json, TLS12_HANDSHAKE};

fn target(addr: std::net::SocketAddr) -> String {
    format!("localhost:{}", addr.port())
}

#[test]
fn tls13_with_a_good_ecdsa_chain_is_ok() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_3"]);
    let root = f.root_pem.to_str().unwrap();
    let (code, r) = run_json(&["--ca-file", root, &target(server.addr)]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["status"], "ok");
    assert_eq!(r["error"], serde_json::Value::Null);
    assert_eq!(r["protocol"]["version"], "TLSv1.3");
    assert_eq!(r["certificates"].as_array().unwrap().len(), 2);
    assert_eq!(r["certificates"][0]["subject"], "CN=localhost");
    assert_eq!(
        r["certificates"][1]["subject"],
        "CN=tlsprobe test intermediate"
    );
    assert_eq!(r["verification"]["verified"], true);
    assert_eq!(r["verification"]["trust_store"], "file");
    assert_eq!(r["verification"]["hostname_matches"], true);
    assert_eq!(r["protocol"]["signature_scheme"], "ecdsa_secp256r1_sha256");
    assert_eq!(r["target"]["sni"], "localhost");
    assert_eq!(
        r["target"]["address"],
        format!("127.0.0.1:{}", server.addr.port())
    );
    let m = messages(&r);
    assert_eq!(m[0], ("client".into(), "ClientHello".into()));
    assert_eq!(m[1], ("server".into(), "ServerHello".into()));
    assert_eq!(r["handshake"][0]["sni"], "localhost");
    assert_eq!(r["handshake"][1]["version"], "TLSv1.3");
}

#[test]
fn tls12_reports_the_version_and_the_iana_suite_name() {
    let f = fixtures();
    let server = s_server(
        &f.good,
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
    );
    let root = f.root_pem.to_str().unwrap();
    let (code, r) = run_json(&["--ca-file", root, &target(server.addr)]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.2");
    assert_eq!(
        r["protocol"]["cipher_suite"],
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
    );
    let types: Vec<(String, String)> = messages(&r);
    for (i, (from, ty)) in TLS12_HANDSHAKE[..8].iter().enumerate() {
        assert_eq!(types[i], (from.to_string(), ty.to_string()), "{types:?}");
    }
    // The server's ChangeCipherSpec and encrypted Finished follow (a NewSessionTicket may
    // come first).
    let server_ccs = types
        .iter()
        .position(|t| *t == ("server".into(), "ChangeCipherSpec".into()));
    let server_fin = types
        .iter()
        .position(|t| *t == ("server".into(), "Finished".into()));
    assert!(
        matches!((server_ccs, server_fin), (Some(a), Some(b)) if b == a + 1),
        "{types:?}"
    );
    let fin = &r["handshake"][server_fin.unwrap()];
    assert_eq!(fin["encrypted"], true);
    let ske = &r["handshake"][3];
    assert!(ske["group"].is_string(), "{ske}");
    // TLS 1.2 pairs ECDSA with any hash: the scheme names the hash the server picked.
    assert!(
        ske["signature_scheme"]
            .as_str()
            .is_some_and(|s| s.starts_with("ecdsa_")),
        "{ske}"
    );
    assert_eq!(ske["signature_scheme"], r["protocol"]["signature_scheme"]);
    assert_eq!(r["handshake"][2]["count"], 2);
}

#[test]
fn an_untrusted_chain_still_completes_and_is_reported() {
    let f = fixtures();
    let server = s_server(&f.good, &[]);
    // Without --ca-file, the test root is not among Mozilla's roots.
    let (code, r) = run_json(&[&target(server.addr)]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(r["verification"]["trust_store"], "mozilla");
    // The server sends leaf and intermediate; the root is neither sent nor trusted: a private
    // CA, which the server cannot fix (unknown_issuer, not incomplete_chain).
    assert_eq!(support::error_codes(&r), vec!["unknown_issuer"]);
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("CN=tlsprobe test root"), "{msg}");
    assert!(r["protocol"]["version"].is_string());
}

#[test]
fn tls12_suite_names_are_iana_names() {
    let f = fixtures();
    let root = f.root_pem.to_str().unwrap();
    for (openssl_name, iana) in [
        (
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        ),
        (
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ),
        (
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        ),
    ] {
        let server = s_server(&f.good, &["-tls1_2", "-cipher", openssl_name]);
        let (code, r) = run_json(&["--ca-file", root, &target(server.addr)]);
        assert_eq!(code, 0, "{openssl_name}: {r:#}\n{}", server.log());
        assert_eq!(r["protocol"]["version"], "TLSv1.2");
        assert_eq!(r["protocol"]["cipher_suite"], iana, "{openssl_name}");
        assert_eq!(r["handshake"][1]["cipher_suite"], iana, "the ServerHello");
    }
}

#[test]
fn tls13_against_openssl_uses_x25519_without_a_retry() {
    let f = fixtures();
    let server = s_server(
        &f.good,
        &["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"],
    );
    let root = f.root_pem.to_str().unwrap();
    let (code, r) = run_json(&["--ca-file", root, &target(server.addr)]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["cipher_suite"], "TLS_AES_128_GCM_SHA256");
    // OpenSSL 3.0 has no ML-KEM: it takes the X25519 share the client sent alongside.
    let group = r["protocol"]["key_exchange_group"].as_str().unwrap();
    assert!(group.eq_ignore_ascii_case("x25519"), "{group}");
    let hellos = messages(&r)
        .iter()
        .filter(|(_, t)| t == "ClientHello")
        .count();
    assert_eq!(hellos, 1, "no HelloRetryRequest: {:?}", messages(&r));
    assert_eq!(r["protocol"]["resumed"], false);
}

#[test]
fn alpn_chosen_by_openssl_is_reported() {
    let f = fixtures();
    let server = s_server(&f.good, &["-alpn", "h2"]);
    let root = f.root_pem.to_str().unwrap();
    let (code, r) = run_json(&[
        "--ca-file",
        root,
        "--alpn",
        "h2,http/1.1",
        &target(server.addr),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["alpn"], "h2");
    // Without --alpn nothing is offered, so nothing is chosen.
    let (code, r) = run_json(&["--ca-file", root, &target(server.addr)]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["alpn"], serde_json::Value::Null);
}

#[test]
fn an_expired_leaf_from_openssl_is_verify_failed() {
    let f = fixtures();
    let server = s_server(&f.expired, &[]);
    let root = f.root_pem.to_str().unwrap();
    let (code, r) = run_json(&["--ca-file", root, &target(server.addr)]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(support::error_codes(&r), vec!["expired"]);
    assert_eq!(r["certificates"].as_array().unwrap().len(), 2);
}

#[test]
fn text_mode_against_openssl_tls12() {
    let f = fixtures();
    let server = s_server(
        &f.good,
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"],
    );
    let root = f.root_pem.to_str().unwrap();
    let out = support::run(&["--ca-file", root, &target(server.addr)]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("TLSv1.2"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\u{1b}'));
}

#[test]
fn alpn_of_a_tls12_server_hello_is_in_its_fields() {
    let f = fixtures();
    let server = s_server(&f.good, &["-alpn", "h2", "-tls1_2"]);
    let root = f.root_pem.to_str().unwrap();
    let (code, r) = run_json(&["--ca-file", root, "--alpn", "h2", &target(server.addr)]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.2");
    assert_eq!(r["protocol"]["alpn"], "h2");
    let hello = r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["type"] == "ServerHello")
        .expect("a ServerHello");
    assert_eq!(hello["alpn"], "h2", "{hello:#}");
    assert!(hello["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e == "application_layer_protocol_negotiation"));
}
