//! A stapled OCSP response is believed only when it proves the leaf's status: signed by the
//! leaf's issuer (or a responder it authorised) and naming the leaf. Anything else is the
//! verification error `bad_ocsp_staple` on the leaf.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::fixtures::{fixtures, Fixtures};
use support::openssl_ca::openssl;
use support::{error_codes, run_json};

/// `openssl ocsp` signing with `signer` (certificate, key) a response about `cert` as issued
/// by the fixtures' intermediate, with `extra` options; the response's path.
fn response(dir: &Path, signer: (&Path, &Path), cert: &Path, extra: &[&str]) -> PathBuf {
    let cert = cert.to_str().unwrap();
    let serial = openssl(dir, &["x509", "-noout", "-serial", "-in", cert]);
    let serial = serial.trim().trim_start_matches("serial=");
    std::fs::write(
        dir.join("index.txt"),
        format!("V\t300101000000Z\t\t{serial}\tunknown\t/CN=localhost\n"),
    )
    .unwrap();
    let f = fixtures();
    let inter = f.inter_pem.to_str().unwrap();
    let out = dir.join("response.der");
    let mut args = vec![
        "ocsp",
        "-index",
        "index.txt",
        "-rsigner",
        signer.0.to_str().unwrap(),
        "-rkey",
        signer.1.to_str().unwrap(),
        "-CA",
        inter,
        "-issuer",
        inter,
        "-cert",
        cert,
        "-respout",
        out.to_str().unwrap(),
        "-ndays",
        "1",
    ];
    args.extend_from_slice(extra);
    openssl(dir, &args);
    out
}

/// A self-signed certificate with the OCSP signing usage: a key the intermediate never
/// authorised. Returns (certificate, key).
fn rogue_responder(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("rogue.pem"), dir.join("rogue.key"));
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            "/CN=rogue responder",
            "-days",
            "30",
            "-addext",
            "extendedKeyUsage=OCSPSigning",
            "-keyout",
            key.to_str().unwrap(),
            "-out",
            cert.to_str().unwrap(),
        ],
    );
    (cert, key)
}

fn intermediate(f: &Fixtures) -> (&Path, &Path) {
    (&f.inter_pem, &f.inter_key_pem)
}

/// Probe `openssl s_server` serving the good chain with `staple`.
fn probe_stapling(staple: &Path) -> (i32, Value) {
    let f = fixtures();
    let server = support::openssl::s_server(&f.good, &["-status_file", staple.to_str().unwrap()]);
    run_json(&[
        "--ca-file",
        f.root_pem.to_str().unwrap(),
        &format!("localhost:{}", server.port()),
    ])
}

/// The report's one error is `bad_ocsp_staple` on the leaf; returns its message.
fn assert_bad_staple(code: i32, r: &Value) -> String {
    assert_eq!(error_codes(r), vec!["bad_ocsp_staple"], "{r:#}");
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["verification"]["verified"], false);
    let e = &r["verification"]["errors"][0];
    assert_eq!(e["cert_index"], 0);
    e["message"].as_str().unwrap().to_string()
}

#[test]
fn a_staple_signed_by_the_intermediate_verifies() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let staple = response(dir.path(), intermediate(f), &f.good.leaf_pem, &[]);
    let (code, r) = probe_stapling(&staple);
    assert_eq!(r["protocol"]["ocsp_staple"]["status"], "good", "{r:#}");
    assert_eq!(error_codes(&r), Vec::<String>::new(), "{r:#}");
    assert_eq!(r["verification"]["verified"], true);
    assert_eq!(code, 0);
}

#[test]
fn a_staple_signed_by_an_unauthorised_key_is_a_bad_staple() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = rogue_responder(dir.path());
    // It carries its certificate: the signature is good, the signer has no authority.
    let staple = response(dir.path(), (&cert, &key), &f.good.leaf_pem, &[]);
    let (code, r) = probe_stapling(&staple);
    let message = assert_bad_staple(code, &r);
    assert!(message.contains("CN=rogue responder"), "{message}");
    assert!(
        message.contains("CN=tlsprobe test intermediate"),
        "{message}"
    );
}

#[test]
fn a_staple_no_known_key_signed_is_a_bad_staple() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = rogue_responder(dir.path());
    let staple = response(
        dir.path(),
        (&cert, &key),
        &f.good.leaf_pem,
        &["-resp_no_certs"],
    );
    let (code, r) = probe_stapling(&staple);
    let message = assert_bad_staple(code, &r);
    assert!(message.contains("signature"), "{message}");

    // The intermediate's own response, with one bit of its signature flipped: without a
    // certs field, the signature's last byte is the response's.
    let good = response(
        dir.path(),
        intermediate(f),
        &f.good.leaf_pem,
        &["-resp_no_certs"],
    );
    let mut bytes = std::fs::read(&good).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    let tampered = dir.path().join("tampered.der");
    std::fs::write(&tampered, &bytes).unwrap();
    let (code, r) = probe_stapling(&tampered);
    let message = assert_bad_staple(code, &r);
    assert!(message.contains("signature"), "{message}");
}

#[test]
fn a_staple_for_another_certificate_is_a_bad_staple() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    // Genuine, from the right intermediate, about a sibling of the served leaf.
    let staple = response(dir.path(), intermediate(f), &f.wrong_host.leaf_pem, &[]);
    let (code, r) = probe_stapling(&staple);
    let message = assert_bad_staple(code, &r);
    let serial = r["certificates"][0]["serial"].as_str().unwrap();
    assert!(
        message.contains(&format!("not for this certificate (serial {serial})")),
        "{message}"
    );
}
