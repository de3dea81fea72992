//! Reaching the server: each target form, checked from the server's side too; connection
//! failures (exit 3); usage errors (exit 2, one line on stderr).

mod support;

use rustls::version::{TLS12, TLS13};
use serde_json::Value;
use support::fixtures::fixtures;
use support::rustls_server::{self, Setup};
use support::{closed_port, root, run_json, run_json_lines, usage_error};

#[test]
fn ipv4_literal_reaches_the_server_without_sni() {
    let server = Setup::new(&fixtures().good).start();
    let target = format!("127.0.0.1:{}", server.port());
    let (code, r) = run_json(&["--ca-file", &root(), &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["host"], "127.0.0.1");
    assert_eq!(r["target"]["sni"], Value::Null);
    assert_eq!(r["target"]["address"], target);
    assert_eq!(
        r["verification"]["hostname_matches"], true,
        "the leaf has an IP SAN"
    );
    let seen = server.wait_for(1);
    assert!(seen[0].handshake_done, "{seen:?}");
    assert_eq!(seen[0].sni, None, "no SNI for an IP address");
}

#[test]
fn ipv6_literal_reaches_a_server_on_ipv6_loopback() {
    assert!(
        support::has_ipv6_loopback(),
        "::1 is not available on this machine"
    );
    let server = Setup::new(&fixtures().good).bind("[::1]:0").start();
    let target = format!("[::1]:{}", server.port());
    let (code, r) = run_json(&["--ca-file", &root(), &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["host"], "::1");
    assert_eq!(r["target"]["port"], server.port());
    assert_eq!(r["target"]["address"], target);
    assert_eq!(r["target"]["sni"], Value::Null);
    assert_eq!(r["verification"]["verified"], true);
    assert!(server.wait_for(1)[0].handshake_done);
}

#[test]
fn https_url_reaches_the_server_with_the_host_as_sni() {
    let server = Setup::new(&fixtures().good).start();
    let target = format!("https://localhost:{}/some/path?q=1#frag", server.port());
    let (code, r) = run_json(&["--ca-file", &root(), &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["host"], "localhost");
    assert_eq!(r["target"]["port"], server.port());
    assert_eq!(server.wait_for(1)[0].sni.as_deref(), Some("localhost"));
}

#[test]
fn sni_option_is_sent_and_verified() {
    let server = Setup::new(&fixtures().wrong_host).start();
    let target = format!("localhost:{}", server.port());
    let (code, r) = run_json(&["--ca-file", &root(), "--sni", "wrong.example", &target]);
    assert_eq!(code, 0, "the name verified is the SNI sent: {r:#}");
    assert_eq!(r["target"]["sni"], "wrong.example");
    assert_eq!(r["verification"]["hostname_matches"], true);
    assert_eq!(server.wait_for(1)[0].sni.as_deref(), Some("wrong.example"));
}

#[test]
fn no_sni_sends_none() {
    let server = Setup::new(&fixtures().good).start();
    let target = format!("localhost:{}", server.port());
    let (code, r) = run_json(&["--ca-file", &root(), "--no-sni", &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["sni"], Value::Null);
    let seen = server.wait_for(1);
    assert!(seen[0].handshake_done);
    assert_eq!(seen[0].sni, None);
}

#[test]
fn a_closed_port_is_connection_refused_exit_3() {
    let port = closed_port();
    for target in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let (code, r) = run_json(&["--timeout", "5", &target]);
        assert_eq!(code, 3, "{target}: {r:#}");
        assert_eq!(r["status"], "connect_failed");
        assert_eq!(r["error"]["phase"], "connect");
        assert_eq!(r["error"]["kind"], "connection_refused", "{target}: {r:#}");
        assert!(
            r["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(&port.to_string())),
            "the message names the port: {r:#}"
        );
        assert!(r["error"]["hint"].as_str().is_some_and(|h| !h.is_empty()));
        assert_eq!(r["error"]["alert"], Value::Null);
        assert_eq!(r["protocol"], Value::Null);
        assert_eq!(r["verification"], Value::Null);
        assert_eq!(r["certificates"], serde_json::json!([]));
        assert_eq!(r["handshake"], serde_json::json!([]));
    }
}

#[test]
fn a_connection_to_itself_is_refused_not_a_protocol_error() {
    // In a network namespace whose only ephemeral port is the closed port probed, the kernel
    // connects the socket to itself (a TCP simultaneous open), and what we read back is our
    // own ClientHello. Nothing listens there: that is a refusal.
    let bin = assert_cmd::cargo::cargo_bin("tlsprobe");
    let out = std::process::Command::new("unshare")
        .args([
            "-n",
            "sh",
            "-c",
            "ip link set lo up && sysctl -qw net.ipv4.ip_local_port_range='40000 40000' \
             && exec \"$0\" --json --timeout 3 127.0.0.1:40000",
        ])
        .arg(&bin)
        .output()
        .expect("unshare (util-linux) and ip (iproute2)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let r: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "{e}: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    support::assert_valid(&r);
    assert_eq!(out.status.code(), Some(3), "{r:#}");
    assert_eq!(r["error"]["kind"], "connection_refused", "{r:#}");
    assert_eq!(r["handshake"], serde_json::json!([]));
}

#[test]
fn targets_are_reported_in_order_and_exit_with_the_highest_status() {
    let f = fixtures();
    let good = rustls_server::start(&f.good, &[&TLS13]);
    let expired = rustls_server::start(&f.expired, &[&TLS12]);
    let (code, reports) = run_json_lines(&[
        "--ca-file",
        &root(),
        &format!("localhost:{}", expired.port()),
        &format!("localhost:{}", good.port()),
    ]);
    assert_eq!(code, 1, "{reports:#?}");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["status"], "verify_failed");
    assert_eq!(reports[0]["target"]["port"], expired.port());
    assert_eq!(reports[1]["status"], "ok");
    assert_eq!(reports[1]["target"]["port"], good.port());
}

#[test]
fn bad_targets_are_usage_errors() {
    for target in [
        "localhost:notaport",
        "localhost:70000",
        "localhost:",
        "[::1",
        "[::1]:99999",
        "https://",
    ] {
        let line = usage_error(&["--json", target]);
        assert!(line.starts_with("tlsprobe"), "{target}: {line}");
    }
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        vec!["--no-such-option", "localhost"],
        vec!["--timeout", "soon", "localhost"],
        vec!["--color", "sometimes", "localhost"],
        vec!["--sni"],
        vec!["--json"],
    ] {
        usage_error(&args);
    }
}

#[test]
fn an_unreadable_ca_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-roots.pem");
    let line = usage_error(&[
        "--json",
        "--ca-file",
        missing.to_str().unwrap(),
        "localhost",
    ]);
    assert!(line.contains("no-such-roots.pem"), "names the file: {line}");
    // A directory is not a PEM file either.
    usage_error(&["--ca-file", dir.path().to_str().unwrap(), "localhost"]);
}
