//! Legacy servers inspected in full: rustls cannot complete a handshake with them, so tlsprobe
//! reads their first flight with its own ClientHello and reports the chain, the verdict, the
//! checks and the timeline of that flight, while the status stays `handshake_failed`.
//!
//! The servers are real (openssl s_server, gnutls-serv), reached directly, after a STARTTLS
//! preamble and through an HTTP CONNECT proxy. Each hint's claim about which clients connect is
//! tried with curl against the same server.

mod support;

use std::net::SocketAddr;
use std::process::Command;

use serde_json::Value;
use support::fixtures::{fixtures, Chain};
use support::openssl::s_server;
use support::{messages, peers, root, run, run_json, sha256_hex, starttls_peers};

fn probe(addr: SocketAddr, extra: &[&str]) -> (i32, Value) {
    let target = format!("localhost:{}", addr.port());
    let mut args: Vec<&str> = extra.to_vec();
    args.push(&target);
    run_json(&args)
}

/// What every first-flight report has: exit 4, `handshake_failed` with `kind`, a message that
/// says what was read, the chain exactly as `chain` holds it, and the flight's timeline from
/// our ClientHello to our goodbye.
fn assert_first_flight(code: i32, r: &Value, kind: &str, version: &str, chain: &Chain) {
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["status"], "handshake_failed", "{r:#}");
    assert_eq!(r["error"]["phase"], "handshake");
    assert_eq!(r["error"]["kind"], kind, "{r:#}");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("read the server's {version} first flight (")),
        "{message}"
    );
    assert!(
        message.ends_with("; the handshake was not completed"),
        "{message}"
    );
    assert_eq!(r["protocol"]["version"], version, "{r:#}");
    assert_eq!(r["protocol"]["first_flight_only"], true);
    assert_eq!(r["protocol"]["resumed"], false);
    let served: Vec<String> = chain.certs.iter().map(|c| sha256_hex(c)).collect();
    let shown: Vec<&str> = r["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sha256"].as_str().unwrap())
        .collect();
    assert_eq!(shown, served, "the chain as served");
    assert!(r["verification"].is_object(), "{r:#}");
    let m = messages(r);
    assert_eq!(m[0], ("client".into(), "ClientHello".into()));
    assert_eq!(m[1], ("server".into(), "ServerHello".into()));
    assert_eq!(m[2], ("server".into(), "Certificate".into()));
    let done = m
        .iter()
        .position(|x| *x == ("server".into(), "ServerHelloDone".into()))
        .expect("the whole flight");
    // Then our goodbye: user_canceled and close_notify, each a warning.
    assert_eq!(m.len(), done + 3, "{m:?}");
    let alerts: Vec<(&Value, &Value)> = r["handshake"].as_array().unwrap()[done + 1..]
        .iter()
        .map(|a| (&a["level"], &a["description"]))
        .collect();
    assert_eq!(
        alerts,
        [
            (&Value::from("warning"), &Value::from("user_canceled")),
            (&Value::from("warning"), &Value::from("close_notify"))
        ]
    );
    support::assert_valid(r);
}

fn handshake_message<'a>(r: &'a Value, kind: &str) -> Option<&'a Value> {
    r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["from"] == "server" && m["type"] == kind)
}

/// curl's HTTP status for `https://localhost:PORT/` (0 when it did not connect), with `args`.
fn curl(addr: SocketAddr, args: &[&str]) -> u32 {
    let port = addr.port();
    let out = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "10",
        ])
        .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
        .args(args)
        .arg(format!("https://localhost:{port}/"))
        .output()
        .expect("curl (install the Debian package curl)");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

#[test]
fn a_tls10_server_yields_its_trusted_chain_the_expiry_check_and_a_true_hint() {
    let f = fixtures();
    let server = s_server(
        &f.good_rsa,
        &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-www"],
    );
    let (code, r) = probe(server.addr, &["--ca-file", &root(), "--min-days", "5"]);
    assert_first_flight(code, &r, "protocol_version", "TLSv1.0", &f.good_rsa);
    assert_eq!(r["error"]["alert"], "protocol_version");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("the server accepts only TLSv1.0"),
        "{message}"
    );
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(r["verification"]["hostname_matches"], true);
    assert_eq!(r["checks"][0]["check"], "min_days");
    assert_eq!(r["checks"][0]["passed"], true);
    // ECDHE under TLS 1.0: a named group, and no scheme (the key implies it). Its signature
    // (RSA over MD5 and SHA-1) held: no bad_signature.
    let kx = handshake_message(&r, "ServerKeyExchange").expect("a ServerKeyExchange");
    assert_eq!(r["protocol"]["key_exchange_group"], kx["group"]);
    assert!(kx["group"].is_string(), "{kx}");
    assert_eq!(r["protocol"]["signature_scheme"], Value::Null);
    assert_eq!(r["protocol"]["dh_bits"], Value::Null);

    // The hint: curl refuses by default and connects when told to allow TLS 1.0.
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("curl --tlsv1.0 --ciphers DEFAULT@SECLEVEL=0"),
        "{hint}"
    );
    let ca = root();
    assert_eq!(curl(server.addr, &["--cacert", &ca]), 0, "curl's default");
    assert_eq!(
        curl(
            server.addr,
            &[
                "--cacert",
                &ca,
                "--tlsv1.0",
                "--ciphers",
                "DEFAULT@SECLEVEL=0"
            ]
        ),
        200,
        "as the hint says"
    );

    // The text view: the failure and "first flight only" at the top, then the chain and the
    // timeline as for a completed probe.
    let text = run(&[
        "--ca-file",
        &ca,
        &format!("localhost:{}", server.addr.port()),
    ]);
    assert_eq!(text.code, 4);
    let lines: Vec<&str> = text.stdout.lines().collect();
    assert!(lines[1].contains("TLSv1.0"), "{}", text.stdout);
    assert!(
        lines[2].contains("handshake failed, first flight only"),
        "{}",
        text.stdout
    );
    assert!(
        lines[3].starts_with("    error: read the server's TLSv1.0"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("Certificate chain"), "{}", text.stdout);
    assert!(text.stdout.contains("ServerHelloDone"), "{}", text.stdout);
}

#[test]
fn an_expired_chain_behind_tls11_fails_the_expiry_check_and_stays_a_failed_handshake() {
    let f = fixtures();
    let server = s_server(
        &f.expired,
        &["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-alpn", "h2"],
    );
    let (code, r) = probe(
        server.addr,
        &[
            "--ca-file",
            &root(),
            "--min-days",
            "5",
            "--alpn",
            "h2,http/1.1",
        ],
    );
    assert_first_flight(code, &r, "protocol_version", "TLSv1.1", &f.expired);
    assert_eq!(r["verification"]["verified"], false);
    assert!(
        support::error_codes(&r).contains(&"expired".to_string()),
        "{r:#}"
    );
    assert_eq!(r["checks"][0]["passed"], false, "{r:#}");
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("--tlsv1.1") && hint.contains("-tls1_1"),
        "{hint}"
    );
    // ALPN as asked: offered in our ClientHello, chosen in the server's ServerHello.
    assert_eq!(
        r["handshake"][0]["alpn"],
        serde_json::json!(["h2", "http/1.1"])
    );
    assert_eq!(r["protocol"]["alpn"], "h2", "{r:#}");
}

#[test]
fn a_cbc_only_tls12_server_with_the_wrong_name_is_no_common_cipher() {
    let f = fixtures();
    let server = s_server(
        &f.wrong_host,
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA", "-www"],
    );
    let (code, r) = probe(server.addr, &["--ca-file", &root()]);
    assert_first_flight(code, &r, "no_common_cipher", "TLSv1.2", &f.wrong_host);
    assert_eq!(
        r["protocol"]["cipher_suite"],
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
    );
    assert!(
        r["protocol"]["signature_scheme"]
            .as_str()
            .is_some_and(|s| s.starts_with("ecdsa_")),
        "{r:#}"
    );
    assert_eq!(r["verification"]["hostname_matches"], false);
    assert!(support::error_codes(&r).contains(&"hostname_mismatch".to_string()));
    // The hint: curl connects with its defaults (-k: the name is wrong, as reported).
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(
        hint.starts_with("OpenSSL-based clients such as curl connect with their default settings"),
        "{hint}"
    );
    assert!(
        hint.ends_with("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        "{hint}"
    );
    assert_eq!(curl(server.addr, &["-k"]), 200);
}

#[test]
fn rsa_key_exchange_sends_no_server_key_exchange_and_dhe_shows_its_group_size() {
    let f = fixtures();
    for (cipher, suite) in [
        ("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
        ("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
    ] {
        let server = s_server(&f.good_rsa, &["-tls1_2", "-cipher", cipher, "-www"]);
        let (code, r) = probe(server.addr, &["--ca-file", &root()]);
        assert_first_flight(code, &r, "no_common_cipher", "TLSv1.2", &f.good_rsa);
        assert_eq!(r["protocol"]["cipher_suite"], suite);
        let message = r["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("RSA key exchange, no forward secrecy"),
            "{message}"
        );
        assert!(handshake_message(&r, "ServerKeyExchange").is_none());
        assert_eq!(r["protocol"]["key_exchange_group"], Value::Null);
        assert_eq!(r["protocol"]["signature_scheme"], Value::Null);
        assert_eq!(r["verification"]["verified"], true, "{r:#}");
        assert_eq!(curl(server.addr, &["--cacert", &root()]), 200, "{cipher}");
    }

    let server = s_server(
        &f.good_rsa,
        &["-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256", "-www"],
    );
    let (code, r) = probe(server.addr, &["--ca-file", &root()]);
    assert_first_flight(code, &r, "no_common_cipher", "TLSv1.2", &f.good_rsa);
    assert_eq!(r["protocol"]["dh_bits"], 2048, "{r:#}");
    let kx = handshake_message(&r, "ServerKeyExchange").unwrap();
    assert_eq!(kx["dh_bits"], 2048);
    assert_eq!(r["protocol"]["signature_scheme"], kx["signature_scheme"]);
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert!(!r["error"]["message"].as_str().unwrap().contains("weak"));
    assert_eq!(curl(server.addr, &["--cacert", &root()]), 200);
}

#[test]
fn a_weak_dh_group_is_named_in_the_message_the_hint_and_the_scan() {
    let f = fixtures();
    let dhparam = f.dir.join("dh1024.pem");
    if !dhparam.exists() {
        let made = Command::new("openssl")
            .args(["dhparam", "-out"])
            .arg(&dhparam)
            .arg("1024")
            .output()
            .expect("openssl dhparam");
        assert!(made.status.success());
    }
    let server = s_server(
        &f.good_rsa,
        &[
            "-tls1_2",
            "-cipher",
            "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
            "-dhparam",
            dhparam.to_str().unwrap(),
            "-www",
        ],
    );
    let (code, r) = probe(server.addr, &["--ca-file", &root(), "--scan"]);
    assert_first_flight(code, &r, "no_common_cipher", "TLSv1.2", &f.good_rsa);
    assert_eq!(r["protocol"]["dh_bits"], 1024);
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("a 1024-bit DH group, weak: under 2048 bits"),
        "{message}"
    );
    let weak: Vec<&Value> = r["scan"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "weak_dh")
        .collect();
    assert_eq!(weak.len(), 1, "{:#}", r["scan"]);
    // Said once, by the scan's own answer for the suite.
    let said = weak[0]["message"].as_str().unwrap();
    assert!(
        said.contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (1024 bits)"),
        "{said}"
    );
    // The hint: OpenSSL refuses the group by default, and takes it at security level 0.
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("curl --ciphers DEFAULT@SECLEVEL=0"), "{hint}");
    assert_eq!(curl(server.addr, &["--cacert", &root()]), 0);
    assert_eq!(
        curl(
            server.addr,
            &["--cacert", &root(), "--ciphers", "DEFAULT@SECLEVEL=0"]
        ),
        200
    );
}

#[test]
fn the_staple_and_the_certificate_request_of_a_legacy_flight_are_reported() {
    let f = fixtures();
    let response = support::openssl_ca::ocsp_response(f, false);
    let server = s_server(
        &f.good,
        &[
            "-tls1_2",
            "-cipher",
            "ECDHE-ECDSA-AES128-SHA",
            "-status_file",
            response.to_str().unwrap(),
            "-verify",
            "1",
            "-CAfile",
            &root(),
        ],
    );
    let (code, r) = probe(server.addr, &["--ca-file", &root()]);
    assert_first_flight(code, &r, "no_common_cipher", "TLSv1.2", &f.good);
    assert_eq!(r["protocol"]["ocsp_staple"]["status"], "good", "{r:#}");
    assert!(messages(&r).contains(&("server".into(), "CertificateStatus".into())));
    let request = handshake_message(&r, "CertificateRequest").expect("a CertificateRequest");
    assert!(request["certificate_authorities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("tlsprobe test root")));
    assert_eq!(r["protocol"]["client_certificate"]["sent"], false);
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
}

#[test]
fn a_gnutls_tls10_server_yields_the_same() {
    let f = fixtures();
    let server = support::gnutls::gnutls_serv(
        &f.good_rsa,
        &["--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.0"],
    );
    let (code, r) = probe(server.addr, &["--ca-file", &root(), "--min-days", "5"]);
    assert_first_flight(code, &r, "protocol_version", "TLSv1.0", &f.good_rsa);
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(r["checks"][0]["passed"], true);
}

#[test]
fn over_starttls_and_through_a_proxy_the_flight_is_read_the_same_way() {
    let f = fixtures();
    let server = s_server(&f.good_rsa, &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let relay = starttls_peers::starttls_relay("smtp", server.addr);
    let (code, r) = probe(relay, &["--starttls", "smtp", "--ca-file", &root()]);
    assert_first_flight(code, &r, "protocol_version", "TLSv1.0", &f.good_rsa);
    assert_eq!(r["verification"]["verified"], true, "{r:#}");

    let proxy = peers::connect_proxy(None);
    let (code, r) = probe(
        server.addr,
        &[
            "--proxy",
            &format!("127.0.0.1:{}", proxy.port()),
            "--ca-file",
            &root(),
        ],
    );
    assert_first_flight(code, &r, "protocol_version", "TLSv1.0", &f.good_rsa);
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
}

#[test]
fn a_replayed_server_key_exchange_is_a_bad_signature() {
    // The first flight of a real TLS 1.0 server, recorded once and replayed to every
    // ClientHello: its ServerKeyExchange was signed over another client's random.
    use std::time::Duration;
    use tlsprobe::deadline::Deadline;
    use tlsprobe::scan::client_hello::{Extras, HelloSpec};
    use tlsprobe::scan::server_answer::first_flight;
    use tlsprobe::wire::code_points::{CipherSuite, ProtocolVersion};

    let f = fixtures();
    let server = s_server(
        &f.good_rsa,
        &["-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"],
    );
    let spec = HelloSpec {
        version: ProtocolVersion::TLS1_2,
        suites: vec![CipherSuite(0xc013)],
        sni: Some("localhost".into()),
        random: [7; 32],
        groups: Vec::new(),
        status_request: false,
        sct: false,
        extras: Extras::default(),
        alpn: Vec::new(),
    };
    let flight = first_flight(
        &tlsprobe::net::Dialer::direct(server.addr),
        &spec,
        Deadline::after(Duration::from_secs(10)),
    )
    .expect("the server's first flight");
    let replay = support::hostile::answer_bytes(flight);
    let (code, r) = probe(replay, &["--ca-file", &root()]);
    assert_first_flight(code, &r, "protocol_version", "TLSv1.0", &f.good_rsa);
    assert_eq!(r["verification"]["verified"], false, "{r:#}");
    assert_eq!(support::error_codes(&r), ["bad_signature"], "{r:#}");
    let said = r["verification"]["errors"][0]["message"].as_str().unwrap();
    assert!(said.contains("MD5 and SHA-1"), "{said}");
}
