//! The command line: targets, usage errors, connection failures, text output and colour.

mod support;

use rustls::version::TLS13;
use support::fixtures::fixtures;
use support::{closed_port, root, run, run_json, rustls_server};

fn good_server() -> std::net::SocketAddr {
    rustls_server::start(&fixtures().good, &[&TLS13])
}

#[test]
fn a_closed_port_is_connection_refused_exit_3() {
    let port = closed_port();
    let (code, r) = run_json(&[&format!("127.0.0.1:{port}")]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["status"], "connect_failed");
    assert_eq!(r["error"]["kind"], "connection_refused");
    assert_eq!(r["error"]["phase"], "connect");
    assert!(r["error"]["hint"].is_string());
    assert_eq!(r["protocol"], serde_json::Value::Null);
    assert_eq!(r["verification"], serde_json::Value::Null);
    assert_eq!(r["handshake"], serde_json::json!([]));
    assert_eq!(r["target"]["address"], serde_json::Value::Null);
    assert!(r["timing_ms"]["connect"].is_null() && r["timing_ms"]["total"].is_number());
}

#[test]
fn an_unresolvable_name_is_a_dns_error_exit_3() {
    // .invalid never resolves (RFC 6761); the resolver answers from /etc/hosts or fails fast.
    let (code, r) = run_json(&["--timeout", "5", "no-such-host.invalid:443"]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["phase"], "dns");
    assert!(
        ["dns", "timeout"].contains(&r["error"]["kind"].as_str().unwrap()),
        "{r:#}"
    );
    // The hint names who was asked (resolv.conf's servers, or the system resolver) and the
    // network, not only the spelling.
    let hint = r["error"]["hint"].as_str().expect("a hint");
    let servers: Vec<String> = std::fs::read_to_string("/etc/resolv.conf")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("nameserver"))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    match servers.first() {
        Some(first) => assert!(hint.contains(first.as_str()), "{hint}"),
        None => assert!(hint.starts_with("the system resolver"), "{hint}"),
    }
    assert!(hint.contains("network"), "{hint}");
}

#[test]
fn every_target_form_reaches_the_server() {
    let port = good_server().port();
    let ca = root();
    for (t, sni) in [
        (format!("localhost:{port}"), Some("localhost")),
        (format!("127.0.0.1:{port}"), None),
        (
            format!("https://localhost:{port}/some/path?q=1"),
            Some("localhost"),
        ),
    ] {
        let (code, r) = run_json(&["--ca-file", &ca, &t]);
        assert_eq!(code, 0, "{t}: {r:#}");
        assert_eq!(r["target"]["port"], port);
        assert_eq!(r["target"]["sni"].as_str(), sni, "{t}");
        assert_eq!(
            r["handshake"][0]["sni"].as_str(),
            sni,
            "{t}: the ClientHello"
        );
    }
}

#[test]
fn ipv6_literal_with_brackets() {
    let Ok(listener) = std::net::TcpListener::bind("[::1]:0") else {
        // Asserted rather than skipped: every machine this project runs on has IPv6 loopback.
        panic!("::1 is not available on this machine");
    };
    drop(listener);
    let port = closed_port_v6();
    let (code, r) = run_json(&[&format!("[::1]:{port}")]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["target"]["host"], "::1");
    assert_eq!(r["error"]["kind"], "connection_refused");
    assert!(r["error"]["message"].as_str().unwrap().contains("[::1]"));
}

fn closed_port_v6() -> u16 {
    std::net::TcpListener::bind("[::1]:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sni_override_and_no_sni() {
    let port = good_server().port();
    let ca = root();
    let (code, r) = run_json(&[
        "--ca-file",
        &ca,
        "--sni",
        "localhost",
        &format!("127.0.0.1:{port}"),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["handshake"][0]["sni"], "localhost");
    let (code, r) = run_json(&["--ca-file", &ca, "--no-sni", &format!("localhost:{port}")]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["sni"], serde_json::Value::Null);
    assert_eq!(r["handshake"][0]["sni"], serde_json::Value::Null);
    assert!(!r["handshake"][0]["extensions"]
        .as_array()
        .unwrap()
        .contains(&"server_name".into()));
}

#[test]
fn bad_targets_and_options_are_usage_errors() {
    for args in [
        vec!["localhost:notaport"],
        vec!["localhost:70000"],
        vec!["ftp://localhost"],
        vec!["--bogus", "localhost"],
        vec![],
        vec!["--timeout", "-1", "localhost"],
        vec!["--timeout", "soon", "localhost"],
        vec!["--color", "sometimes", "localhost"],
        vec!["--ca-file", "/nonexistent/roots.pem", "localhost"],
        vec!["--tls1.2", "--tls1.3", "localhost"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.lines().count(),
            1,
            "{args:?}: one line expected, got {:?}",
            r.stderr
        );
        assert!(r.stderr.starts_with("tlsprobe: "), "{:?}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_ca_file_without_certificates_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.pem");
    std::fs::write(&path, "not a certificate\n").unwrap();
    let r = run(&["--ca-file", path.to_str().unwrap(), "localhost"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no usable CA certificate"),
        "{}",
        r.stderr
    );
}

#[test]
fn text_output_leads_with_the_verdict_and_has_no_colour_in_a_pipe() {
    let port = good_server().port();
    let r = run(&["--ca-file", &root(), &format!("localhost:{port}")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first_lines: String = r.stdout.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(first_lines.contains("TLSv1.3"), "{first_lines}");
    assert!(first_lines.contains("TLS_AES_"), "{first_lines}");
    assert!(first_lines.contains("trusted"), "{first_lines}");
    assert!(r.stdout.contains("Certificate chain"));
    assert!(r.stdout.contains("ClientHello") && r.stdout.contains("ServerHello"));
    assert!(
        !r.stdout.contains('\u{1b}'),
        "no escapes when stdout is not a terminal"
    );
}

#[test]
fn colour_always_colours_and_no_color_is_overridden_only_by_always() {
    let port = good_server().port();
    let target = format!("localhost:{port}");
    let r = run(&["--color", "always", "--ca-file", &root(), &target]);
    assert!(
        r.stdout.contains("\u{1b}[32m") || r.stdout.contains("\u{1b}[1m\u{1b}[32m"),
        "green verdict: {:?}",
        r.stdout
    );
    let out = support::tlsprobe()
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .args(["--ca-file", &root(), &target])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains('\u{1b}'),
        "NO_COLOR wins under auto"
    );
}

#[test]
fn a_failed_verification_is_red_in_text() {
    let addr = rustls_server::start(&fixtures().expired, &[&TLS13]);
    let r = run(&[
        "--color",
        "always",
        "--ca-file",
        &root(),
        &format!("localhost:{}", addr.port()),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("NOT TRUSTED"), "{}", r.stdout);
    assert!(
        r.stdout.contains("\u{1b}[31m") || r.stdout.contains("31m"),
        "red: {:?}",
        r.stdout
    );
    assert!(r.stdout.contains("expired"));
}

#[test]
fn several_targets_exit_with_the_highest_status() {
    let port = good_server().port();
    let closed = closed_port();
    let r = run(&[
        "--json",
        "--ca-file",
        &root(),
        &format!("localhost:{port}"),
        &format!("127.0.0.1:{closed}"),
    ]);
    assert_eq!(r.code, 3);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["status"], "ok");
    assert_eq!(lines[1]["status"], "connect_failed");
    lines.iter().for_each(support::assert_valid);
}

#[test]
fn help_and_version_exit_0() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--ca-file") && r.stdout.contains("Exit status"));
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("tlsprobe "));
}
