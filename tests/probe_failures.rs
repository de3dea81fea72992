//! Failed handshakes, each named: kind, exit code, message and hint, with the transcript up to
//! the failure. Peers are real (openssl s_server, rustls) or small misbehaving sockets.

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::fixtures::fixtures;
use support::openssl::s_server;
use support::{messages, peers, run_json};

fn probe(addr: std::net::SocketAddr, extra: &[&str]) -> (i32, Value) {
    let target = format!("localhost:{}", addr.port());
    let mut args: Vec<&str> = extra.to_vec();
    args.push(&target);
    run_json(&args)
}

fn assert_failed(r: &Value, code: i32, exit: i32, kind: &str) {
    assert_eq!(exit, code, "{r:#}");
    assert_eq!(r["error"]["kind"], kind, "{r:#}");
    assert_eq!(r["error"]["phase"], "handshake");
    assert_eq!(r["status"], "handshake_failed");
    assert!(
        r["error"]["hint"].as_str().is_some_and(|h| h.len() > 10),
        "{r:#}"
    );
    assert!(!r["error"]["message"].as_str().unwrap().contains('\n'));
    assert_eq!(
        messages(r)[0],
        ("client".into(), "ClientHello".into()),
        "transcript up to the failure"
    );
}

#[test]
fn tls10_only_server_is_named_with_what_it_accepts() {
    let f = fixtures();
    let server = s_server(&f.good_rsa, &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let (code, r) = probe(server.addr, &[]);
    assert_failed(&r, code, 4, "protocol_version");
    let msg = r["error"]["message"].as_str().unwrap();
    // Its first flight was read (tests/probe_legacy.rs shows the rest of that).
    assert!(
        msg.starts_with("read the server's TLSv1.0 first flight (")
            && msg.contains(": the server accepts only TLSv1.0 (TLS_"),
        "{msg}"
    );
    assert!(
        msg.contains("current clients require TLS 1.2 or later"),
        "{msg}"
    );
    assert_eq!(r["error"]["alert"], "protocol_version");
}

#[test]
fn cbc_only_tls12_server_is_no_common_cipher_with_the_suite_it_accepts() {
    let f = fixtures();
    let server = s_server(
        &f.good_rsa,
        &["-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0"],
    );
    let (code, r) = probe(server.addr, &[]);
    assert_failed(&r, code, 4, "no_common_cipher");
    let msg = r["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("TLSv1.2 only with TLS_RSA_WITH_AES_128_CBC_SHA"),
        "{msg}"
    );
    assert_eq!(r["error"]["alert"], "handshake_failure");
}

#[test]
fn tls13_only_flag_against_a_tls12_server_says_what_it_accepts() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_2"]);
    let (code, r) = probe(server.addr, &["--tls1.3"]);
    assert_failed(&r, code, 4, "protocol_version");
    let msg = r["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("accepts TLSv1.2") && msg.contains("offered only TLSv1.3"),
        "{msg}"
    );
}

#[test]
fn client_certificate_required_tls13_and_tls12_names_the_accepted_cas() {
    let f = fixtures();
    let root = f.root_pem.to_str().unwrap();
    for version in ["-tls1_3", "-tls1_2"] {
        let server = s_server(&f.good, &[version, "-Verify", "1", "-CAfile", root]);
        let (code, r) = probe(server.addr, &["--ca-file", root]);
        assert_failed(&r, code, 4, "client_certificate_required");
        let hint = r["error"]["hint"].as_str().unwrap();
        assert!(hint.contains("--cert") && hint.contains("--key"), "{hint}");
        assert!(hint.contains("CN=tlsprobe test root"), "{version}: {hint}");
        assert!(messages(&r).contains(&("server".into(), "CertificateRequest".into())));
        // The chain was still received and judged.
        assert_eq!(r["verification"]["verified"], true, "{version}");

        // With a client certificate the same server lets us in.
        let client = &f.client_auth_only;
        let (code, r) = probe(
            server.addr,
            &[
                "--ca-file",
                root,
                "--cert",
                client.chain_pem.to_str().unwrap(),
                "--key",
                client.key_pem.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{version}: {r:#}");
        let ours = r["handshake"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["from"] == "client" && m["type"] == "Certificate")
            .cloned()
            .unwrap_or_default();
        assert_eq!(ours["count"], 2, "{version}: {ours}");
    }
}

#[test]
fn a_received_alert_is_named_with_its_usual_meaning() {
    // unrecognized_name, fatal: a server strict about SNI.
    let addr = peers::answer(&[21, 3, 3, 0, 2, 2, 112]);
    let (code, r) = probe(addr, &[]);
    assert_failed(&r, code, 4, "alert");
    assert_eq!(r["error"]["alert"], "unrecognized_name");
    assert!(r["error"]["hint"].as_str().unwrap().contains("--sni"));
    assert_eq!(messages(&r)[1], ("server".into(), "Alert".into()));
    assert_eq!(r["handshake"][1]["description"], "unrecognized_name");
    assert_eq!(r["handshake"][1]["level"], "fatal");
}

#[test]
fn plaintext_http_is_not_tls_and_quotes_the_status_line() {
    let addr = peers::answer(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    let (code, r) = probe(addr, &[]);
    assert_failed(&r, code, 4, "not_tls");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"HTTP/1.1 400 Bad Request\""),
        "{r:#}"
    );
}

#[test]
fn banners_are_named_and_starttls_is_suggested() {
    for (banner, name, hint) in [
        (
            &b"220 mail.example.com ESMTP ready\r\n"[..],
            "SMTP",
            "STARTTLS",
        ),
        (b"220 FTP server ready\r\n", "FTP", "AUTH TLS"),
        (b"+OK POP3 ready\r\n", "POP3", "STLS"),
        (b"* OK IMAP4rev1 ready\r\n", "IMAP", "STARTTLS"),
        (b"SSH-2.0-OpenSSH_9.2\r\n", "SSH", "not TLS"),
    ] {
        let addr = peers::banner(banner);
        let (code, r) = probe(addr, &[]);
        assert_failed(&r, code, 4, "not_tls");
        assert!(
            r["error"]["message"].as_str().unwrap().contains(name),
            "{r:#}"
        );
        assert!(r["error"]["hint"].as_str().unwrap().contains(hint), "{r:#}");
    }
}

#[test]
fn garbage_is_not_tls_and_shows_the_first_bytes() {
    let addr = peers::answer(&[0x00, 0xff, 0x13, 0x37, 0x42]);
    let (code, r) = probe(addr, &[]);
    assert_failed(&r, code, 4, "not_tls");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("00 ff 13 37 42"),
        "{r:#}"
    );
}

#[test]
fn a_silent_server_times_out_within_the_timeout() {
    let addr = peers::silent();
    let start = Instant::now();
    let (code, r) = probe(addr, &["--timeout", "1"]);
    let took = start.elapsed();
    assert_failed(&r, code, 4, "timeout");
    assert!(took < Duration::from_millis(2500), "took {took:?}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sent nothing"),
        "{r:#}"
    );
}

#[test]
fn a_dripping_server_times_out_too() {
    let addr = peers::drip(Duration::from_millis(20));
    let start = Instant::now();
    let (code, r) = probe(addr, &["--timeout", "1"]);
    let took = start.elapsed();
    assert_failed(&r, code, 4, "timeout");
    assert!(took < Duration::from_millis(2500), "took {took:?}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("bytes but no complete message"),
        "{r:#}"
    );
}

#[test]
fn close_and_reset_right_after_the_client_hello() {
    for (with_reset, kind) in [(false, "connection_closed"), (true, "connection_reset")] {
        let addr = peers::hang_up(with_reset);
        let (code, r) = probe(addr, &[]);
        assert_failed(&r, code, 4, kind);
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("in answer to our ClientHello"),
            "{r:#}"
        );
    }
}

#[test]
fn close_and_reset_mid_handshake_name_the_last_message() {
    let upstream = support::rustls_server::start(&fixtures().good, &[&rustls::version::TLS13]);
    // TLS 1.3 from rustls: the ServerHello comes in a record of its own. Pass it, then hang up.
    for (with_reset, kind) in [(false, "connection_closed"), (true, "connection_reset")] {
        let addr = peers::cut_after(upstream, 1, with_reset);
        let (code, r) = probe(addr, &[]);
        assert_failed(&r, code, 4, kind);
        let msg = r["error"]["message"].as_str().unwrap();
        assert!(msg.contains("after the server's ServerHello"), "{msg}");
        let last_from_server = messages(&r)
            .into_iter()
            .rev()
            .find(|(from, _)| from == "server");
        assert_eq!(
            last_from_server,
            Some(("server".into(), "ServerHello".into()))
        );
    }
}

#[test]
fn a_connect_timeout_is_exit_3() {
    let (addr, _held, _listener) = peers::full_backlog();
    let start = Instant::now();
    let (code, r) = run_json(&["--timeout", "1", &format!("127.0.0.1:{}", addr.port())]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["status"], "connect_failed");
    assert_eq!(r["error"]["phase"], "connect");
    assert_eq!(r["error"]["kind"], "timeout");
    assert!(start.elapsed() < Duration::from_millis(2500));
}

#[test]
fn an_ip_target_with_a_name_only_certificate_suggests_sni() {
    // No SNI is sent to an IP; the certificate names only wrong.example.
    let addr = support::rustls_server::start(&fixtures().wrong_host, &[&rustls::version::TLS13]);
    let root = support::root();
    let (code, r) = run_json(&["--ca-file", &root, &format!("127.0.0.1:{}", addr.port())]);
    assert_eq!(code, 1);
    let msg = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("--sni"), "{msg}");
}

#[test]
fn bad_client_certificate_options_are_usage_errors() {
    let f = fixtures();
    let other_key = f.self_signed.key_pem.to_str().unwrap();
    let cert = f.client_auth_only.chain_pem.to_str().unwrap();
    for args in [
        vec!["--cert", cert, "localhost"],
        vec!["--cert", cert, "--key", other_key, "localhost"],
        vec![
            "--cert",
            "/nonexistent.pem",
            "--key",
            other_key,
            "localhost",
        ],
        vec!["--cert", other_key, "--key", other_key, "localhost"],
    ] {
        let r = support::run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    }
}

#[test]
fn every_wait_ends_within_50_ms_of_the_timeout() {
    // A socket timeout of seconds fires late by up to an eighth of it (the kernel's timer
    // wheel): 3 s waits came back up to 230 ms late. Each peer below makes the probe wait until
    // its --timeout, in a different place: the handshake, the proxy's answer, the STARTTLS
    // preamble, and the first answer with --scan.
    let silent = peers::silent();
    let proxy = peers::silent();
    let target = format!("localhost:{}", silent.port());
    let proxied = format!("127.0.0.1:{}", proxy.port());
    let cases: Vec<Vec<String>> = vec![
        vec![target.clone()],
        vec!["--proxy".into(), proxied, "localhost:443".into()],
        vec!["--starttls".into(), "smtp".into(), target.clone()],
        vec!["--scan".into(), target],
    ];
    let runs: Vec<_> = cases
        .into_iter()
        .map(|case| {
            std::thread::spawn(move || {
                let mut args = vec!["--timeout", "3"];
                args.extend(case.iter().map(String::as_str));
                let (code, r) = run_json(&args);
                (case, code, r)
            })
        })
        .collect();
    for run in runs {
        let (case, code, r) = run.join().expect("a run");
        assert!(code == 3 || code == 4, "{case:?}: {r:#}");
        let total = r["timing_ms"]["total"].as_f64().expect("total");
        assert!(
            (3000.0..=3050.0).contains(&total),
            "{case:?}: the probe took {total} ms for --timeout 3"
        );
    }
}
