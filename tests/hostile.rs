//! Hostile and broken peers: whatever they send, tlsprobe exits with a contract code (never
//! 101, a panic), prints one JSON object valid against the schema, and finishes within
//! --timeout.

mod support;

use std::time::{Duration, Instant};

use rustls::version::{TLS12, TLS13};
use serde_json::Value;
use support::fixtures::fixtures;
use support::hostile::{answer_bytes, cut_bytes, one_byte_records, record, server_hello};
use support::{run, run_json, rustls_server};

/// Probe with a short timeout; assert the common promises; return the report.
fn probe(addr: std::net::SocketAddr, extra: &[&str]) -> (i32, Value) {
    let start = Instant::now();
    let target = format!("localhost:{}", addr.port());
    let mut args = vec!["--timeout", "3"];
    args.extend_from_slice(extra);
    args.push(&target);
    let (code, r) = run_json(&args);
    assert!([0, 1, 3, 4].contains(&code), "exit {code}: {r:#}");
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "took {:?}",
        start.elapsed()
    );
    (code, r)
}

fn assert_handshake_failed(addr: std::net::SocketAddr) -> Value {
    let (code, r) = probe(addr, &[]);
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["status"], "handshake_failed");
    r
}

#[test]
fn a_record_over_the_size_limit() {
    let r = assert_handshake_failed(answer_bytes(record(22, 0x0303, &vec![0u8; 16_384 + 2049])));
    assert!(
        ["not_tls", "protocol_error"].contains(&r["error"]["kind"].as_str().unwrap()),
        "{r:#}"
    );
}

#[test]
fn length_fields_that_overflow_or_overrun() {
    // A handshake message claiming 16 MiB inside a 12-byte record, then the end.
    let r = assert_handshake_failed(answer_bytes(record(
        22,
        0x0303,
        &[2, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8],
    )));
    assert_eq!(r["handshake"][0]["type"], "ClientHello");
    // A record header promising more than ever comes.
    assert_handshake_failed(answer_bytes(vec![22, 3, 3, 0x40, 0x00, 1, 2, 3]));
}

#[test]
fn floods_of_empty_records_and_of_alerts() {
    assert_handshake_failed(answer_bytes(record(22, 0x0303, &[]).repeat(10_000)));
    let warnings = record(21, 0x0303, &[1, 0]).repeat(10_000);
    assert_handshake_failed(answer_bytes(warnings));
}

#[test]
fn wrong_record_versions() {
    for version in [0x0000u16, 0x0305, 0xffff, 0x0200] {
        let bytes = record(22, version, &server_hello(0xc02f));
        assert_handshake_failed(answer_bytes(bytes));
    }
}

#[test]
fn a_server_hello_with_an_unknown_suite_is_shown_with_its_number() {
    let r = assert_handshake_failed(answer_bytes(record(22, 0x0303, &server_hello(0x1337))));
    let hs = r["handshake"].as_array().unwrap();
    let hello = hs
        .iter()
        .find(|m| m["type"] == "ServerHello")
        .expect("the ServerHello is in the transcript");
    assert_eq!(hello["cipher_suite"], "0x1337");
}

#[test]
fn a_tls13_server_hello_with_an_unknown_group() {
    // supported_versions: TLS 1.3; key_share: group 0x1337 with a 32-byte share.
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x42; 32]);
    body.push(0);
    body.extend_from_slice(&0x1301u16.to_be_bytes());
    body.push(0);
    let mut exts = vec![
        0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x24, 0x13, 0x37, 0x00, 0x20,
    ];
    exts.extend_from_slice(&[9; 32]);
    body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    body.extend_from_slice(&exts);
    let mut msg = vec![2, 0, 0, body.len() as u8];
    msg.extend_from_slice(&body);
    let r = assert_handshake_failed(answer_bytes(record(22, 0x0303, &msg)));
    let hello = r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["type"] == "ServerHello")
        .cloned()
        .unwrap();
    assert_eq!(hello["group"], "0x1337");
    assert_eq!(hello["version"], "TLSv1.3");
}

#[test]
fn a_premature_change_cipher_spec() {
    assert_handshake_failed(answer_bytes(record(20, 0x0303, &[1])));
}

#[test]
fn ten_thousand_one_byte_records_are_reassembled() {
    // rustls's TLS 1.2 flight (ServerHello to ServerHelloDone), one byte per record.
    let upstream = rustls_server::start(&fixtures().good, &[&TLS12]);
    let root = support::root();
    let (code, r) = probe(one_byte_records(upstream), &["--ca-file", &root]);
    assert_eq!(code, 0, "{r:#}");
    let types: Vec<&str> = r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    for t in [
        "ServerHello",
        "Certificate",
        "ServerKeyExchange",
        "ServerHelloDone",
        "Finished",
    ] {
        assert!(types.contains(&t), "{types:?}");
    }
}

#[test]
fn a_chain_of_a_hundred_certificates() {
    let f = fixtures();
    let mut certs = f.good.certs.clone();
    while certs.len() < 100 {
        certs.push(f.good.certs[1].clone());
    }
    let addr = rustls_server::start(&f.good.serving(certs), &[&TLS13]);
    let root = f.root_pem.to_str().unwrap().to_string();
    let (code, r) = probe(addr, &["--ca-file", &root]);
    assert!(code == 0 || code == 1, "{r:#}");
    assert_eq!(r["certificates"].as_array().unwrap().len(), 100);
}

#[test]
fn malformed_der_in_the_certificate_message() {
    let f = fixtures();
    let mut garbage = f.good.certs[0].to_vec();
    garbage.truncate(garbage.len() / 2);
    let addr = rustls_server::start_with_wrong_key(&f.good.serving(vec![garbage.into()]), &f.good);
    let (code, r) = probe(addr, &[]);
    assert!(code == 1 || code == 4, "{r:#}");
    if code == 1 {
        let subject = r["certificates"][0]["subject"].as_str().unwrap();
        assert!(subject.starts_with("(unparseable certificate"), "{subject}");
    }
}

#[test]
fn control_characters_in_names_never_reach_the_terminal() {
    let f = fixtures();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.distinguished_name.push(
        rcgen::DnType::CommonName,
        "evil\u{1b}[2J\u{1b}]0;pwned\u{7}\r\nname",
    );
    let cert = p.self_signed(&key).unwrap();
    let chain = support::fixtures::Chain {
        certs: vec![cert.der().clone()],
        key_der: key.serialize_der(),
        ..f.good.serving(vec![])
    };
    let addr = rustls_server::start(&chain, &[&TLS13]);
    let target = format!("localhost:{}", addr.port());
    let text = run(&["--color", "never", "-vv", &target]);
    assert_eq!(text.code, 1);
    assert!(
        !text.stdout.contains('\u{1b}') && !text.stdout.contains('\u{7}'),
        "{:?}",
        text.stdout
    );
    assert!(
        text.stdout.contains("evil\\u{1b}[2J"),
        "shown escaped: {}",
        text.stdout
    );
    let (_, r) = probe(addr, &[]);
    assert!(
        r["certificates"][0]["subject"]
            .as_str()
            .unwrap()
            .contains('\u{1b}'),
        "JSON keeps the value, escaped by JSON"
    );
}

#[test]
fn a_valid_flight_cut_at_every_byte_and_reset_at_every_record() {
    let f = fixtures();
    let upstream = rustls_server::start(&f.good, &[&TLS12]);
    // The length of the server's first flight, measured through a pass-through cut.
    let whole = {
        let (code, r) = probe(
            cut_bytes(upstream, usize::MAX, false),
            &["--ca-file", f.root_pem.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{r:#}");
        r
    };
    let flight: usize = whole["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .take_while(|m| m["from"] == "server" || m["type"] == "ClientHello")
        .filter(|m| m["from"] == "server")
        .map(|m| m["length"].as_u64().unwrap() as usize + 4)
        .sum::<usize>()
        + 5;
    // Every byte offset, closed and reset: four at a time.
    let cases: Vec<(usize, bool)> = (0..flight).flat_map(|n| [(n, false), (n, true)]).collect();
    std::thread::scope(|scope| {
        for part in cases.chunks(cases.len().div_ceil(4)) {
            scope.spawn(move || {
                for &(n, with_reset) in part {
                    let (code, r) = probe(cut_bytes(upstream, n, with_reset), &[]);
                    assert_eq!(code, 4, "cut at {n}: {r:#}");
                    let kind = r["error"]["kind"].as_str().unwrap();
                    let expected: &[&str] = if with_reset {
                        &["connection_reset", "connection_closed", "protocol_error"]
                    } else {
                        &["connection_closed", "protocol_error"]
                    };
                    assert!(
                        expected.contains(&kind),
                        "cut at {n}, reset {with_reset}: {r:#}"
                    );
                }
            });
        }
    });
    assert!(flight > 500, "the flight measured {flight} bytes");
}

#[test]
fn a_one_mebibyte_certificate() {
    let f = fixtures();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    // A private extension stuffed with a mebibyte of zeros.
    p.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
        &[1, 3, 6, 1, 4, 1, 99999, 1],
        vec![0u8; 1 << 20],
    )];
    let cert = p.self_signed(&key).unwrap();
    assert!(cert.der().len() > 1 << 20);
    let chain = support::fixtures::Chain {
        certs: vec![cert.der().clone()],
        key_der: key.serialize_der(),
        ..f.good.serving(vec![])
    };
    // Through a certificate resolver: rustls's own configuration check would refuse to serve it.
    let addr = rustls_server::start_with_wrong_key(&chain, &chain);
    let (code, r) = probe(addr, &[]);
    // Larger than any handshake message a client accepts: a protocol error, named as such.
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["error"]["phase"], "handshake");
}

#[test]
fn a_server_that_selects_an_alpn_protocol_we_did_not_offer_is_named() {
    // TLS 1.2 ServerHello: ECDHE-ECDSA-AES128-GCM, extended_master_secret, ALPN "spdy/3".
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x42; 32]);
    body.push(0);
    body.extend_from_slice(&0xc02bu16.to_be_bytes());
    body.push(0);
    let alpn = [&[0x00, 0x10, 0x00, 0x09, 0x00, 0x07, 0x06][..], b"spdy/3"].concat();
    let ems = [0x00, 0x17, 0x00, 0x00];
    let exts = [&alpn[..], &ems[..]].concat();
    body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    body.extend_from_slice(&exts);
    let mut msg = vec![2, 0, 0, body.len() as u8];
    msg.extend_from_slice(&body);
    let (code, r) = probe(
        answer_bytes(record(22, 0x0303, &msg)),
        &["--alpn", "h2,http/1.1"],
    );
    assert_eq!(code, 4, "{r:#}");
    let message = r["error"]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "the server selected the ALPN protocol \"spdy/3\", which we did not offer (we offered h2, http/1.1)"
    );
    assert!(r["error"]["hint"].as_str().unwrap().contains("--alpn"));
    let hello = &r["handshake"][1];
    assert_eq!(hello["type"], "ServerHello");
    assert_eq!(hello["alpn"], "spdy/3");
}

#[test]
fn bidi_and_invisible_characters_in_names_are_shown_escaped_in_text() {
    let f = fixtures();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let name = "pay\u{202e}lmth.exe\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}\u{200b}\u{200f}\
                \u{61c}\u{feff}\u{ad}\u{2028}\u{85}\u{9b}31m end";
    p.distinguished_name.push(rcgen::DnType::CommonName, name);
    let cert = p.self_signed(&key).unwrap();
    let chain = support::fixtures::Chain {
        certs: vec![cert.der().clone()],
        key_der: key.serialize_der(),
        ..f.good.serving(vec![])
    };
    let addr = rustls_server::start(&chain, &[&TLS13]);
    let target = format!("localhost:{}", addr.port());
    let text = run(&["--color", "never", "-vv", &target]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    let raw: Vec<char> = name
        .chars()
        .filter(|c| !c.is_alphanumeric() && *c != ' ' && *c != '.')
        .collect();
    for c in &raw {
        assert!(!text.stdout.contains(*c), "{c:?} reached the terminal raw");
    }
    assert!(
        text.stdout.contains(
            "pay\\u{202e}lmth.exe\\u{202d}\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{200b}\\u{200f}\
             \\u{61c}\\u{feff}\\u{ad}\\u{2028}\\u{85}\\u{9b}31m end"
        ),
        "{}",
        text.stdout
    );
    // JSON carries the true name.
    let (_, r) = probe(addr, &[]);
    assert_eq!(r["certificates"][0]["subject"], format!("CN={name}"));
}

#[test]
fn bad_lines_of_a_targets_file_are_echoed_escaped_and_cut_short() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("targets");
    let long = "x".repeat(1000);
    std::fs::write(
        &path,
        format!("evil\u{1b}]0;pwned\u{7}\u{0}\u{202e}:port\n{long}:port\n"),
    )
    .unwrap();
    let r = run(&["--targets-file", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{:?}", r.stderr);
    assert!(
        !r.stderr.contains(['\u{1b}', '\u{7}', '\u{0}', '\u{202e}']),
        "{:?}",
        r.stderr
    );
    assert!(
        lines[0].contains("'evil\\u{1b}]0;pwned\\u{7}\\u{0}\\u{202e}:port'"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(&format!("'{}... (1005 characters)'", "x".repeat(100))),
        "{}",
        lines[1]
    );
    assert!(lines[1].len() < 250, "{}", lines[1]);
}

/// A trusted TLS server that reads one HTTP request and answers with `answer`.
fn http_server(answer: &'static [u8]) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let config = rustls_server::config(&fixtures().good);
    support::peers::serve(move |sock| {
        let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
            return;
        };
        let mut tls = rustls::StreamOwned::new(conn, sock);
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match tls.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return,
            }
        }
        let _ = tls.write_all(answer);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    })
}

#[test]
fn http_values_reach_json_as_sent_and_text_escaped() {
    let addr = http_server(
        b"HTTP/1.1 200 caf\xc3\xa9 \x1b[31m\r\n\
          Content-Security-Policy: default-src 'self'; script-src \"none\"\r\n\
          X-Frame-Options: DENY\x1b[2J\r\n\
          Referrer-Policy: no\xffreferrer\r\n\
          Content-Length: 0\r\n\r\n",
    );
    let target = format!("localhost:{}", addr.port());
    let root = support::root();
    let (code, r) = probe(addr, &["--http", "--ca-file", &root]);
    assert_eq!(code, 0, "{r:#}");
    let app = &r["application"];
    assert_eq!(app["response"], "HTTP/1.1 200 caf\u{e9} \u{1b}[31m");
    let http = &app["http"];
    assert_eq!(http["status"], 200);
    assert_eq!(http["status_line"], "HTTP/1.1 200 caf\u{e9} \u{1b}[31m");
    let headers = &http["security_headers"];
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'self'; script-src \"none\""
    );
    assert_eq!(headers["x-frame-options"], "DENY\u{1b}[2J");
    // Bytes that are not UTF-8: U+FFFD, the one change.
    assert_eq!(headers["referrer-policy"], "no\u{fffd}referrer");

    let text = run(&["--color", "never", "--http", "--ca-file", &root, &target]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(!text.stdout.contains('\u{1b}'), "{:?}", text.stdout);
    assert!(
        text.stdout.contains("HTTP/1.1 200 caf\u{e9} \\u{1b}[31m"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("default-src 'self'; script-src \"none\""),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("DENY\\u{1b}[2J"), "{}", text.stdout);
}
