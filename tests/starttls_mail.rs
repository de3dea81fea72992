//! STARTTLS that works, against Debian's mail and file servers started on 127.0.0.1 by the
//! harness (`support::daemons`): SMTP on postfix; IMAP, POP3, ManageSieve and LMTP on one
//! dovecot; explicit and implicit FTPS on vsftpd. Each probe must succeed (exit 0, `ok`,
//! verified) and show the chain exactly as served, and `openssl s_client` through the same
//! preamble must be served the same chain. The misconfigured variants are in
//! `starttls_daemons.rs`.

mod support;

use std::process::{Command, Stdio};

use serde_json::Value;
use support::daemons::{dovecot, postfix, vsftpd, Daemon};
use support::fixtures::{fixtures, Chain};
use support::{pem_to_der, root, run_json, sha256_hex};

/// `tlsprobe --json [--starttls proto] --ca-file ROOT [extra] 127.0.0.1:port`.
fn probe(proto: Option<&str>, port: u16, extra: &[&str]) -> (i32, Value) {
    let root = root();
    let target = format!("127.0.0.1:{port}");
    let mut args = Vec::new();
    if let Some(proto) = proto {
        args.extend(["--starttls", proto]);
    }
    args.extend(["--ca-file", &root]);
    args.extend_from_slice(extra);
    args.push(&target);
    run_json(&args)
}

/// The SHA-256 of each certificate of `chain`, leaf first: what the daemon serves.
fn served(chain: &Chain) -> Vec<String> {
    chain.certs.iter().map(|c| sha256_hex(c)).collect()
}

/// The SHA-256 of each certificate the report shows.
fn shown(r: &Value) -> Vec<String> {
    r["certificates"]
        .as_array()
        .unwrap_or_else(|| panic!("no certificates[]: {r:#}"))
        .iter()
        .map(|c| c["sha256"].as_str().expect("sha256").to_string())
        .collect()
}

/// A probe that worked: exit 0, `ok`, verified, the chain as served; returns the report.
fn assert_probe_ok(d: &Daemon, proto: Option<&str>, port: u16, extra: &[&str]) -> Value {
    let (code, r) = probe(proto, port, extra);
    assert_eq!(code, 0, "{proto:?} {extra:?}: {r:#}\n{}", d.log());
    assert_eq!(r["status"], "ok", "{r:#}");
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(shown(&r), served(&fixtures().good), "the chain as served");
    assert_eq!(r["target"]["address"], format!("127.0.0.1:{port}"));
    if let Some(proto) = proto {
        assert_eq!(r["starttls"]["protocol"], proto, "{r:#}");
    }
    r
}

/// `openssl s_client [-starttls proto] -showcerts -CAfile ROOT -verify_return_error`: asserts
/// that it verified the chain, and returns the SHA-256 of each certificate it was served.
fn s_client_chain(d: &Daemon, proto: Option<&str>, port: u16, extra: &[&str]) -> Vec<String> {
    let mut cmd = Command::new("openssl");
    cmd.arg("s_client");
    if let Some(proto) = proto {
        cmd.args(["-starttls", proto]);
    }
    cmd.arg("-connect")
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", "localhost", "-verify_ip", "127.0.0.1"])
        .arg("-CAfile")
        .arg(&fixtures().root_pem)
        .args(["-verify_return_error", "-showcerts"])
        .args(extra);
    let out = cmd.stdin(Stdio::null()).output().expect("openssl s_client");
    let text = String::from_utf8_lossy(&out.stdout);
    let why = || {
        format!(
            "openssl s_client {proto:?} {extra:?}:\n{text}\n{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            d.log()
        )
    };
    assert!(out.status.success(), "{}", why());
    assert!(text.contains("Verify return code: 0 (ok)"), "{}", why());
    assert!(!text.contains("Cipher is (NONE)"), "{}", why());
    const END: &str = "-----END CERTIFICATE-----";
    let mut chain = Vec::new();
    let mut rest = &text[..];
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let end = rest[start..].find(END).expect("END CERTIFICATE") + start + END.len();
        chain.push(sha256_hex(&pem_to_der(&rest[start..end])));
        rest = &rest[end..];
    }
    chain
}

/// The chain openssl is served through the same preamble is the fixture's, in TLS 1.3 and 1.2.
fn assert_openssl_served(d: &Daemon, proto: Option<&str>, port: u16) {
    for version in ["-tls1_3", "-tls1_2"] {
        assert_eq!(
            s_client_chain(d, proto, port, &[version]),
            served(&fixtures().good),
            "openssl s_client {proto:?} {version}: the chain as served"
        );
    }
}

fn start_dovecot() -> Daemon {
    let f = fixtures();
    dovecot::start(&f.good, &f.root_pem, dovecot::Variant::Normal)
}

#[test]
fn smtp_on_postfix() {
    let f = fixtures();
    let d = postfix::start(&f.good, &f.root_pem, postfix::Variant::Normal);
    let r = assert_probe_ok(&d, Some("smtp"), d.port, &[]);
    assert_eq!(r["protocol"]["version"], "TLSv1.3", "{r:#}");
    let r = assert_probe_ok(&d, Some("smtp"), d.port, &["--tls1.2"]);
    assert_eq!(r["protocol"]["version"], "TLSv1.2", "{r:#}");
    assert_openssl_served(&d, Some("smtp"), d.port);
}

#[test]
fn imap_and_pop3_on_dovecot() {
    let d = start_dovecot();
    for (proto, port) in [("imap", d.port), ("pop3", d.port_of("pop3"))] {
        let r = assert_probe_ok(&d, Some(proto), port, &[]);
        assert_eq!(r["protocol"]["version"], "TLSv1.3", "{r:#}");
        let r = assert_probe_ok(&d, Some(proto), port, &["--tls1.2"]);
        assert_eq!(r["protocol"]["version"], "TLSv1.2", "{r:#}");
        assert_openssl_served(&d, Some(proto), port);
    }
}

#[test]
fn sieve_on_dovecot_serves_openssl_the_chain() {
    let d = start_dovecot();
    assert_openssl_served(&d, Some("sieve"), d.port_of("sieve"));
}

#[test]
fn sieve_on_dovecot() {
    let d = start_dovecot();
    assert_probe_ok(&d, Some("sieve"), d.port_of("sieve"), &[]);
    assert_probe_ok(&d, Some("sieve"), d.port_of("sieve"), &["--tls1.2"]);
}

#[test]
fn lmtp_on_dovecot_serves_openssl_the_chain() {
    let d = start_dovecot();
    assert_openssl_served(&d, Some("lmtp"), d.port_of("lmtp"));
}

#[test]
fn lmtp_on_dovecot() {
    let d = start_dovecot();
    assert_probe_ok(&d, Some("lmtp"), d.port_of("lmtp"), &[]);
    assert_probe_ok(&d, Some("lmtp"), d.port_of("lmtp"), &["--tls1.2"]);
}

#[test]
fn dovecot_instances_side_by_side() {
    // Two instances at once (as parallel tests start them), each on its own ports and with
    // its own state, both serving.
    let (a, b) = (start_dovecot(), start_dovecot());
    assert_ne!(a.port, b.port);
    for d in [&a, &b] {
        assert_probe_ok(d, Some("imap"), d.port, &[]);
    }
}

#[test]
fn dovecot_tls10_only_is_tls10_on_every_port() {
    // The harness's own variant (an OpenSSL configuration under dovecot), checked with openssl:
    // TLS 1.0 at security level 0 connects, TLS 1.2 does not.
    let f = fixtures();
    let d = dovecot::start(&f.good, &f.root_pem, dovecot::Variant::Tls10Only);
    for (proto, port) in [
        ("imap", d.port),
        ("pop3", d.port_of("pop3")),
        ("sieve", d.port_of("sieve")),
        ("lmtp", d.port_of("lmtp")),
    ] {
        let tls10 = ["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"];
        assert_eq!(
            s_client_chain(&d, Some(proto), port, &tls10),
            served(&f.good),
            "{proto}"
        );
        let out = Command::new("openssl")
            .args(["s_client", "-starttls", proto, "-tls1_2", "-connect"])
            .arg(format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .output()
            .expect("openssl s_client");
        // A TLS 1.0 ServerHello, which a client that wants 1.2 refuses.
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && said.contains("unsupported protocol"),
            "{proto}: {said}"
        );
    }
}

#[test]
fn explicit_ftps_on_vsftpd() {
    let f = fixtures();
    let d = vsftpd::start(&f.good, &f.root_pem, vsftpd::Variant::Normal);
    let r = assert_probe_ok(&d, Some("ftp"), d.port, &[]);
    assert_eq!(r["protocol"]["version"], "TLSv1.3", "{r:#}");
    let r = assert_probe_ok(&d, Some("ftp"), d.port, &["--tls1.2"]);
    assert_eq!(r["protocol"]["version"], "TLSv1.2", "{r:#}");
    assert_openssl_served(&d, Some("ftp"), d.port);
}

#[test]
fn implicit_ftps_on_vsftpd() {
    let f = fixtures();
    let d = vsftpd::start(&f.good, &f.root_pem, vsftpd::Variant::Implicit);
    assert_probe_ok(&d, None, d.port, &[]);
    assert_probe_ok(&d, None, d.port, &["--tls1.2"]);
    assert_openssl_served(&d, None, d.port);
}
