//! Servers that require a client certificate, answered with none: whatever each TLS stack does
//! then (an alert of its own choosing, after or before our next write; a close), the report is
//! `client_certificate_required`, every time. Many probes at once, so that the race between
//! the server's alert and our next write is run many times over.

mod support;

use support::fixtures::fixtures;
use support::gnutls::gnutls_serv;
use support::openssl::s_server;
use support::{root, run_json_lines};

/// Probes of one server in one run.
const ROUNDS: usize = 100;

/// Probe `port` [`ROUNDS`] times in one run, four at a time; every report must be
/// `client_certificate_required` with exit 4, naming the alert the server sent (when our next
/// write fails because the server has gone, its alert is read first: without that, one probe
/// in a few says only "it closed the connection"). Returns the distinct messages seen.
fn assert_always_required(stack: &str, port: u16) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("targets");
    std::fs::write(&list, format!("localhost:{port}\n").repeat(ROUNDS)).expect("targets");
    let root = root();
    let args = [
        "--ca-file",
        &root,
        "--concurrency",
        "4",
        "--targets-file",
        list.to_str().unwrap(),
    ];
    let (code, reports) = run_json_lines(&args);
    assert_eq!(reports.len(), ROUNDS);
    assert_eq!(code, 4, "{stack}");
    let mut messages: Vec<String> = Vec::new();
    for r in &reports {
        assert_eq!(
            r["error"]["kind"], "client_certificate_required",
            "{stack}: {r:#}"
        );
        assert_eq!(r["protocol"]["client_certificate"]["sent"], false);
        let m = r["error"]["message"].as_str().unwrap().to_string();
        assert!(
            m.contains("(alert "),
            "{stack}: the alert is named: {m}\n{:#}",
            r["handshake"]
        );
        if !messages.contains(&m) {
            messages.push(m);
        }
    }
    messages
}

#[test]
fn openssl_in_tls12_and_tls13() {
    let f = fixtures();
    let ca = f.root_pem.to_str().unwrap();
    for version in ["-tls1_2", "-tls1_3"] {
        let server = s_server(&f.good, &[version, "-Verify", "1", "-CAfile", ca]);
        assert_always_required("openssl", server.addr.port());
    }
}

#[test]
fn gnutls_in_tls12_and_tls13() {
    let f = fixtures();
    let ca = f.root_pem.to_str().unwrap();
    for priority in ["NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL"] {
        let server = gnutls_serv(
            &f.good,
            &[
                "--require-client-cert",
                "--x509cafile",
                ca,
                "--priority",
                priority,
            ],
        );
        let seen = assert_always_required("gnutls", server.addr.port());
        // GnuTLS answers an empty client Certificate with decode_error in TLS 1.2.
        if priority.contains("TLS1.2") {
            assert!(seen[0].ends_with("(alert decode_error)"), "{seen:?}");
        }
    }
}

#[test]
fn nss_in_tls12_and_tls13() {
    let f = fixtures();
    for versions in ["tls1.2:tls1.2", "tls1.3:tls1.3"] {
        let server = support::stacks::nss(&f.good, versions, true);
        assert_always_required("nss", server.port);
    }
}

#[test]
fn go_in_tls12_and_tls13() {
    let f = fixtures();
    for tls12_only in [true, false] {
        let server = support::stacks::go(&f.good, tls12_only, Some(&f.root_pem));
        assert_always_required("go", server.port);
    }
}

#[test]
fn python_in_tls12() {
    let f = fixtures();
    let server = support::stacks::python(&f.good, &f.root_pem, true, true);
    assert_always_required("python", server.port);
}
