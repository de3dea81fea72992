//! Internationalised names: a Unicode host is probed by its A-labels (UTS 46) in DNS, SNI and
//! verification, and both forms are reported. The server is `openssl s_server` told to accept
//! only the A-label name (`-servername ... -servername_fatal`), so that OpenSSL, not tlsprobe,
//! judges what was sent; the certificate is made by `openssl req`.

mod support;

use std::path::Path;
use std::process::Command;

use support::fixtures::Chain;
use support::openssl::{s_server, SServer};
use support::{run, run_json, verify_json};

const A_LABEL: &str = "xn--bcher-kva.example";
const UNICODE: &str = "bücher.example";

/// A self-signed P-256 certificate for `xn--bcher-kva.example`, made by openssl.
fn idn_chain(dir: &Path) -> Chain {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args(["-nodes", "-days", "7", "-subj", &format!("/CN={A_LABEL}")])
        .args(["-addext", &format!("subjectAltName=DNS:{A_LABEL}")])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl req");
    assert!(status.status.success(), "{status:?}");
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let der = support::pem_to_der(&std::fs::read_to_string(&cert).unwrap());
    Chain {
        certs: vec![der.into()],
        key_der: Vec::new(),
        leaf_pem: cert.clone(),
        rest_pem: empty,
        key_pem: key,
        chain_pem: cert,
    }
}

/// s_server that refuses any other server name than the A-label one with a fatal alert.
fn strict_server(chain: &Chain) -> SServer {
    let (cert, key) = (path(&chain.leaf_pem), path(&chain.key_pem));
    s_server(
        chain,
        &[
            "-servername",
            A_LABEL,
            "-cert2",
            &cert,
            "-key2",
            &key,
            "-servername_fatal",
        ],
    )
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn a_unicode_name_is_sent_and_verified_as_its_a_labels() {
    let dir = tempfile::tempdir().unwrap();
    let chain = idn_chain(dir.path());
    let server = strict_server(&chain);
    let ca = path(&chain.leaf_pem);
    for typed in [UNICODE, "BÜCHER.example", A_LABEL] {
        let target = format!("{typed}:{}", server.port());
        let (code, r) = run_json(&["--ca-file", &ca, "--connect-to", "127.0.0.1", &target]);
        assert_eq!(code, 0, "{typed}: {r:#}\n{}", server.log());
        assert_eq!(r["status"], "ok", "{typed}");
        assert_eq!(r["target"]["host"], A_LABEL, "{typed}");
        assert_eq!(r["target"]["host_unicode"], UNICODE, "{typed}");
        assert_eq!(r["target"]["sni"], A_LABEL, "{typed}");
        assert_eq!(r["verification"]["verified"], true, "{typed}");
    }

    // The text view leads with the Unicode form and shows the A-labels beside the address.
    let port = server.port();
    let out = run(&[
        "--ca-file",
        &ca,
        "--connect-to",
        "127.0.0.1",
        &format!("{UNICODE}:{port}"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first = out.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!(
            "{UNICODE}:{port} ({A_LABEL}, 127.0.0.1:{port}), SNI {A_LABEL}"
        )),
        "{first}"
    );
}

#[test]
fn another_spelling_is_another_name() {
    // "buecher" is the German fallback spelling, another name: s_server refuses it with a
    // fatal alert (its -servername_fatal). The same target with --sni in Unicode sends the
    // A-labels, and the name verified is that one.
    let dir = tempfile::tempdir().unwrap();
    let chain = idn_chain(dir.path());
    let server = strict_server(&chain);
    let ca = path(&chain.leaf_pem);
    let target = format!("buecher.example:{}", server.port());
    let (code, r) = run_json(&["--ca-file", &ca, "--connect-to", "127.0.0.1", &target]);
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["status"], "handshake_failed");
    assert_eq!(r["error"]["alert"], "unrecognized_name", "{r:#}");
    assert_eq!(r["target"]["host_unicode"], serde_json::Value::Null);

    let (code, r) = run_json(&[
        "--ca-file",
        &ca,
        "--connect-to",
        "127.0.0.1",
        "--sni",
        UNICODE,
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["sni"], A_LABEL, "{r:#}");
    assert_eq!(r["verification"]["verified"], true);
}

#[test]
fn verify_takes_a_unicode_host() {
    let dir = tempfile::tempdir().unwrap();
    let chain = idn_chain(dir.path());
    let cert = path(&chain.leaf_pem);
    let (code, r) = verify_json(&["--ca-file", &cert, "--host", UNICODE, &cert]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["verification"]["verified"], true);
    let (code, _) = verify_json(&["--ca-file", &cert, "--host", "bucher.example", &cert]);
    assert_eq!(code, 1);
}

#[test]
fn a_name_uts46_refuses_is_one_line() {
    for bad in ["b\u{fffd}cher.example", "bü cher.example"] {
        let out = run(&["--json", bad]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("invalid target"), "{}", out.stderr);
    }
}
