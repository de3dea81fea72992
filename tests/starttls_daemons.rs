//! STARTTLS against the real servers of Debian's packages, each started by the test on
//! 127.0.0.1 with the fixtures' chain: postfix (SMTP), dovecot (IMAP, POP3, ManageSieve, LMTP),
//! vsftpd (FTP), PostgreSQL, slapd (LDAP), prosody (XMPP, client and server streams) and
//! MariaDB (MySQL), and their misconfigured variants (TLS off, TLS 1.0 or 1.3 only, a client
//! certificate required). What tlsprobe says of each is checked against what the server does:
//! the certificate `openssl s_client -starttls` is served, and the versions it can and cannot
//! negotiate.

mod support;

use std::process::{Command, Stdio};

use serde_json::Value;
use support::daemons::{dovecot, mariadb, postfix, postgres, prosody, slapd, vsftpd, Daemon};
use support::fixtures::fixtures;
use support::{pem_to_der, root, run, run_json, sha256_hex};

/// Probe `localhost:port` with `--starttls proto` and the fixtures' root, plus `extra`.
fn probe(proto: &str, port: u16, extra: &[&str]) -> (i32, Value) {
    let target = format!("localhost:{port}");
    let root = root();
    let mut args = vec!["--starttls", proto, "--ca-file", &root];
    args.extend_from_slice(extra);
    args.push(&target);
    run_json(&args)
}

/// The SHA-256 of each certificate the report shows.
fn shown(r: &Value) -> Vec<String> {
    r["certificates"]
        .as_array()
        .expect("certificates[]")
        .iter()
        .map(|c| c["sha256"].as_str().expect("sha256").to_string())
        .collect()
}

/// The chain the good fixture serves, by SHA-256.
fn served() -> Vec<String> {
    fixtures()
        .good
        .certs
        .iter()
        .map(|c| sha256_hex(c))
        .collect()
}

/// `openssl s_client -starttls proto`: the SHA-256 of the leaf it was served, or `None` when
/// its handshake failed. `extra` e.g. `-tls1_2`.
fn s_client_leaf(proto: &str, port: u16, extra: &[&str]) -> Option<String> {
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-starttls", proto, "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", "localhost"])
        .args(extra);
    if proto.starts_with("xmpp") {
        cmd.args(["-xmpphost", "localhost"]);
    }
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("openssl s_client");
    let text = String::from_utf8_lossy(&out.stdout);
    let start = text.find("-----BEGIN CERTIFICATE-----")?;
    let end = text[start..].find("-----END CERTIFICATE-----")? + start + 25;
    (text.contains("Cipher is") && !text.contains("Cipher is (NONE)"))
        .then(|| sha256_hex(&pem_to_der(&text[start..end])))
}

/// A good probe: exit 0, verified, the chain as served, the preamble recorded, and the leaf the
/// one openssl s_client gets through the same preamble.
fn assert_upgraded(daemon: &Daemon, proto: &str, port: u16) -> Value {
    let (code, r) = probe(proto, port, &[]);
    assert_eq!(code, 0, "{r:#}\n{}", daemon.log());
    assert_eq!(r["status"], "ok");
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(shown(&r), served(), "the chain as served");
    assert_eq!(r["target"]["address"], format!("127.0.0.1:{port}"));
    assert_eq!(r["starttls"]["protocol"], proto);
    assert!(!r["starttls"]["exchange"].as_array().unwrap().is_empty());
    assert_eq!(
        s_client_leaf(proto, port, &[]).as_deref(),
        Some(served()[0].as_str()),
        "openssl s_client -starttls {proto} gets the same leaf"
    );
    r
}

/// The preamble's lines, as `(from, text)`.
fn exchange(r: &Value) -> Vec<(String, String)> {
    r["starttls"]["exchange"]
        .as_array()
        .expect("starttls.exchange[]")
        .iter()
        .map(|l| {
            (
                l["from"].as_str().unwrap().to_string(),
                l["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A preamble failure: exit 3, phase and kind `starttls`, the address kept, the exchange
/// recorded; returns the message and hint.
fn assert_preamble_failed(r: &Value, code: i32, port: u16) -> (String, String) {
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["status"], "connect_failed");
    assert_eq!(r["error"]["phase"], "starttls");
    assert_eq!(r["error"]["kind"], "starttls");
    assert_eq!(r["target"]["address"], format!("127.0.0.1:{port}"));
    assert!(r["starttls"]["exchange"].as_array().is_some(), "{r:#}");
    (
        r["error"]["message"].as_str().unwrap().to_string(),
        r["error"]["hint"].as_str().unwrap().to_string(),
    )
}

/// Refused for want of a client certificate: exit 4, `client_certificate_required`.
fn assert_certificate_required(r: &Value, code: i32) -> String {
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["status"], "handshake_failed");
    assert_eq!(r["error"]["kind"], "client_certificate_required", "{r:#}");
    assert!(r["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("--cert and --key"));
    assert_eq!(r["protocol"]["client_certificate"]["sent"], false);
    r["error"]["message"].as_str().unwrap().to_string()
}

fn ca() -> std::path::PathBuf {
    fixtures().root_pem.clone()
}

#[test]
fn postfix_smtp_with_its_preamble_recorded() {
    let d = postfix::start(&fixtures().good, &ca(), postfix::Variant::Normal);
    let r = assert_upgraded(&d, "smtp", d.port);
    let lines = exchange(&r);
    assert_eq!(lines[0].0, "server");
    assert!(
        lines[0].1.starts_with("220 mail.test ESMTP Postfix"),
        "{lines:?}"
    );
    assert_eq!(lines[1], ("client".into(), "EHLO localhost".into()));
    assert!(lines.contains(&("server".into(), "250-STARTTLS".into())));
    assert_eq!(lines[lines.len() - 2], ("client".into(), "STARTTLS".into()));
    assert!(
        lines.last().unwrap().1.starts_with("220 2.0.0"),
        "{lines:?}"
    );
    assert_eq!(r["starttls"]["name"], "localhost");
    // The same lines under -v, and none of them without it.
    let target = format!("localhost:{}", d.port);
    let args = ["--starttls", "smtp", "--ca-file", &root(), &target];
    let plain = run(&args);
    assert!(!plain.stdout.contains("EHLO"), "{}", plain.stdout);
    let verbose = run(&[&["-v"], &args[..]].concat());
    assert!(verbose.stdout.contains("STARTTLS SMTP as localhost"));
    assert!(
        verbose.stdout.contains("→ EHLO localhost"),
        "{}",
        verbose.stdout
    );
    assert!(verbose.stdout.contains("← 220 mail.test ESMTP Postfix"));
    // --starttls-name changes the EHLO name, not the name verified.
    let (code, r) = probe("smtp", d.port, &["--starttls-name", "client.example"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(exchange(&r).contains(&("client".into(), "EHLO client.example".into())));
    assert_eq!(r["starttls"]["name"], "client.example");
}

/// tshark's values of `field` in the frames of `pcap` that `filter` selects, with no key log
/// (the capture holds its secrets), a frame's several values split; `decode` as tshark's `-d`
/// (a server not on its protocol's port).
fn tshark_fields(pcap: &std::path::Path, decode: &str, filter: &str, field: &str) -> Vec<String> {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(pcap)
        .args(["-d", decode, "-Y", filter, "-T", "fields", "-e", field])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("tshark (Debian: tshark)");
    String::from_utf8_lossy(&out.stdout)
        .split(['\n', ','])
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// `--pcap` of a STARTTLS probe: tshark, with no key log, reads the SMTP preamble and then the
/// TLS messages of `handshake[]`, decrypted, with the same lengths.
#[test]
fn postfix_smtp_captured_with_its_preamble() {
    let d = postfix::start(&fixtures().good, &ca(), postfix::Variant::Normal);
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("smtp.pcapng");
    let (code, r) = probe("smtp", d.port, &["--pcap", pcap.to_str().unwrap()]);
    assert_eq!(code, 0, "{r:#}");
    let smtp = format!("tcp.port=={},smtp", d.port);
    let tshark_fields = |filter: &str, field: &str| tshark_fields(&pcap, &smtp, filter, field);
    // (tshark's `smtp.req.command` is four letters: STAR for STARTTLS.)
    let commands = tshark_fields("smtp.req", "smtp.command_line");
    let commands: Vec<&str> = commands
        .iter()
        .map(|c| c.trim_end_matches("\\r\\n"))
        .collect();
    assert_eq!(
        commands,
        ["EHLO localhost", "STARTTLS"],
        "the preamble in the capture"
    );
    let greeting = tshark_fields("smtp.response", "smtp.response.code");
    assert_eq!(
        greeting.first().map(String::as_str),
        Some("220"),
        "{greeting:?}"
    );
    let lengths = tshark_fields("tls.handshake", "tls.handshake.length");
    let ours: Vec<String> = r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            let record = ["ChangeCipherSpec", "Alert", "ApplicationData"];
            !record.iter().any(|r| m["type"] == *r)
        })
        .map(|m| m["length"].to_string())
        .collect();
    assert!(ours.len() >= 6, "{ours:?}");
    assert_eq!(
        lengths, ours,
        "handshake lengths, tshark against handshake[]"
    );
    // Decrypted: the server's Finished is readable only with the secrets.
    let finished = tshark_fields("tls.handshake.type == 20", "tcp.srcport");
    assert!(finished.contains(&d.port.to_string()), "{finished:?}");
}

#[test]
fn postfix_tls13_only_explains_a_tls12_probe_and_scans_over_starttls() {
    let d = postfix::start(&fixtures().good, &ca(), postfix::Variant::Tls13Only);
    // What openssl sees: TLS 1.3 yes, TLS 1.2 no.
    assert!(s_client_leaf("smtp", d.port, &["-tls1_3"]).is_some());
    assert!(s_client_leaf("smtp", d.port, &["-tls1_2"]).is_none());
    let (code, r) = probe("smtp", d.port, &["--tls1.2"]);
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["error"]["kind"], "protocol_version");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("accepts TLSv1.3") && message.contains("offered only TLSv1.2"),
        "{message}"
    );
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("drop --tls1.2"), "{hint}");
    assert!(!hint.contains("1.0"), "{hint}");
    // --scan replays the preamble for each question.
    let (code, r) = probe("smtp", d.port, &["--scan"]);
    assert_eq!(code, 0, "{r:#}");
    let versions = r["scan"]["versions"].as_array().expect("a scan");
    let accepted: Vec<&str> = versions
        .iter()
        .filter(|v| v["accepted"] == true)
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(accepted, ["TLSv1.3"], "{versions:#?}");
    assert!(r["scan"]["connections"].as_u64().unwrap() >= 5);
}

#[test]
fn postfix_without_tls_and_with_tls10_only() {
    let d = postfix::start(&fixtures().good, &ca(), postfix::Variant::NoTls);
    let (code, r) = probe("smtp", d.port, &[]);
    let (message, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(message.contains("does not offer STARTTLS"), "{message}");
    assert!(hint.contains("smtpd_tls_security_level"), "{hint}");
    assert!(!hint.contains("drop --starttls"), "{hint}");
    // The text header keeps the address.
    let target = format!("localhost:{}", d.port);
    let text = run(&["--starttls", "smtp", &target]);
    assert!(
        text.stdout
            .starts_with(&format!("localhost:{} (127.0.0.1:{})", d.port, d.port)),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("STARTTLS SMTP"),
        "shown when it failed"
    );
    drop(d);

    let d = postfix::start(&fixtures().good, &ca(), postfix::Variant::Tls10Only);
    assert!(s_client_leaf("smtp", d.port, &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"]).is_some());
    let (code, r) = probe("smtp", d.port, &[]);
    assert_eq!(code, 4, "{r:#}\n{}", d.log());
    assert_eq!(r["error"]["kind"], "protocol_version");
    assert_eq!(r["protocol"]["version"], "TLSv1.0", "{r:#}");
    assert_eq!(r["protocol"]["first_flight_only"], true);
    assert_eq!(
        shown(&r),
        served(),
        "the chain of the first flight, read over STARTTLS"
    );
    let message = r["error"]["message"].as_str().unwrap();
    assert!(message.contains("accepts only TLSv1.0"), "{message}");
}

#[test]
fn postfix_turns_away_a_client_without_a_certificate() {
    let d = postfix::start(
        &fixtures().good,
        &ca(),
        postfix::Variant::ClientCertRequired,
    );
    for version in ["--tls1.3", "--tls1.2"] {
        let (code, r) = probe("smtp", d.port, &[version]);
        let message = assert_certificate_required(&r, code);
        assert!(
            message.contains("No client certificate presented"),
            "{message}"
        );
    }
}

#[test]
fn the_wrong_preamble_on_an_smtp_port_is_named() {
    let d = postfix::start(&fixtures().good, &ca(), postfix::Variant::Normal);
    let cases = [
        ("imap", "this is an SMTP server, not IMAP"),
        ("pop3", "this is an SMTP server, not POP3"),
        ("xmpp", "this is an SMTP server, not XMPP"),
        ("postgres", "this is an SMTP server, not PostgreSQL"),
        ("mysql", "this is an SMTP server, not MySQL"),
    ];
    for (proto, says) in cases {
        let (code, r) = probe(proto, d.port, &["--timeout", "5"]);
        let (message, hint) = assert_preamble_failed(&r, code, d.port);
        assert!(message.contains(says), "{proto}: {message}");
        assert!(
            message.contains("\"220 mail.test ESMTP Postfix"),
            "{proto}: the whole greeting quoted: {message}"
        );
        assert!(hint.contains("--starttls smtp"), "{proto}: {hint}");
    }
    // Without --starttls: the banner names the protocol.
    let target = format!("localhost:{}", d.port);
    let (code, r) = run_json(&[&target]);
    assert_eq!(code, 4);
    assert_eq!(r["error"]["kind"], "not_tls");
    assert!(r["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("--starttls smtp"));
}

#[test]
fn dovecot_imap_pop3_sieve_and_lmtp() {
    let d = dovecot::start(&fixtures().good, &ca(), dovecot::Variant::Normal);
    let r = assert_upgraded(&d, "imap", d.port);
    let lines = exchange(&r);
    assert!(lines[0].1.starts_with("* OK"), "{lines:?}");
    assert_eq!(lines[1], ("client".into(), "a1 STARTTLS".into()));
    assert_upgraded(&d, "pop3", d.port_of("pop3"));
    let r = assert_upgraded(&d, "sieve", d.port_of("sieve"));
    assert!(exchange(&r).contains(&("server".into(), "\"STARTTLS\"".into())));
    let r = assert_upgraded(&d, "lmtp", d.port_of("lmtp"));
    assert!(exchange(&r).contains(&("client".into(), "LHLO localhost".into())));
    // Dovecot's LMTP greeting names no protocol: SMTP's EHLO is refused, and the hint says
    // which protocols greet that way.
    let (code, r) = probe("smtp", d.port_of("lmtp"), &[]);
    let (_, hint) = assert_preamble_failed(&r, code, d.port_of("lmtp"));
    assert!(hint.contains("--starttls lmtp"), "{hint}");
    // IMAP's greeting on the ManageSieve preamble.
    let (code, r) = probe("sieve", d.port, &[]);
    let (message, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(message.contains("this is an IMAP server"), "{message}");
    assert!(hint.contains("--starttls imap"), "{hint}");
}

#[test]
fn dovecot_with_tls_off_says_so_in_its_words() {
    let d = dovecot::start(&fixtures().good, &ca(), dovecot::Variant::NoTls);
    for (proto, port) in [
        ("imap", d.port),
        ("pop3", d.port_of("pop3")),
        ("sieve", d.port_of("sieve")),
        ("lmtp", d.port_of("lmtp")),
    ] {
        let (code, r) = probe(proto, port, &[]);
        let (message, hint) = assert_preamble_failed(&r, code, port);
        assert!(hint.contains("ssl = yes"), "{proto}: {hint}");
        assert!(
            !message.contains("\\'"),
            "{proto}: no Rust escaping: {message}"
        );
        if matches!(proto, "imap" | "pop3") {
            assert!(message.contains("TLS support isn't enabled."), "{message}");
        }
    }
}

#[test]
fn dovecot_asks_for_a_certificate_and_says_so() {
    let d = dovecot::start(
        &fixtures().good,
        &ca(),
        dovecot::Variant::ClientCertRequested,
    );
    // The handshake completes (Dovecot refuses only at login): the request is reported.
    let (code, r) = probe("imap", d.port, &[]);
    assert_eq!(code, 0, "{r:#}");
    let request = &r["protocol"]["client_certificate"];
    assert_eq!(request["sent"], false);
    assert_eq!(
        request["certificate_authorities"][0],
        "CN=tlsprobe test root"
    );
    let target = format!("localhost:{}", d.port);
    let text = run(&["--starttls", "imap", "--ca-file", &root(), &target]);
    assert!(
        text.stdout
            .contains("the server asked for a client certificate"),
        "{}",
        text.stdout
    );
}

#[test]
fn vsftpd_explicit_ftps() {
    let d = vsftpd::start(&fixtures().good, &ca(), vsftpd::Variant::Normal);
    let r = assert_upgraded(&d, "ftp", d.port);
    assert!(exchange(&r).contains(&("client".into(), "AUTH TLS".into())));
    drop(d);
    let d = vsftpd::start(&fixtures().good, &ca(), vsftpd::Variant::NoTls);
    let (code, r) = probe("ftp", d.port, &[]);
    let (_, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(hint.contains("ssl_enable=YES"), "{hint}");
}

#[test]
fn vsftpd_requiring_a_certificate_is_never_called_not_tls() {
    // Its alert and a plaintext "500 OOPS" may arrive in one read: the alert is the answer,
    // every time.
    let d = vsftpd::start(&fixtures().good, &ca(), vsftpd::Variant::RequireCert);
    for _ in 0..10 {
        let (code, r) = probe("ftp", d.port, &["--tls1.3"]);
        let message = assert_certificate_required(&r, code);
        assert!(message.contains("certificate_required"), "{message}");
        // In TLS 1.2 its alert is handshake_failure, where its Finished would be.
        let (code, r) = probe("ftp", d.port, &["--tls1.2"]);
        let message = assert_certificate_required(&r, code);
        assert!(message.contains("(alert handshake_failure)"), "{message}");
    }
}

#[test]
fn postgres_over_its_ssl_request() {
    let d = postgres::start(&fixtures().good, postgres::Variant::Normal);
    let r = assert_upgraded(&d, "postgres", d.port);
    assert_eq!(
        exchange(&r),
        [
            ("client".to_string(), "SSLRequest".to_string()),
            ("server".to_string(), "S (go ahead with TLS)".to_string())
        ]
    );
    assert!(r["starttls"]["name"].is_null());
    // Without --starttls it hangs up on the ClientHello: the hint finds out it is PostgreSQL.
    let target = format!("127.0.0.1:{}", d.port);
    let (code, r) = run_json(&[&target]);
    assert_eq!(code, 4);
    let hint = r["error"]["hint"].as_str().unwrap();
    assert!(hint.contains("--starttls postgres"), "{hint}");
    // The scan over STARTTLS sees what openssl can negotiate.
    assert!(s_client_leaf("postgres", d.port, &["-tls1_2"]).is_some());
    let (code, r) = probe("postgres", d.port, &["--scan"]);
    assert_eq!(code, 0, "{r:#}");
    let accepted: Vec<&str> = r["scan"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["accepted"] == true)
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(accepted, ["TLSv1.3", "TLSv1.2"]);
}

#[test]
fn postgres_with_ssl_off_and_tls13_only() {
    let d = postgres::start(&fixtures().good, postgres::Variant::SslOff);
    let (code, r) = probe("postgres", d.port, &[]);
    let (message, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(message.contains("answered 'N'"), "{message}");
    assert!(hint.contains("ssl = on"), "{hint}");
    assert!(!hint.contains("drop --starttls"), "{hint}");
    drop(d);
    let d = postgres::start(&fixtures().good, postgres::Variant::Tls13Only);
    assert!(s_client_leaf("postgres", d.port, &["-tls1_2"]).is_none());
    let (code, r) = probe("postgres", d.port, &["--tls1.2"]);
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["error"]["kind"], "protocol_version");
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("accepts TLSv1.3"));
}

#[test]
fn slapd_starttls_its_refusal_and_its_demand() {
    let d = slapd::start(&fixtures().good, &ca(), slapd::Variant::Normal);
    let r = assert_upgraded(&d, "ldap", d.port);
    assert_eq!(
        exchange(&r)[1].1,
        "ExtendedResponse, result code 0 (success)"
    );
    let target = format!("127.0.0.1:{}", d.port);
    let (code, r) = run_json(&[&target]);
    assert_eq!(code, 4);
    assert!(r["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("--starttls ldap"));
    drop(d);

    let d = slapd::start(&fixtures().good, &ca(), slapd::Variant::NoTls);
    let (code, r) = probe("ldap", d.port, &[]);
    let (message, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(
        message.contains("result code 2 (protocolError): \"unsupported extended operation\""),
        "{message}"
    );
    assert!(hint.contains("TLSCertificateFile"), "{hint}");
    drop(d);

    // GnuTLS hangs up without an alert; in TLS 1.3 only after the handshake completed.
    let d = slapd::start(&fixtures().good, &ca(), slapd::Variant::ClientCertRequired);
    for version in ["--tls1.3", "--tls1.2", "--tls1.3", "--tls1.2"] {
        let (code, r) = probe("ldap", d.port, &[version]);
        assert_certificate_required(&r, code);
    }
}

#[test]
fn prosody_client_and_server_streams() {
    let d = prosody::start(&fixtures().good);
    let r = assert_upgraded(&d, "xmpp", d.port);
    let lines = exchange(&r);
    assert!(lines[0].1.contains("to='localhost'"), "{lines:?}");
    assert!(lines[0].1.contains("jabber:client"));
    assert!(lines.last().unwrap().1.starts_with("<proceed"), "{lines:?}");
    let r = assert_upgraded(&d, "xmpp-server", d.port_of("s2s"));
    assert!(exchange(&r)[0].1.contains("jabber:server"));
    // An address as the domain: prosody's host-unknown, quoted whole, and the way out.
    let target = format!("127.0.0.1:{}", d.port);
    let (code, r) = run_json(&["--starttls", "xmpp", "--ca-file", &root(), &target]);
    let (message, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(
        message.contains("<host-unknown/> \"This server does not serve 127.0.0.1\""),
        "{message}"
    );
    assert!(hint.contains("--starttls-name"), "{hint}");
    let (code, r) = run_json(&[
        "--starttls",
        "xmpp",
        "--starttls-name",
        "localhost",
        "--ca-file",
        &root(),
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["starttls"]["name"], "localhost");
}

#[test]
fn mariadb_over_its_handshake() {
    let d = mariadb::start(&fixtures().good, mariadb::Variant::Normal);
    let r = assert_upgraded(&d, "mysql", d.port);
    let lines = exchange(&r);
    assert!(
        lines[0].1.contains("MariaDB") && lines[0].1.ends_with("(SSL)"),
        "{lines:?}"
    );
    assert!(lines[1].1.starts_with("SSLRequest"));
    let target = format!("127.0.0.1:{}", d.port);
    let (code, r) = run_json(&[&target]);
    assert_eq!(code, 4);
    assert_eq!(r["error"]["kind"], "not_tls");
    assert!(r["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("--starttls mysql"));
    drop(d);
    let d = mariadb::start(&fixtures().good, mariadb::Variant::NoTls);
    let (code, r) = probe("mysql", d.port, &[]);
    let (message, hint) = assert_preamble_failed(&r, code, d.port);
    assert!(message.contains("CLIENT_SSL"), "{message}");
    assert!(hint.contains("ssl_cert"), "{hint}");
}
