//! Servers whose certificates hold RSA-PSS keys (id-RSASSA-PSS), against `openssl s_server` and
//! `gnutls-serv`: such a key signs only with the rsa_pss_pss_* schemes, which tlsprobe offers
//! and checks itself, and its certificates are signed with encodings webpki has no algorithm
//! for, which tlsprobe adds.

mod support;

use std::path::Path;

use serde_json::Value;
use support::fixtures::Chain;
use support::gnutls::gnutls_serv;
use support::openssl::s_server;
use support::pss_chains::{certtool_chain, intermediate, key, leaf, root};
use support::{error_codes, run_json};

fn target(port: u16) -> String {
    format!("localhost:{port}")
}

fn probe(root: &Path, port: u16, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--ca-file", root.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    let target = target(port);
    args.push(&target);
    run_json(&args)
}

/// A root, an intermediate and a localhost leaf, all unrestricted RSA-PSS keys as `openssl
/// genpkey -algorithm RSA-PSS` makes them; certificates signed as OpenSSL does by default for
/// such keys (SHA-256, the longest salt). Returns the root's PEM and the leaf's chain.
fn openssl_chain(dir: &Path) -> (std::path::PathBuf, Chain) {
    let root_ca = root(dir, "root", "pss root", &key(dir, "root", &[]));
    let inter = intermediate(
        dir,
        "inter",
        "pss intermediate",
        &key(dir, "inter", &[]),
        &root_ca,
    );
    let chain = leaf(dir, "leaf", &key(dir, "leaf", &[]), &inter, &[&inter]);
    (root_ca.pem, chain)
}

fn assert_verified_with_pss(r: &Value, version: &str, scheme: &str) {
    assert_eq!(r["status"], "ok", "{r:#}");
    assert_eq!(r["error"], Value::Null);
    assert_eq!(r["protocol"]["version"], version);
    assert_eq!(r["protocol"]["signature_scheme"], scheme);
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(r["verification"]["hostname_matches"], true);
    for c in r["certificates"].as_array().expect("certificates") {
        assert_eq!(c["key"]["type"], "RSA-PSS", "{c:#}");
        assert_eq!(c["signature_algorithm"], "RSASSA-PSS", "{c:#}");
    }
}

#[test]
fn tls13_with_an_openssl_rsa_pss_chain_is_ok_and_verified() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (root_pem, chain) = openssl_chain(dir.path());
    let server = s_server(&chain, &["-tls1_3"]);
    let (code, r) = probe(&root_pem, server.port(), &[]);
    assert_eq!(code, 0, "{r:#}\n{}", server.log());
    assert_verified_with_pss(&r, "TLSv1.3", "rsa_pss_pss_sha256");
    assert_eq!(r["certificates"].as_array().expect("certificates").len(), 2);
    assert_eq!(r["certificates"][0]["key"]["bits"], 2048);
    let path: Vec<&str> = r["verification"]["path"]
        .as_array()
        .expect("path")
        .iter()
        .map(|p| p["subject"].as_str().expect("subject"))
        .collect();
    assert_eq!(path, ["CN=localhost", "CN=pss intermediate", "CN=pss root"]);
}

#[test]
fn keys_restricted_to_one_hash_sign_with_that_hash() {
    // The root may sign only with SHA-384, the leaf only with SHA-512: the server's only
    // scheme is rsa_pss_pss_sha512, and the leaf's signature uses the restricted-key encoding.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let restricted = |md: &'static str, salt: &'static str| {
        [
            format!("rsa_pss_keygen_md:{md}"),
            format!("rsa_pss_keygen_mgf1_md:{md}"),
            format!("rsa_pss_keygen_saltlen:{salt}"),
        ]
    };
    let root_opts = restricted("sha384", "48");
    let root_opts: Vec<&str> = root_opts.iter().map(String::as_str).collect();
    let leaf_opts = restricted("sha512", "64");
    let leaf_opts: Vec<&str> = leaf_opts.iter().map(String::as_str).collect();
    let root_ca = root(d, "root", "pss sha384 root", &key(d, "root", &root_opts));
    let chain = leaf(d, "leaf", &key(d, "leaf", &leaf_opts), &root_ca, &[]);
    let server = s_server(&chain, &["-tls1_3"]);
    let (code, r) = probe(&root_ca.pem, server.port(), &[]);
    assert_eq!(code, 0, "{r:#}\n{}", server.log());
    assert_verified_with_pss(&r, "TLSv1.3", "rsa_pss_pss_sha512");
}

#[test]
fn tls12_with_an_rsa_pss_key_fails_in_rustls_and_says_so() {
    // rustls 0.23 refuses an rsa_pss_pss ServerKeyExchange signature before asking our
    // verifier (see src/tls/pss_schemes.rs): TLS 1.2 cannot complete. The chain was received
    // and is judged all the same.
    let dir = tempfile::tempdir().expect("tempdir");
    let (root_pem, chain) = openssl_chain(dir.path());
    let server = s_server(&chain, &["-tls1_2"]);
    let (code, r) = probe(&root_pem, server.port(), &[]);
    assert_eq!(code, 4, "{r:#}\n{}", server.log());
    assert_eq!(r["status"], "handshake_failed");
    assert_eq!(r["error"]["kind"], "other", "{r:#}");
    let message = r["error"]["message"].as_str().expect("message");
    assert!(message.contains("rsa_pss_pss_sha256"), "{message}");
    assert!(
        r["error"]["hint"]
            .as_str()
            .expect("hint")
            .contains("--tls1.3"),
        "{r:#}"
    );
    assert_eq!(r["protocol"]["version"], "TLSv1.2");
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(r["certificates"][0]["key"]["type"], "RSA-PSS");
}

#[test]
fn an_intermediate_signed_by_another_key_under_the_roots_name_is_bad_signature() {
    // An impostor root with the real root's name and its own key signs the intermediate.
    // webpki finds the trusted root by name, picks our algorithm for the PSS key and finds the
    // signature does not verify under the real root's key: bad_signature, not unknown_issuer
    // (that would need the issuer's name to match no trusted root). Without an algorithm for
    // PSS-keyed issuers this would instead be reported as an unsupported algorithm.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let real = root(d, "root", "pss root", &key(d, "root", &[]));
    let impostor = root(d, "impostor", "pss root", &key(d, "impostor", &[]));
    let inter = intermediate(
        d,
        "inter",
        "pss intermediate",
        &key(d, "inter", &[]),
        &impostor,
    );
    let chain = leaf(d, "leaf", &key(d, "leaf", &[]), &inter, &[&inter]);
    let server = s_server(&chain, &["-tls1_3"]);
    let (code, r) = probe(&real.pem, server.port(), &[]);
    assert_eq!(code, 1, "{r:#}\n{}", server.log());
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(
        r["protocol"]["signature_scheme"], "rsa_pss_pss_sha256",
        "the handshake itself is fine"
    );
    assert_eq!(error_codes(&r), ["bad_signature"], "{r:#}");
}

#[test]
fn a_1024_bit_rsa_pss_leaf_is_a_weak_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let root_ca = root(d, "root", "pss root", &key(d, "root", &[]));
    let weak = key(d, "leaf", &["rsa_keygen_bits:1024"]);
    let chain = leaf(d, "leaf", &weak, &root_ca, &[]);
    // OpenSSL's default security level refuses a 1024-bit key.
    let server = s_server(&chain, &["-tls1_3", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let (code, r) = probe(&root_ca.pem, server.port(), &[]);
    assert_eq!(code, 1, "{r:#}\n{}", server.log());
    assert_eq!(r["certificates"][0]["key"]["type"], "RSA-PSS");
    assert_eq!(r["certificates"][0]["key"]["bits"], 1024);
    let codes = error_codes(&r);
    // aws-lc-rs does not verify PSS under 2048 bits; the weak key is the one finding.
    assert_eq!(codes, ["weak_key"], "{r:#}");
    let message = r["verification"]["errors"][0]["message"]
        .as_str()
        .expect("message");
    assert!(message.contains("1024-bit RSA-PSS key"), "{message}");
}

#[test]
fn tls13_with_a_gnutls_rsa_pss_chain_against_gnutls_serv_is_ok_and_verified() {
    // certtool's encodings differ from OpenSSL's (hash parameters absent, not NULL), and
    // gnutls-serv is a third implementation signing rsa_pss_pss_sha256.
    let dir = tempfile::tempdir().expect("tempdir");
    let (root_pem, chain) = certtool_chain(dir.path());
    let server = gnutls_serv(&chain, &[]);
    let (code, r) = probe(&root_pem, server.addr.port(), &[]);
    assert_eq!(code, 0, "{r:#}\n{}", server.log());
    assert_verified_with_pss(&r, "TLSv1.3", "rsa_pss_pss_sha256");
}
