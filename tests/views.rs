//! The text views as a person reads them: snapshots (insta) of fixed reports built here, at 80
//! and 120 columns, with colour (escapes shown as `␛`) and without; then the binary against an
//! in-process rustls server, its times, ports and sizes normalised, to check the pieces fit.
//!
//! `cargo insta review` (or `INSTA_UPDATE=always`) accepts a changed view.

mod support;

use tlsprobe::render;
use tlsprobe::render::text::Layout;
use tlsprobe::report::*;
use tlsprobe::wire::code_points::HandshakeType;

// ---- fixed reports -------------------------------------------------------------------------

fn cert(subject: &str, issuer: &str, days_left: i64, ca: bool) -> Certificate {
    Certificate {
        subject: subject.into(),
        issuer: issuer.into(),
        serial: "0a1b2c3d4e5f".into(),
        not_before: "2026-01-01T00:00:00Z".into(),
        not_after: "2026-12-31T00:00:00Z".into(),
        days_left,
        sans: if ca {
            vec![]
        } else {
            vec!["example.com".into(), "www.example.com".into()]
        },
        key: PublicKey {
            kind: KeyType::Ec,
            bits: Some(256),
            curve: Some("P-256".into()),
        },
        signature_algorithm: "ecdsa-with-SHA256".into(),
        broken_signature_hash: false,
        sha256: "9f".repeat(32),
        pin_sha256: "n5+fn5+fn5+fn5+fn5+fn5+fn5+fn5+fn5+fn5+fn58=".into(),
        is_ca: ca,
        self_signed: subject == issuer,
        extensions: Vec::new(),
        sct_list: Vec::new(),
        values: ExtensionValues::default(),
        pem: String::new(),
    }
}

fn msg(t_ms: f64, from: Side, kind: MessageKind, length: usize, fields: MessageFields) -> Message {
    let record = match kind {
        MessageKind::Alert => RecordKind::Alert,
        MessageKind::ChangeCipherSpec => RecordKind::ChangeCipherSpec,
        _ => RecordKind::Handshake,
    };
    let encrypted = t_ms > 0.0
        && !matches!(
            kind,
            MessageKind::ChangeCipherSpec | MessageKind::Handshake(HandshakeType::SERVER_HELLO)
        );
    Message {
        t_ms,
        from,
        record,
        kind,
        length,
        encrypted,
        fields,
        record_bytes: None,
    }
}

fn hs(t: HandshakeType) -> MessageKind {
    MessageKind::Handshake(t)
}

fn client_hello() -> Message {
    let mut m = msg(
        0.0,
        Side::Client,
        hs(HandshakeType::CLIENT_HELLO),
        1459,
        MessageFields::ClientHello(ClientHelloFields {
            legacy_version: "TLSv1.2".into(),
            versions: vec!["TLSv1.3".into(), "TLSv1.2".into()],
            cipher_suites: vec![
                "TLS_AES_256_GCM_SHA384".into(),
                "TLS_AES_128_GCM_SHA256".into(),
                "TLS_CHACHA20_POLY1305_SHA256".into(),
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384".into(),
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into(),
            ],
            groups: vec!["X25519MLKEM768".into(), "X25519".into(), "secp256r1".into()],
            key_share_groups: vec!["X25519MLKEM768".into(), "X25519".into()],
            signature_algorithms: vec![
                "ecdsa_secp256r1_sha256".into(),
                "rsa_pss_rsae_sha256".into(),
                "ed25519".into(),
            ],
            alpn: vec!["h2".into(), "http/1.1".into()],
            sni: Some("example.com".into()),
            extensions: vec![
                "server_name".into(),
                "supported_groups".into(),
                "signature_algorithms".into(),
                "application_layer_protocol_negotiation".into(),
                "supported_versions".into(),
                "key_share".into(),
            ],
        }),
    );
    m.record_bytes = Some(vec![
        0x16, 0x03, 0x01, 0x05, 0xb7, 0x01, 0x00, 0x05, 0xb3, 0x03,
    ]);
    m
}

fn target() -> Target {
    Target {
        host: "example.com".into(),
        host_unicode: None,
        port: 443,
        sni: Some("example.com".into()),
        address: Some("192.0.2.10:443".into()),
        attempts: Vec::new(),
        shown: "example.com:443".into(),
    }
}

/// A TLS 1.3 handshake that went well: a leaf and an intermediate, trusted, ALPN h2.
fn success() -> Report {
    let leaf = cert(
        "CN=example.com",
        "C=US, O=Example CA, CN=Example Issuing CA 1",
        89,
        false,
    );
    let inter = cert(
        "C=US, O=Example CA, CN=Example Issuing CA 1",
        "C=US, O=Example CA, CN=Example Root CA",
        1460,
        true,
    );
    let handshake = vec![
        client_hello(),
        msg(
            2.002,
            Side::Server,
            hs(HandshakeType::SERVER_HELLO),
            118,
            MessageFields::ServerHello(ServerHelloFields {
                version: "TLSv1.3".into(),
                cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
                group: Some("X25519MLKEM768".into()),
                alpn: None,
                extensions: vec!["supported_versions".into(), "key_share".into()],
            }),
        ),
        msg(
            2.002,
            Side::Server,
            MessageKind::ChangeCipherSpec,
            1,
            MessageFields::None,
        ),
        msg(
            2.002,
            Side::Server,
            hs(HandshakeType::ENCRYPTED_EXTENSIONS),
            15,
            MessageFields::EncryptedExtensions(EncryptedExtensionsFields {
                alpn: Some("h2".into()),
                extensions: vec!["application_layer_protocol_negotiation".into()],
            }),
        ),
        msg(
            2.002,
            Side::Server,
            hs(HandshakeType::CERTIFICATE),
            1815,
            MessageFields::Certificate(CertificateFields {
                count: 2,
                subjects: vec![leaf.subject.clone(), inter.subject.clone()],
            }),
        ),
        msg(
            2.002,
            Side::Server,
            hs(HandshakeType::CERTIFICATE_VERIFY),
            75,
            MessageFields::CertificateVerify(CertificateVerifyFields {
                signature_scheme: Some("ecdsa_secp256r1_sha256".into()),
            }),
        ),
        msg(
            2.002,
            Side::Server,
            hs(HandshakeType::FINISHED),
            32,
            MessageFields::Finished(FinishedFields {
                verified: Some(true),
            }),
        ),
        msg(
            2.908,
            Side::Client,
            MessageKind::ChangeCipherSpec,
            1,
            MessageFields::None,
        ),
        msg(
            2.960,
            Side::Client,
            hs(HandshakeType::FINISHED),
            32,
            MessageFields::Finished(FinishedFields {
                verified: Some(true),
            }),
        ),
        msg(
            4.143,
            Side::Server,
            hs(HandshakeType::NEW_SESSION_TICKET),
            229,
            MessageFields::NewSessionTicket(NewSessionTicketFields {
                lifetime_s: Some(7200),
                max_early_data: None,
            }),
        ),
        msg(
            4.685,
            Side::Client,
            MessageKind::Alert,
            2,
            MessageFields::Alert(AlertFields {
                level: Some("warning".into()),
                description: Some("close_notify".into()),
            }),
        ),
    ];
    Report {
        schema_version: SCHEMA_VERSION,
        target: target(),
        proxy: None,
        status: Status::Ok,
        error: None,
        timing_ms: Timing {
            dns: Some(3.3),
            connect: Some(0.8),
            starttls: None,
            handshake: Some(3.0),
            total: 12.6,
        },
        starttls: None,
        protocol: Some(Protocol {
            version: ProtocolVersion::TLS1_3,
            cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
            key_exchange_group: Some("X25519MLKEM768".into()),
            dh_bits: None,
            signature_scheme: Some("ecdsa_secp256r1_sha256".into()),
            alpn: Some("h2".into()),
            resumed: false,
            ocsp_staple: None,
            client_certificate: None,
            first_flight_only: false,
        }),
        handshake,
        handshake_truncated: false,
        certificates: vec![leaf, inter],
        verification: Some(Verification {
            verified: true,
            trust_store: TrustStore::Mozilla,
            hostname_matches: Some(true),
            errors: vec![],
            warnings: vec![],
            path: vec![
                PathEntry {
                    subject: "CN=example.com".into(),
                    cert_index: Some(0),
                    trust_anchor: false,
                    pin_sha256: String::new(),
                },
                PathEntry {
                    subject: "C=US, O=Example CA, CN=Example Issuing CA 1".into(),
                    cert_index: Some(1),
                    trust_anchor: false,
                    pin_sha256: String::new(),
                },
                PathEntry {
                    subject: "C=US, O=Example CA, CN=Example Root CA".into(),
                    cert_index: None,
                    trust_anchor: true,
                    pin_sha256: String::new(),
                },
            ],
        }),
        checks: vec![],
        application: None,
        reconnect: None,
        scan: None,
    }
}

/// The same handshake, but the leaf expired 12 days ago, and an intermediate is served twice.
fn verify_failed() -> Report {
    let mut r = success();
    r.status = Status::VerifyFailed;
    // 12 days and some hours ago: days_left rounds down.
    r.certificates[0].days_left = -13;
    let v = r.verification.as_mut().expect("verification");
    v.verified = false;
    v.errors = vec![Finding {
        code: VerifyCode::Expired,
        cert_index: Some(0),
        message:
            "the leaf certificate (CN=example.com) expired on 2026-12-31T00:00:00Z (12 days ago)"
                .into(),
        hint: Some(
            "the operator of example.com must renew the certificate and install the new one; \
             clients refuse it until then"
                .into(),
        ),
    }];
    v.warnings = vec![Finding {
        code: WarningCode::ExtraCertificates,
        cert_index: None,
        message: "the server sent a certificate that is not on the path: drop it from the chain \
                  file to save a round of bytes"
            .into(),
        hint: None,
    }];
    r
}

/// A TLS 1.2-only server that answers the ClientHello with a fatal alert.
fn handshake_failed() -> Report {
    let mut r = success();
    r.status = Status::HandshakeFailed;
    r.error = Some(ProbeError {
        phase: Phase::Handshake,
        kind: ErrorKind::ProtocolVersion,
        message: "the server sent a fatal alert, protocol_version, in answer to our ClientHello"
            .into(),
        alert: Some("protocol_version".into()),
        hint: Some(
            "the server accepts none of the offered versions; it may accept only TLS 1.0/1.1, \
             which current clients refuse"
                .into(),
        ),
    });
    r.timing_ms = Timing {
        dns: Some(0.3),
        connect: Some(0.1),
        starttls: None,
        handshake: Some(0.1),
        total: 2.6,
    };
    r.protocol = None;
    r.certificates = vec![];
    r.verification = None;
    r.handshake = vec![
        client_hello(),
        msg(
            0.057,
            Side::Server,
            MessageKind::Alert,
            2,
            MessageFields::Alert(AlertFields {
                level: Some("fatal".into()),
                description: Some("protocol_version".into()),
            }),
        ),
    ];
    r.handshake[1].encrypted = false;
    r
}

/// Nothing listening.
fn connect_failed(shown: &str) -> Report {
    let mut r = handshake_failed();
    r.target.shown = shown.into();
    r.target.address = None;
    r.status = Status::ConnectFailed;
    r.error = Some(ProbeError {
        phase: Phase::Connect,
        kind: ErrorKind::ConnectionRefused,
        message: "connection refused by 192.0.2.20:443: nothing listens on that port".into(),
        alert: None,
        hint: Some("check the port, and that the service is running".into()),
    });
    r.handshake = vec![];
    r
}

/// Several targets, one line each.
fn several() -> Vec<Report> {
    let mut expiring = success();
    expiring.target.shown = "soon.example.net:8443".into();
    expiring.certificates[0].days_left = 9;
    expiring
        .verification
        .as_mut()
        .expect("verification")
        .warnings = vec![Finding {
        code: WarningCode::ExpiresSoon,
        cert_index: Some(0),
        message: "the leaf certificate expires in 9 days".into(),
        hint: None,
    }];
    let mut tls12 = success();
    tls12.target.shown = "legacy.example.org:443".into();
    let p = tls12.protocol.as_mut().expect("protocol");
    p.version = ProtocolVersion::TLS1_2;
    p.cipher_suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into();
    let mut failed = handshake_failed();
    failed.target.shown = "old.example.org:443".into();
    vec![
        success(),
        expiring,
        tls12,
        verify_failed(),
        failed,
        connect_failed("closed.example.com:443"),
    ]
}

// ---- rendering -----------------------------------------------------------------------------

/// Colour escapes shown as `␛`, so a snapshot shows where colour goes and stays readable.
fn visible(bytes: &[u8], colour: bool) -> String {
    if colour {
        String::from_utf8(bytes.to_vec())
            .expect("UTF-8")
            .replace('\u{1b}', "␛")
    } else {
        String::from_utf8(anstream::adapter::strip_bytes(bytes).into_vec()).expect("UTF-8")
    }
}

fn text(r: &Report, verbose: u8, width: usize, ladder: bool, colour: bool) -> String {
    let mut out = Vec::new();
    let layout = Layout {
        verbose,
        width,
        ladder,
    };
    render::text::write(&mut out, r, &layout).expect("render");
    visible(&out, colour)
}

fn lines(reports: &[Report], width: usize, colour: bool) -> String {
    let mut out = Vec::new();
    for r in reports {
        render::summary_line::write(&mut out, r, width).expect("render");
    }
    visible(&out, colour)
}

fn mermaid(r: &Report) -> String {
    let mut out = Vec::new();
    render::mermaid::write(&mut out, r).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

/// Columns of the widest line (one column a character: the views draw no wide characters).
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Snapshot a view at 80 and 120 columns without colour, and at 80 with; every line within
/// the width.
fn snapshot_widths(name: &str, view: impl Fn(usize, bool) -> String) {
    for width in [80, 120] {
        let plain = view(width, false);
        assert!(widest(&plain) <= width, "{name} at {width}:\n{plain}");
        insta::assert_snapshot!(format!("{name}_{width}"), plain);
    }
    insta::assert_snapshot!(format!("{name}_80_colour"), view(80, true));
}

// ---- the views -----------------------------------------------------------------------------

#[test]
fn success_default_is_short_with_the_verdict_on_top() {
    snapshot_widths("success", |w, c| text(&success(), 0, w, false, c));
    let plain = text(&success(), 0, 120, false, false);
    // The summary, a line a certificate, a line a message: it fits a 120x40 terminal whole.
    assert!(plain.lines().count() <= 24, "{plain}");
    let head: Vec<&str> = plain.lines().take(4).collect();
    assert!(
        head[0].starts_with("example.com:443 (192.0.2.10:443)"),
        "{plain}"
    );
    assert!(
        head[1].contains("TLSv1.3") && head[1].contains("ALPN h2"),
        "{plain}"
    );
    assert!(
        head[2].contains("✓ trusted by the Mozilla root store"),
        "{plain}"
    );
}

#[test]
fn verbose_adds_key_fields_and_the_full_chain() {
    snapshot_widths("success_v", |w, c| text(&success(), 1, w, false, c));
    let v = text(&success(), 1, 80, false, false);
    for offered in ["TLS_CHACHA20_POLY1305_SHA256", "secp256r1", "h2, http/1.1"] {
        assert!(v.contains(offered), "{offered}: {v}");
    }
    assert!(
        v.contains("sha256    9f9f") && v.contains("Path (as verified)"),
        "{v}"
    );
}

#[test]
fn very_verbose_names_every_field_and_extension_then_the_bytes() {
    snapshot_widths("success_vv", |w, c| text(&success(), 2, w, false, c));
    let vv = text(&success(), 2, 120, false, false);
    for field in [
        "legacy version",
        "rsa_pss_rsae_sha256",
        "application_layer_protocol_negotiation",
        "supported_versions, key_share",
        "lifetime       7200 s",
        "verify_data    checked",
        "0000  16 03 01 05 b7",
    ] {
        assert!(vv.contains(field), "{field}: {vv}");
    }
}

#[test]
fn a_verification_failure_is_labelled_with_its_hint_wrapped_at_words() {
    snapshot_widths("verify_failed", |w, c| {
        text(&verify_failed(), 0, w, false, c)
    });
    let r = verify_failed();
    let hint = r.verification.as_ref().unwrap().errors[0]
        .hint
        .clone()
        .unwrap();
    for width in [80, 120] {
        let plain = text(&r, 0, width, false, false);
        assert!(
            plain.contains("    error: expired: the leaf certificate"),
            "{plain}"
        );
        assert!(
            plain.contains("    warning: extra_certificates: the server"),
            "{plain}"
        );
        assert!(plain.contains("    hint: the operator"), "{plain}");
        // Never a word cut in two: each of the hint's words whole on some line.
        for word in hint.split(' ') {
            assert!(
                plain.lines().any(|l| l.split(' ').any(|w| w == word)),
                "{word:?} broken at {width}:\n{plain}"
            );
        }
    }
}

#[test]
fn a_handshake_failure_says_error_and_hint() {
    snapshot_widths("handshake_failed", |w, c| {
        text(&handshake_failed(), 0, w, false, c)
    });
    let plain = text(&handshake_failed(), 0, 80, false, false);
    assert!(
        plain.contains("✗ handshake failed\n    error: the server sent"),
        "{plain}"
    );
    assert!(
        plain.contains("← Alert                   2 B  fatal protocol_version"),
        "{plain}"
    );
}

/// The handshake went well, but `--policy mozilla-modern` (and `--min-days 30`) were asked.
fn checks_failed() -> Report {
    let mut r = success();
    r.status = Status::ChecksFailed;
    let check = |check, rule, passed, message: &str| Check {
        check,
        rule,
        passed,
        message: message.into(),
    };
    r.checks = vec![
        check(
            CheckCode::MinDays,
            None,
            true,
            "every certificate has at least 30 days left (the leaf: 200)",
        ),
        check(
            CheckCode::Policy,
            Some(PolicyRule::Versions),
            false,
            "mozilla-modern allows TLSv1.3; the server also accepts TLSv1.2",
        ),
        check(
            CheckCode::Policy,
            Some(PolicyRule::CipherSuites),
            false,
            "mozilla-modern allows no suite of TLS 1.2 and earlier and 3 suites of TLS 1.3; the \
             server also accepts TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
             TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ),
        check(
            CheckCode::Policy,
            Some(PolicyRule::Groups),
            true,
            "mozilla-modern allows X25519, secp256r1, secp384r1; the server accepts X25519, secp256r1",
        ),
    ];
    r
}

#[test]
fn each_policy_rule_is_a_check_named_with_its_rule() {
    snapshot_widths("checks_failed", |w, c| {
        text(&checks_failed(), 0, w, false, c)
    });
    let plain = text(&checks_failed(), 0, 120, false, false);
    for line in [
        "✓ min_days: every certificate",
        "✗ CHECK FAILED, policy versions: mozilla-modern allows TLSv1.3; the server also accepts TLSv1.2",
        "✗ CHECK FAILED, policy cipher_suites: mozilla-modern allows",
        "✓ policy groups: mozilla-modern allows",
    ] {
        assert!(plain.contains(line), "{line}:\n{plain}");
    }
    let one = lines(&[checks_failed()], 160, false);
    assert!(
        one.contains("error: mozilla-modern allows TLSv1.3; the server also accepts TLSv1.2"),
        "{one}"
    );
}

#[test]
fn several_targets_are_one_line_each() {
    snapshot_widths("several", |w, c| lines(&several(), w, c));
    let plain = lines(&several(), 160, false);
    assert_eq!(plain.lines().count(), several().len());
    assert!(plain
        .lines()
        .all(|l| l.starts_with("✓ ") || l.starts_with("✗ ")));
    assert!(
        plain.contains("warning: expires_soon: the leaf certificate expires in 9 days"),
        "{plain}"
    );
}

#[test]
fn ladder_draws_arrows_between_client_and_server() {
    snapshot_widths("ladder", |w, c| text(&success(), 0, w, true, c));
    snapshot_widths("ladder_failed", |w, c| {
        text(&handshake_failed(), 0, w, true, c)
    });
    let plain = text(&success(), 0, 80, true, false);
    let arrows: Vec<&str> = plain.lines().filter(|l| l.contains('│')).collect();
    assert_eq!(arrows.len(), success().handshake.len(), "{plain}");
    for (line, m) in arrows.iter().zip(&success().handshake) {
        let (towards_server, shaft) = (line.ends_with("▶│"), if m.encrypted { '═' } else { '─' });
        assert_eq!(towards_server, m.from == Side::Client, "{line}");
        assert!(line.contains(shaft), "{line}");
    }
}

/// `text` without the entities Mermaid reads (`#59;` for `;`...): what is left must hold no
/// `;` or `#` of its own.
fn bare(text: &str) -> String {
    ["#59;", "#35;", "#lt;", "#gt;", "#37;", "#58;"]
        .iter()
        .fold(text.to_string(), |t, e| t.replace(e, ""))
}

/// Every line of a diagram is one Mermaid knows in a sequenceDiagram, and the two
/// participants are declared before any message uses them.
fn assert_sequence_diagram(diagram: &str) {
    let mut lines = diagram.lines();
    assert_eq!(lines.next(), Some("sequenceDiagram"), "{diagram}");
    let mut declared = Vec::new();
    for line in lines {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("participant ") {
            let (id, alias) = rest.split_once(" as ").expect("participant ID as alias");
            let alias = bare(alias);
            assert!(!alias.contains([':', ';', '#']), "{line}");
            declared.push(id.to_string());
            continue;
        }
        if let Some(note) = line.strip_prefix("Note over ") {
            let (who, text) = note.split_once(": ").expect("Note over A,B: text");
            assert!(
                who.split(',').all(|p| declared.iter().any(|d| d == p)),
                "{line}"
            );
            assert!(!bare(text).contains([';', '#']), "{line}");
            continue;
        }
        let (arrow_part, text) = line.split_once(": ").expect("A->>B: text");
        let arrow = ["-->>", "->>", "--x", "-x"]
            .into_iter()
            .find(|a| arrow_part.contains(a))
            .unwrap_or_else(|| panic!("no arrow in {line}"));
        let (from, to) = arrow_part.split_once(arrow).expect("two ends");
        assert!(declared.iter().any(|d| d == from), "{line}");
        assert!(declared.iter().any(|d| d == to), "{line}");
        assert!(
            !text.is_empty() && !bare(text).contains([';', '#']),
            "{line}"
        );
    }
    assert_eq!(declared, ["C", "S"], "{diagram}");
}

#[test]
fn mermaid_is_a_sequence_diagram() {
    let ok = mermaid(&success());
    assert_sequence_diagram(&ok);
    insta::assert_snapshot!("mermaid", ok);
    let failed = mermaid(&handshake_failed());
    assert_sequence_diagram(&failed);
    insta::assert_snapshot!("mermaid_failed", failed);
    // Encrypted messages dashed, the fatal alert a cross.
    assert!(ok.contains("S-->>C: Certificate, 1815 B"), "{ok}");
    assert!(ok.contains("S->>C: ServerHello, 118 B"), "{ok}");
    assert!(
        failed.contains("S-xC: Alert fatal protocol_version"),
        "{failed}"
    );
    // A name that tries to end the line or open markup stays one line of text.
    let mut hostile = success();
    hostile.target.shown = "evil;host#<b>:443".into();
    let diagram = mermaid(&hostile);
    assert_sequence_diagram(&diagram);
    assert!(
        diagram.contains("evil#59;host#35;#lt;b#gt;#58;443"),
        "{diagram}"
    );
}

// ---- through the binary ------------------------------------------------------------------

use support::fixtures::fixtures;
use support::rustls_server::Setup;

/// What varies from run to run: times, the server's port, sizes that follow from signatures
/// and keys made for this run, days left.
fn normalised(port: u16) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(&format!(":{port}\\b"), ":PORT");
    s.add_filter(r" *\d+\.\d+ ms", " T ms");
    s.add_filter(r" *\d+ B\b", " N B");
    s.add_filter(r"\d+ days left", "N days left");
    s.add_filter(r"\b\d+d\b", "Nd");
    // A TLS 1.3 server sends its tickets as the client closes: in either order.
    s.add_filter(r"(?m)^.*(NewSessionTicket|Alert).*\n", "");
    s
}

#[test]
fn through_the_binary_the_pieces_fit() {
    let server = Setup::new(&fixtures().good).alpn(&["h2"]).start();
    let port = server.port();
    let target = format!("localhost:{port}");
    let root = support::root();
    let run = |columns: &str, args: &[&str]| {
        let out = support::tlsprobe()
            .env("COLUMNS", columns)
            .args(args)
            .output()
            .expect("run tlsprobe");
        assert!(out.status.code().is_some(), "{out:?}");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let settings = normalised(port);
    settings.bind(|| {
        for columns in ["80", "120"] {
            let (code, default) = run(columns, &["--alpn", "h2", "--ca-file", &root, &target]);
            assert_eq!(code, 0, "{default}");
            assert!(widest(&default) <= columns.parse().unwrap(), "{default}");
            insta::assert_snapshot!(format!("binary_default_{columns}"), default);

            let (code, ladder) = run(columns, &["--ladder", "--ca-file", &root, &target]);
            assert_eq!(code, 0, "{ladder}");
            insta::assert_snapshot!(format!("binary_ladder_{columns}"), ladder);
        }
        // Two targets: a line each, the closed port's error cut to the width.
        let closed = format!("127.0.0.1:{}", support::closed_port());
        let (code, table) = run("80", &["--ca-file", &root, &target, &closed]);
        assert_eq!(code, 3, "{table}");
        let rows: Vec<&str> = table.lines().collect();
        assert_eq!(rows.len(), 2, "{table}");
        assert!(rows[0].starts_with(&format!("✓ {target}")), "{table}");
        assert!(
            rows[0].contains(" ok ") && rows[0].contains("TLSv1.3"),
            "{table}"
        );
        assert!(rows[1].starts_with("✗ 127.0.0.1:") && rows[1].contains("connect_failed"));
        assert!(rows[1].contains("error: "), "{table}");
        assert!(widest(&table) <= 80, "{table}");

        let (code, colour) = run("80", &["--color", "always", "--ca-file", &root, &target]);
        assert_eq!(code, 0);
        assert!(colour.contains("\u{1b}[32m") || colour.contains("\u{1b}[1m\u{1b}[32m"));

        let (code, diagram) = run("80", &["--format", "mermaid", "--ca-file", &root, &target]);
        assert_eq!(code, 0, "{diagram}");
        assert_sequence_diagram(&diagram);
        assert!(diagram.contains("C->>S: ClientHello"), "{diagram}");
        assert!(
            diagram.contains("Note over C,S: ok: trusted by --ca-file"),
            "{diagram}"
        );
    });
}

#[test]
fn through_the_binary_every_verification_error_has_its_hint() {
    let server = Setup::new(&fixtures().expired).start();
    let target = format!("localhost:{}", server.port());
    let r = support::run(&["--ca-file", &support::root(), &target]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let errors: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("    error: "))
        .collect();
    assert!(!errors.is_empty(), "{}", r.stdout);
    assert!(
        lines[errors[0]].contains("error: expired: "),
        "{}",
        r.stdout
    );
    for i in errors {
        // The error's continuation lines, then its hint.
        let hint = lines[i + 1..]
            .iter()
            .find(|l| !l.starts_with("      "))
            .unwrap_or_else(|| panic!("nothing after {}", lines[i]));
        assert!(hint.starts_with("    hint: "), "{}", r.stdout);
    }
    assert!(widest(&r.stdout) <= 80, "{}", r.stdout);
}

#[test]
fn format_json_is_json_and_contradictions_are_usage_errors() {
    let server = Setup::new(&fixtures().good).start();
    let target = format!("localhost:{}", server.port());
    let root = support::root();
    let (code, r) = support::run_json(&["--ca-file", &root, &target]);
    assert_eq!((code, &r["status"]), (0, &"ok".into()));
    let via_format = support::run(&["--format", "json", "--ca-file", &root, &target]);
    let v: serde_json::Value = serde_json::from_str(via_format.stdout.trim()).expect("JSON");
    assert_eq!(v["status"], "ok");
    for args in [
        &["--json", "--format", "mermaid", "x.test"][..],
        &["--ladder", "--json", "x.test"],
        &["--ladder", "--format", "mermaid", "x.test"],
        &["--format", "mermaid", "cert", "x.pem"],
    ] {
        support::usage_error(args);
    }
}

#[test]
fn the_header_names_the_proxy_and_where_it_was_named() {
    let mut r = success();
    r.proxy = Some(ProxyUsed {
        url: "socks5h://127.0.0.1:1080".into(),
        source: "HTTPS_PROXY".into(),
    });
    let head = text(&r, 0, 120, false, false);
    let first = head.lines().next().unwrap_or_default();
    assert!(
        first.contains(" via socks5h://127.0.0.1:1080 (from HTTPS_PROXY), SNI"),
        "{first}"
    );
    if let Some(p) = r.proxy.as_mut() {
        p.source = "option".into();
    }
    let head = text(&r, 0, 120, false, false);
    let first = head.lines().next().unwrap_or_default();
    assert!(
        first.contains(" via socks5h://127.0.0.1:1080, SNI"),
        "{first}"
    );
    assert!(!first.contains("(from"), "{first}");
    r.proxy = None;
    assert!(!text(&r, 0, 120, false, false).contains(" via "));
}
