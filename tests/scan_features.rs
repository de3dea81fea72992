//! The scan's checks beside the suites (the DH size and group of each suite, renegotiation,
//! extended master secret, tickets, 0-RTT, fallback SCSV, heartbeat and Heartbleed, SSL 2.0),
//! against openssl s_server and gnutls-serv, each compared with what openssl s_client says
//! of the same server, and against a server that bleeds.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use serde_json::Value;
use support::fixtures::fixtures;
use support::gnutls::gnutls_serv;
use support::openssl::{s_client_run, s_server};
use support::peers::{read_record, serve};
use support::{run_json, scan_codes};
use tlsprobe::wire::code_points::{CipherSuite, ExtensionType, HandshakeType, ProtocolVersion};
use tlsprobe::wire::handshake::{parse_message, Context, Fields};

/// What `openssl s_client -connect 127.0.0.1:PORT ARGS` prints, stdout and stderr, its stdin
/// at EOF (it ends once the handshake is over).
fn s_client(port: u16, args: &[&str]) -> String {
    let out = s_client_run(port, args);
    String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned()
}

/// The first line of `openssl s_client` output that starts with `prefix` (after spaces),
/// its stdin held open so that it stays for the server's TLS 1.3 tickets; it is killed once
/// the line came, or ends when the server closes. Its stdout is line-buffered (`stdbuf`), or
/// the lines would wait in its buffer until it exits.
fn s_client_line(port: u16, args: &[&str], prefix: &str) -> Option<String> {
    let mut child = Command::new("stdbuf")
        .args([
            "-oL",
            "openssl",
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
        ])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_client");
    let stdout = child.stdout.take().unwrap();
    let found = BufReader::new(stdout)
        .split(b'\n')
        .map_while(Result::ok)
        .map(|l| String::from_utf8_lossy(&l).trim().to_string())
        .find(|l| l.starts_with(prefix));
    let _ = child.kill();
    let _ = child.wait();
    found
}

fn scan(port: u16) -> Value {
    let (_, r) = run_json(&["--scan", &format!("localhost:{port}")]);
    r
}

fn suite<'a>(r: &'a Value, version: &str, name: &str) -> &'a Value {
    r["scan"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["version"] == version)
        .flat_map(|v| v["cipher_suites"].as_array().unwrap())
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{name} not under {version}: {:#}", r["scan"]))
}

/// "Server Temp Key: DH, 1024 bits" -> "DH, 1024 bits".
fn temp_key(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("Server Temp Key: "))
        .unwrap_or_else(|| panic!("no Server Temp Key in:\n{out}"))
        .to_string()
}

#[test]
fn the_dh_size_and_group_of_each_suite_as_s_client_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let dh = dir.path().join("dh1024.pem");
    // PKCS #3 parameters (s_server refuses -dsaparam's X9.42 ones and falls back to 2048 bits).
    let made = Command::new("openssl")
        .args(["dhparam", "-out"])
        .arg(&dh)
        .arg("1024")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let dh = dh.to_str().unwrap();
    let ciphers = "DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0";
    for (dhparam, bits) in [(Some(dh), 1024), (None, 2048)] {
        let mut args = vec!["-tls1_2", "-cipher", ciphers];
        args.extend(dhparam.map(|p| ["-dhparam", p]).into_iter().flatten());
        let server = s_server(&fixtures().good_rsa, &args);
        let port = server.addr.port();
        let theirs = s_client(
            port,
            &[
                "-tls1_2",
                "-cipher",
                "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
            ],
        );
        assert_eq!(temp_key(&theirs), format!("DH, {bits} bits"));
        let theirs = s_client(
            port,
            &[
                "-tls1_2",
                "-cipher",
                "ECDHE-RSA-AES128-GCM-SHA256",
                "-groups",
                "X25519:P-256:P-384:P-521:X448:ffdhe2048",
            ],
        );
        assert_eq!(temp_key(&theirs), "X25519, 253 bits");

        let r = scan(port);
        let dhe = suite(&r, "TLSv1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(dhe["dh_bits"], bits, "{dhe}");
        assert_eq!(
            dhe["group"],
            Value::Null,
            "OpenSSL's own prime is no RFC 7919 group"
        );
        let ecdhe = suite(&r, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(
            (&ecdhe["group"], &ecdhe["dh_bits"]),
            (&"X25519".into(), &Value::Null)
        );
        let weak: Vec<&Value> = r["scan"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "weak_dh")
            .collect();
        if bits < 2048 {
            assert_eq!(weak.len(), 1, "{:#}", r["scan"]["findings"]);
            let message = weak[0]["message"].as_str().unwrap();
            assert!(
                message.contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (1024 bits)")
                    && !message.contains("ECDHE"),
                "{message}"
            );
        } else {
            assert!(weak.is_empty(), "{weak:?}");
        }
    }
}

#[test]
fn the_features_of_openssl_as_s_client_reports_them() {
    let server = s_server(&fixtures().good, &[]);
    let port = server.addr.port();
    let tls12 = s_client(port, &["-tls1_2"]);
    assert!(
        tls12.contains("Secure Renegotiation IS supported"),
        "{tls12}"
    );
    assert!(tls12.contains("Extended master secret: yes"), "{tls12}");
    assert!(tls12.contains("Compression: NONE"), "{tls12}");
    let fallback = s_client(port, &["-tls1_2", "-fallback_scsv"]);
    assert!(fallback.contains("inappropriate fallback"), "{fallback}");
    let lifetime = s_client_line(port, &["-tls1_3"], "TLS session ticket lifetime hint:")
        .expect("a TLS 1.3 ticket");
    let max_early = s_client_line(port, &["-tls1_3"], "Max Early Data:");

    let r = scan(port);
    let f = &r["scan"]["features"];
    assert_eq!(f["hello_version"], "TLSv1.2");
    for (key, want) in [
        ("secure_renegotiation", true),
        ("extended_master_secret", true),
        ("compression", false),
        ("session_ticket", true),
        ("heartbeat", false),
        ("fallback_scsv", true),
        ("sslv2", false),
        ("early_data", false),
    ] {
        assert_eq!(f[key], want, "{key}: {f:#}");
    }
    assert_eq!(f["heartbleed"], Value::Null, "heartbeat is off: not asked");
    assert_eq!(max_early.as_deref(), Some("Max Early Data: 0"));
    assert_eq!(
        lifetime,
        format!(
            "TLS session ticket lifetime hint: {} (seconds)",
            f["ticket_lifetime_s"]
        )
    );
    let extensions = f["server_extensions"].as_array().unwrap();
    for e in [
        "renegotiation_info",
        "extended_master_secret",
        "session_ticket",
    ] {
        assert!(extensions.contains(&e.into()), "{extensions:?}");
    }
    let c = scan_codes(&r);
    for quiet in [
        "insecure_renegotiation",
        "no_extended_master_secret",
        "compression",
        "heartbeat",
        "heartbleed",
        "no_fallback_scsv",
        "sslv2",
        "early_data",
        "long_ticket_lifetime",
    ] {
        assert!(!c.contains(&quiet.to_string()), "{quiet} in {c:?}");
    }
}

#[test]
fn zero_rtt_and_no_tickets() {
    let server = s_server(&fixtures().good, &["-early_data", "-no_ticket"]);
    let port = server.addr.port();
    let max_early = s_client_line(port, &["-tls1_3"], "Max Early Data:").expect("0-RTT");
    assert_eq!(max_early, "Max Early Data: 16384");
    assert!(
        !s_client(port, &["-tls1_2"]).contains("TLS session ticket lifetime hint"),
        "TLS 1.2 tickets are off"
    );
    let r = scan(port);
    let f = &r["scan"]["features"];
    assert_eq!(f["early_data"], true, "{f:#}");
    assert_eq!(f["session_ticket"], false, "{f:#}");
    assert!(scan_codes(&r).contains(&"early_data".into()));
}

#[test]
fn gnutls_answers_heartbeats_and_does_not_bleed() {
    let server = gnutls_serv(&fixtures().good, &["--heartbeat"]);
    let r = scan(server.addr.port());
    let f = &r["scan"]["features"];
    assert_eq!(f["heartbeat"], true, "{f:#}");
    assert_eq!(f["heartbleed"], false, "{f:#}");
    assert!(f["server_extensions"]
        .as_array()
        .unwrap()
        .contains(&"heartbeat".into()));
    let c = scan_codes(&r);
    assert!(
        c.contains(&"heartbeat".into()) && !c.contains(&"heartbleed".into()),
        "{c:?}"
    );
    assert_eq!(f["fallback_scsv"], true, "GnuTLS refuses a fallback too");
}

/// One TLS 1.2 handshake message.
fn message(typ: HandshakeType, body: &[u8]) -> Vec<u8> {
    let mut m = vec![typ.0];
    m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    m.extend_from_slice(body);
    m
}

fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type, 3, 3];
    out.extend_from_slice(&(fragment.len() as u16).to_be_bytes());
    out.extend_from_slice(fragment);
    out
}

/// A server of TLS 1.2 alone with one suite (TLS_RSA_WITH_AES_128_GCM_SHA256) that answers
/// heartbeats as OpenSSL 1.0.1f did: echoing as many bytes as the request claims.
fn bleeding_server() -> u16 {
    const SUITE: CipherSuite = CipherSuite(0x009c);
    serve(|mut s| {
        let hello = read_record(&mut s);
        let alert = |s: &mut std::net::TcpStream, description: u8| {
            let _ = s.write_all(&record(21, &[2, description]));
        };
        if hello.len() < 9 || hello[0] != 22 {
            return; // SSL 2.0 and the rest: closed without a word
        }
        let parsed = parse_message(
            HandshakeType::CLIENT_HELLO,
            &hello[9..],
            &mut Context::default(),
        );
        let Fields::ClientHello(ch) = parsed.fields else {
            return;
        };
        if !ch.versions.is_empty() || ch.legacy_version != ProtocolVersion::TLS1_2 {
            return alert(&mut s, 70);
        }
        if !ch.cipher_suites.contains(&SUITE) {
            return alert(&mut s, 40);
        }
        let mut body = vec![3, 3];
        body.extend_from_slice(&[0x42; 32]);
        body.push(0);
        body.extend_from_slice(&SUITE.0.to_be_bytes());
        body.push(0);
        let mut exts = vec![0xff, 0x01, 0, 1, 0];
        if ch.extensions.contains(&ExtensionType::HEARTBEAT) {
            exts.extend_from_slice(&[0, 15, 0, 1, 1]);
        }
        body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        body.extend_from_slice(&exts);
        let flight = [
            message(HandshakeType::SERVER_HELLO, &body),
            message(HandshakeType::SERVER_HELLO_DONE, &[]),
        ]
        .concat();
        let _ = s.write_all(&record(22, &flight));
        // Heartbeat requests: answered with the claimed length, whatever came.
        let mut header = [0u8; 5];
        while s.read_exact(&mut header).is_ok() {
            let mut fragment = vec![0; usize::from(u16::from_be_bytes([header[3], header[4]]))];
            if s.read_exact(&mut fragment).is_err() || header[0] != 24 {
                return;
            }
            let claimed = u16::from_be_bytes([fragment[1], fragment[2]]);
            let mut response = vec![2];
            response.extend_from_slice(&claimed.to_be_bytes());
            response.resize(3 + usize::from(claimed) + 16, 0x5a);
            let _ = s.write_all(&record(24, &response));
        }
    })
    .port()
}

#[test]
fn a_server_that_echoes_more_than_it_was_sent_bleeds() {
    let port = bleeding_server();
    let (_, r) = run_json(&["--scan", &format!("127.0.0.1:{port}")]);
    let f = &r["scan"]["features"];
    assert_eq!(
        (&f["heartbeat"], &f["heartbleed"]),
        (&true.into(), &true.into()),
        "{f:#}"
    );
    assert_eq!(f["sslv2"], false, "closed at an SSL 2.0 hello");
    assert_eq!(
        f["fallback_scsv"],
        Value::Null,
        "one version: no fallback to ask"
    );
    let c = scan_codes(&r);
    assert!(
        c.contains(&"heartbleed".into()) && !c.contains(&"heartbeat".into()),
        "{c:?}"
    );
}

/// The leaf `openssl s_client -showcerts ARGS` was served, as PEM.
fn s_client_leaf(port: u16, args: &[&str]) -> String {
    let out = s_client(port, &[args, &["-showcerts"]].concat());
    let begin = out
        .find("-----BEGIN CERTIFICATE-----")
        .unwrap_or_else(|| panic!("no certificate in:\n{out}"));
    let end = "-----END CERTIFICATE-----";
    let len = out[begin..].find(end).unwrap() + end.len();
    out[begin..begin + len].to_string()
}

/// The scan's chain for one kind of certificate, or `None`.
fn served<'a>(r: &'a Value, kind: &str) -> Option<&'a Value> {
    r["scan"]["certificate_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key_type"] == kind)
}

/// The kinds of certificate the scan saw, in order.
fn kinds(r: &Value) -> Vec<&str> {
    r["scan"]["certificate_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key_type"].as_str().unwrap())
        .collect()
}

/// `--scan` of localhost:PORT, trusting `ca_file`.
fn scan_trusting(port: u16, ca_file: &str) -> Value {
    run_json(&["--scan", "--ca-file", ca_file, &format!("localhost:{port}")]).1
}

fn same_pem(a: &str, b: &str) -> bool {
    let der = |p: &str| support::pem_to_der(p.trim());
    der(a) == der(b)
}

#[test]
fn each_kind_of_certificate_as_s_client_sigalgs_is_served_it() {
    use support::openssl_chains::{KeyKind, Pki, Spec, Window};
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new(dir.path());
    let ca = pki.issue(Spec::ca("ca", "/CN=Types Test CA", None, ""));
    let ecdsa = pki.issue(Spec::server(
        "ecdsa",
        "/CN=ecdsa.localhost",
        "DNS:localhost",
        &ca,
    ));
    // The RSA certificate expired yesterday: a client that takes ECDSA never sees it.
    let rsa = pki.issue(
        Spec::server("rsa", "/CN=rsa.localhost", "DNS:localhost", &ca)
            .key_kind(KeyKind::Rsa(2048))
            .window(Window {
                from_days: -100,
                to_days: -1,
            }),
    );
    let ed = pki.issue(
        Spec::server("ed", "/CN=ed25519.localhost", "DNS:localhost", &ca)
            .key_kind(KeyKind::Ed25519),
    );
    let ca_file = ca.pem_str().to_string();
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();

    // RSA and ECDSA at once (-dcert), TLS 1.2 and 1.3.
    let chain = pki.served("ecdsa", &ecdsa, &[]);
    let dual = s_server(
        &chain,
        &["-dcert", rsa.pem_str(), "-dkey", rsa.key.to_str().unwrap()],
    );
    let port = dual.port();
    let theirs_rsa = s_client_leaf(port, &["-tls1_2", "-sigalgs", "RSA+SHA256:RSA-PSS+SHA256"]);
    let theirs_ecdsa = s_client_leaf(port, &["-tls1_2", "-sigalgs", "ECDSA+SHA256"]);
    assert!(same_pem(&theirs_rsa, &read(&rsa.pem)), "{}", dual.log());
    assert!(same_pem(&theirs_ecdsa, &read(&ecdsa.pem)), "{}", dual.log());

    let r = scan_trusting(port, &ca_file);
    support::assert_valid(&r);
    assert_eq!(kinds(&r), ["RSA", "ECDSA"], "{:#}", r["scan"]);
    let rsa_seen = served(&r, "RSA").unwrap();
    let ecdsa_seen = served(&r, "ECDSA").unwrap();
    assert!(same_pem(
        rsa_seen["certificates"][0]["pem"].as_str().unwrap(),
        &theirs_rsa
    ));
    assert!(same_pem(
        ecdsa_seen["certificates"][0]["pem"].as_str().unwrap(),
        &theirs_ecdsa
    ));
    assert_eq!(rsa_seen["version"], "TLSv1.2");
    assert!(
        rsa_seen["cipher_suite"].as_str().unwrap().contains("_RSA_"),
        "{rsa_seen:#}"
    );
    assert!(
        ecdsa_seen["cipher_suite"]
            .as_str()
            .unwrap()
            .contains("_ECDSA_"),
        "{ecdsa_seen:#}"
    );
    // Each judged as the probe's chain is: the ECDSA one trusted, the RSA one expired.
    assert_eq!(
        ecdsa_seen["verification"]["verified"], true,
        "{ecdsa_seen:#}"
    );
    assert_eq!(rsa_seen["verification"]["verified"], false);
    assert_eq!(rsa_seen["verification"]["errors"][0]["code"], "expired");
    // The probe (TLS 1.3, rustls offering ECDSA first) saw the ECDSA leaf; the expired RSA
    // one is the scan's to tell.
    assert!(same_pem(
        r["certificates"][0]["pem"].as_str().unwrap(),
        &theirs_ecdsa
    ));
    assert_eq!(r["status"], "ok");
    let other: Vec<&Value> = r["scan"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "other_chain")
        .collect();
    assert_eq!(other.len(), 1, "{:#}", r["scan"]["findings"]);
    assert_eq!(other[0]["severity"], "high");
    let message = other[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "the RSA chain, served to clients that take RSA alone, fails verification: expired"
        ),
        "{message}"
    );
    // The text view names both.
    let text = support::run(&[
        "--scan",
        "--ca-file",
        &ca_file,
        &format!("localhost:{port}"),
    ]);
    let flat = text.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "RSA chain CN=rsa.localhost, RSA 2048 bits, expired 1 days ago, not trusted (expired)"
        ),
        "{}",
        text.stdout
    );
    assert!(
        flat.contains("ECDSA chain CN=ecdsa.localhost, EC P-256, 364 days left, trusted"),
        "{}",
        text.stdout
    );
    drop(dual);

    // Ed25519 alone.
    let chain = pki.served("ed", &ed, &[]);
    let server = s_server(&chain, &["-tls1_2"]);
    let port = server.port();
    let theirs = s_client_leaf(port, &["-tls1_2", "-sigalgs", "ed25519"]);
    assert!(same_pem(&theirs, &read(&ed.pem)), "{}", server.log());
    let r = scan_trusting(port, &ca_file);
    assert_eq!(kinds(&r), ["Ed25519"], "{:#}", r["scan"]);
    let seen = served(&r, "Ed25519").unwrap();
    assert!(same_pem(
        seen["certificates"][0]["pem"].as_str().unwrap(),
        &theirs
    ));
    assert_eq!(seen["verification"]["verified"], true, "{seen:#}");
    assert!(!scan_codes(&r).contains(&"other_chain".to_string()));
}

/// Whether `openssl s_client -tls1_2` gets a renegotiation it starts (its `R` command) from
/// the server at `port`: after "RENEGOTIATING", the new handshake's certificate ("depth=0")
/// or OpenSSL's "no renegotiation" error. Its lines are read on a thread, each waited for at
/// most 20 s.
fn s_client_renegotiates(port: u16) -> bool {
    use std::sync::mpsc;
    use std::time::Duration;
    let mut child = Command::new("stdbuf")
        .args(["-oL", "openssl", "s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-tls1_2")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl s_client");
    let (tx, rx) = mpsc::channel::<String>();
    for out in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let next = || rx.recv_timeout(Duration::from_secs(20)).ok();
    // The handshake is over once the session is printed: "Extended master secret", then "---".
    while !next()
        .expect("s_client's session")
        .starts_with("    Extended master secret")
    {}
    while next().expect("s_client's session").trim() != "---" {}
    child.stdin.as_mut().unwrap().write_all(b"R\n").unwrap();
    // The first handshake's lines on stderr may still be on their way: what counts comes
    // after "RENEGOTIATING" (stderr too, so in order).
    let mut renegotiating = false;
    let answer = loop {
        match next() {
            Some(l) if l == "RENEGOTIATING" => renegotiating = true,
            Some(l) if renegotiating && l.starts_with("depth=0") => break true,
            Some(l) if renegotiating && l.contains("no renegotiation") => break false,
            Some(_) => continue,
            None => panic!("s_client said neither \"depth=0\" nor \"no renegotiation\""),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    answer
}

#[test]
fn client_initiated_renegotiation_as_s_client_r_gets_it() {
    // OpenSSL 3 refuses what its clients start unless told; GnuTLS takes it (safely).
    let refusing = s_server(&fixtures().good, &[]);
    let allowing = s_server(&fixtures().good, &["-client_renegotiation"]);
    let gnutls = gnutls_serv(&fixtures().good, &[]);
    for (port, want) in [
        (refusing.port(), false),
        (allowing.port(), true),
        (gnutls.addr.port(), true),
    ] {
        assert_eq!(s_client_renegotiates(port), want, "s_client on {port}");
        let r = scan(port);
        assert_eq!(
            r["scan"]["features"]["client_renegotiation"], want,
            "{:#}",
            r["scan"]["features"]
        );
        assert_eq!(
            scan_codes(&r).contains(&"client_renegotiation".to_string()),
            want
        );
    }
}
