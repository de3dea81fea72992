//! The JSON Schema itself: it accepts every report the types can produce, and rejects what the
//! contract forbids (a missing field, an unknown or renamed one, a value outside an enum).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use serde_json::{json, Value};
use tlsprobe::report::*;
use tlsprobe::wire::code_points::HandshakeType;

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    let text = std::fs::read_to_string(&path).expect("read schema/report.schema.json");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles as draft 2020-12")
}

/// Every reason `instance` is rejected, one line each; empty when it is valid.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(report: &Report) {
    let v = serde_json::to_value(report).expect("a report serialises");
    let errs = errors(&validator(), &v);
    assert!(errs.is_empty(), "{:#}\n{}", v, errs.join("\n"));
}

fn message(t_ms: f64, from: Side, kind: &str, length: usize, fields: MessageFields) -> Message {
    Message {
        t_ms,
        from,
        record: if kind == "Alert" {
            RecordKind::Alert
        } else {
            RecordKind::Handshake
        },
        kind: match kind {
            "Alert" => MessageKind::Alert,
            name => (0..=u8::MAX)
                .map(HandshakeType)
                .find(|t| t.to_string() == name)
                .expect("a handshake type's name")
                .into(),
        },
        length,
        encrypted: from == Side::Server && !matches!(kind, "ServerHello" | "Alert"),
        fields,
        record_bytes: None,
    }
}

/// A leaf certificate described by the real code, so the schema sees real output.
fn leaf() -> Certificate {
    let mut params =
        rcgen::CertificateParams::new(vec!["example.com".to_string(), "192.0.2.1".to_string()])
            .expect("params");
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "example.com");
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = params.self_signed(&key).expect("certificate");
    tlsprobe::cert::describe(cert.der(), SystemTime::now())
}

fn finding<C>(code: C, cert_index: Option<usize>) -> Finding<C> {
    Finding {
        code,
        cert_index,
        message: "explained".into(),
        hint: Some("do this".into()),
    }
}

/// A completed TLS 1.3 handshake with everything filled in.
fn ok_report() -> Report {
    let client_hello = ClientHelloFields {
        legacy_version: "TLSv1.2".into(),
        versions: vec!["TLSv1.3".into(), "TLSv1.2".into()],
        cipher_suites: vec!["TLS_AES_128_GCM_SHA256".into()],
        groups: vec!["X25519MLKEM768".into(), "X25519".into()],
        key_share_groups: vec!["X25519MLKEM768".into(), "X25519".into()],
        signature_algorithms: vec!["ecdsa_secp256r1_sha256".into()],
        alpn: vec!["h2".into()],
        sni: Some("example.com".into()),
        extensions: vec!["server_name".into()],
    };
    let server_hello = ServerHelloFields {
        version: "TLSv1.3".into(),
        cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
        group: Some("X25519MLKEM768".into()),
        alpn: None,
        extensions: vec!["key_share".into(), "supported_versions".into()],
    };
    let certificate = leaf();
    let handshake = vec![
        message(
            0.0,
            Side::Client,
            "ClientHello",
            1500,
            MessageFields::ClientHello(client_hello),
        ),
        message(
            3.5,
            Side::Server,
            "ServerHello",
            1200,
            MessageFields::ServerHello(server_hello),
        ),
        message(
            3.6,
            Side::Server,
            "EncryptedExtensions",
            10,
            MessageFields::EncryptedExtensions(EncryptedExtensionsFields {
                alpn: Some("h2".into()),
                extensions: vec!["application_layer_protocol_negotiation".into()],
            }),
        ),
        message(
            3.6,
            Side::Server,
            "Certificate",
            900,
            MessageFields::Certificate(CertificateFields {
                count: 1,
                subjects: vec![certificate.subject.clone()],
            }),
        ),
        message(
            3.7,
            Side::Server,
            "CertificateVerify",
            75,
            MessageFields::CertificateVerify(CertificateVerifyFields {
                signature_scheme: Some("ecdsa_secp256r1_sha256".into()),
            }),
        ),
        message(
            3.7,
            Side::Server,
            "Finished",
            32,
            MessageFields::Finished(FinishedFields { verified: None }),
        ),
        message(
            4.0,
            Side::Client,
            "Finished",
            32,
            MessageFields::Finished(FinishedFields {
                verified: Some(true),
            }),
        ),
        message(
            5.0,
            Side::Server,
            "NewSessionTicket",
            200,
            MessageFields::NewSessionTicket(NewSessionTicketFields {
                lifetime_s: Some(7200),
                max_early_data: None,
            }),
        ),
        message(5.1, Side::Server, "ServerHelloDone", 0, MessageFields::None),
    ];
    let unparseable = tlsprobe::cert::describe(b"not a certificate", SystemTime::now());
    Report {
        schema_version: SCHEMA_VERSION,
        target: Target {
            host: "example.com".into(),
            host_unicode: None,
            port: 443,
            sni: Some("example.com".into()),
            address: Some("192.0.2.1:443".into()),
            attempts: Vec::new(),
            shown: "example.com:443".into(),
        },
        proxy: Some(ProxyUsed {
            url: "socks5h://127.0.0.1:1080".into(),
            source: "HTTPS_PROXY".into(),
        }),
        status: Status::VerifyFailed,
        error: None,
        timing_ms: Timing {
            dns: Some(1.5),
            connect: Some(2.0),
            starttls: None,
            handshake: Some(3.25),
            total: 7.0,
        },
        starttls: Some(Starttls {
            protocol: tlsprobe::net::starttls::Protocol::Smtp,
            name: Some("example.com".into()),
            exchange: vec![
                PreambleLine {
                    t_ms: 0.4,
                    from: Side::Server,
                    text: "220 mx.example.com ESMTP".into(),
                },
                PreambleLine {
                    t_ms: 0.5,
                    from: Side::Client,
                    text: "EHLO example.com".into(),
                },
            ],
            truncated: false,
        }),
        protocol: Some(Protocol {
            version: ProtocolVersion::TLS1_3,
            cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
            key_exchange_group: Some("X25519MLKEM768".into()),
            dh_bits: None,
            signature_scheme: Some("ecdsa_secp256r1_sha256".into()),
            alpn: Some("h2".into()),
            resumed: false,
            ocsp_staple: Some(OcspStaple {
                status: OcspStatus::Good,
                this_update: Some("2026-11-22T00:00:00Z".into()),
                next_update: None,
                responder: Some("CN=OCSP".into()),
            }),
            client_certificate: Some(ClientCertificateRequest {
                certificate_authorities: vec!["CN=Client CA".into()],
                sent: false,
            }),
            first_flight_only: false,
        }),
        handshake,
        handshake_truncated: true,
        certificates: vec![certificate.clone(), unparseable],
        verification: Some(Verification {
            verified: false,
            trust_store: TrustStore::Mozilla,
            hostname_matches: Some(true),
            errors: vec![finding(VerifyCode::SelfSigned, Some(0))],
            warnings: vec![
                finding(WarningCode::ExpiresSoon, Some(0)),
                finding(WarningCode::ExtraCertificates, None),
            ],
            path: vec![PathEntry {
                subject: certificate.subject,
                cert_index: Some(0),
                trust_anchor: false,
                pin_sha256: String::new(),
            }],
        }),
        checks: vec![
            Check {
                check: CheckCode::MinDays,
                rule: None,
                passed: true,
                message: "the leaf expires in 365 days".into(),
            },
            Check {
                check: CheckCode::Policy,
                rule: Some(PolicyRule::Versions),
                passed: false,
                message:
                    "mozilla-intermediate allows TLSv1.2, TLSv1.3; the server also accepts TLSv1.0"
                        .into(),
            },
        ],
        application: Some(Application {
            sent: true,
            note: None,
            sent_bytes: 40,
            received_bytes: 512,
            response: Some("HTTP/1.1 200 OK".into()),
            http: Some(HttpAnswer {
                status: 200,
                status_line: "HTTP/1.1 200 OK".into(),
                security_headers: BTreeMap::from([(
                    "strict-transport-security".to_string(),
                    "max-age=63072000".to_string(),
                )]),
                missing_security_headers: vec!["content-security-policy".into()],
            }),
        }),
        reconnect: Some(Reconnect {
            resumed: true,
            mechanism: Some(Resumption::Ticket),
            version: Some(ProtocolVersion::TLS1_3),
            handshake_ms: Some(1.0),
            total_ms: 2.0,
            error: None,
            handshake: Vec::new(),
        }),
        scan: None,
    }
}

/// A target that refused the connection: almost everything null or empty.
fn connect_failed() -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        target: Target {
            host: "example.com".into(),
            host_unicode: None,
            port: 443,
            sni: None,
            address: None,
            attempts: Vec::new(),
            shown: "example.com:443".into(),
        },
        proxy: None,
        status: Status::ConnectFailed,
        error: Some(ProbeError {
            phase: Phase::Connect,
            kind: ErrorKind::ConnectionRefused,
            message: "connection refused".into(),
            alert: None,
            hint: None,
        }),
        timing_ms: Timing {
            dns: Some(1.0),
            total: 2.0,
            ..Timing::default()
        },
        starttls: None,
        protocol: None,
        handshake: vec![],
        handshake_truncated: false,
        certificates: vec![],
        verification: None,
        checks: vec![],
        application: None,
        reconnect: None,
        scan: None,
    }
}

/// A server that answered the ClientHello with an alert.
fn handshake_failed() -> Report {
    let mut r = connect_failed();
    r.status = Status::HandshakeFailed;
    r.target.address = Some("[2001:db8::1]:443".into());
    r.error = Some(ProbeError {
        phase: Phase::Handshake,
        kind: ErrorKind::Alert,
        message: "the server sent a fatal handshake_failure alert".into(),
        alert: Some("handshake_failure".into()),
        hint: Some("the server accepts none of the offered suites".into()),
    });
    r.handshake = vec![
        message(0.0, Side::Client, "ClientHello", 300, MessageFields::None),
        message(
            1.0,
            Side::Server,
            "Alert",
            2,
            MessageFields::Alert(AlertFields {
                level: Some("fatal".into()),
                description: Some("handshake_failure".into()),
            }),
        ),
    ];
    r
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(jsonschema::draft202012::meta::is_valid(&schema));
}

#[test]
fn reports_of_every_outcome_are_valid() {
    assert_valid(&ok_report());
    assert_valid(&connect_failed());
    assert_valid(&handshake_failed());
}

#[test]
fn absent_values_are_null_not_missing() {
    let v = serde_json::to_value(connect_failed()).unwrap();
    for key in [
        "error",
        "protocol",
        "verification",
        "timing_ms",
        "application",
        "reconnect",
        "starttls",
    ] {
        assert!(v.get(key).is_some(), "{key} present even when null");
    }
    assert!(v["protocol"].is_null() && v["verification"].is_null());
    assert!(v["timing_ms"]["connect"].is_null());
    assert!(v["target"]["address"].is_null());
}

#[test]
fn a_cert_file_line_is_valid_against_its_definition() {
    let schema = schema();
    let wrapper = json!({"$ref": "#/$defs/cert_file", "$defs": schema["$defs"]});
    let validator = jsonschema::draft202012::new(&wrapper).unwrap();
    let file = CertFile {
        schema_version: SCHEMA_VERSION,
        file: "chain.pem".into(),
        certificates: vec![leaf()],
        findings: vec![Finding {
            code: VerifyCode::WeakKey,
            cert_index: Some(0),
            message: "certificate 0 (CN=x) has a 1024-bit RSA key".into(),
            hint: Some("reissue it".into()),
        }],
        checks: Vec::new(),
        error: None,
    };
    let v = serde_json::to_value(file).unwrap();
    assert_eq!(errors(&validator, &v), Vec::<String>::new());
    // Only the weak-algorithm codes belong there.
    let other = with(v, "/findings/0/code", json!("expired"));
    assert!(!errors(&validator, &other).is_empty());
}

#[test]
fn every_extension_value_of_a_certificate_is_in_the_schema() {
    let schema = schema();
    let wrapper = json!({"$ref": "#/$defs/certificate", "$defs": schema["$defs"]});
    let validator = jsonschema::draft202012::new(&wrapper).unwrap();
    let mut c = leaf();
    c.values = ExtensionValues {
        key_usage: Some(KeyUsageBit::ALL.to_vec()),
        extended_key_usage: Some(vec![
            KeyPurpose::ServerAuth,
            KeyPurpose::Other("1.2.3".into()),
        ]),
        basic_constraints: Some(BasicConstraints {
            ca: true,
            path_len: Some(0),
        }),
        authority_info_access: Some(AuthorityInfoAccess {
            ocsp: vec!["http://ocsp.example/".into()],
            ca_issuers: vec![],
            other: vec![],
        }),
        crl_distribution_points: Some(vec!["http://crl.example/".into()]),
        subject_key_id: Some("00ff".into()),
        authority_key_id: None,
        certificate_policies: Some(vec![Policy {
            oid: "2.23.140.1.2.1".into(),
            cps: vec!["https://cps.example/".into()],
        }]),
        scts: Some(Scts {
            count: 1,
            log_ids: vec![data_encoding::BASE64.encode(&[7; 32])],
        }),
        name_constraints: Some(NameConstraints {
            permitted: vec!["example.com".into(), "10.0.0.0/8".into()],
            excluded: vec![],
        }),
    };
    c.extensions.push(Extension {
        oid: "1.2.3.4".into(),
        name: None,
        critical: true,
        malformed: false,
    });
    c.serial = "-04316693ed".into();
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(errors(&validator, &v), Vec::<String>::new());
    assert!(v["pin_sha256"].as_str().is_some_and(|p| p.len() == 44));
    let bad = with(v, "/key_usage/0", json!("signing"));
    assert!(!errors(&validator, &bad).is_empty());
}

/// Remove `field` from the object at `pointer`.
fn without(mut v: Value, pointer: &str, field: &str) -> Value {
    let object = v
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {pointer}"));
    assert!(object.remove(field).is_some(), "no {field} at {pointer}");
    v
}

/// Set the value at `pointer` (adding the last key when it is new).
fn with(mut v: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer with a key");
    let target = v
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("nothing at {parent}"));
    match target {
        Value::Object(o) => {
            o.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().expect("an index")] = value,
        _ => panic!("{parent} holds neither an object nor an array"),
    }
    v
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let validator = validator();
    let ok = serde_json::to_value(ok_report()).unwrap();
    let failed = serde_json::to_value(handshake_failed()).unwrap();
    assert!(validator.is_valid(&ok) && validator.is_valid(&failed));

    let broken: Vec<(&str, Value)> = vec![
        // A field missing, anywhere.
        (
            "missing top-level field",
            without(ok.clone(), "", "protocol"),
        ),
        (
            "missing target field",
            without(ok.clone(), "/target", "sni"),
        ),
        (
            "missing timing",
            without(ok.clone(), "/timing_ms", "starttls"),
        ),
        (
            "missing certificate field",
            without(ok.clone(), "/certificates/0", "sha256"),
        ),
        (
            "missing key field",
            without(ok.clone(), "/certificates/0/key", "curve"),
        ),
        (
            "missing verification field",
            without(ok.clone(), "/verification", "warnings"),
        ),
        (
            "missing finding field",
            without(ok.clone(), "/verification/errors/0", "cert_index"),
        ),
        (
            "missing message field",
            without(ok.clone(), "/handshake/0", "encrypted"),
        ),
        (
            "missing error field",
            without(failed.clone(), "/error", "alert"),
        ),
        // A value outside its enum.
        ("status", with(ok.clone(), "/status", json!("fine"))),
        (
            "missing check rule",
            without(ok.clone(), "/checks/1", "rule"),
        ),
        (
            "policy rule",
            with(ok.clone(), "/checks/1/rule", json!("tls_versions")),
        ),
        (
            "a policy check without its rule",
            with(ok.clone(), "/checks/1/rule", Value::Null),
        ),
        (
            "a min_days check with a rule",
            with(ok.clone(), "/checks/0/rule", json!("versions")),
        ),
        (
            "error kind",
            with(failed.clone(), "/error/kind", json!("refused")),
        ),
        (
            "error phase",
            with(failed.clone(), "/error/phase", json!("tls")),
        ),
        (
            "verification code",
            with(
                ok.clone(),
                "/verification/errors/0/code",
                json!("expired_cert"),
            ),
        ),
        (
            "warning code",
            with(
                ok.clone(),
                "/verification/warnings/0/code",
                json!("expiring"),
            ),
        ),
        (
            "trust store",
            with(ok.clone(), "/verification/trust_store", json!("webpki")),
        ),
        (
            "message from",
            with(ok.clone(), "/handshake/0/from", json!("browser")),
        ),
        (
            "message record",
            with(ok.clone(), "/handshake/0/record", json!("tls")),
        ),
        (
            "ocsp status",
            with(ok.clone(), "/protocol/ocsp_staple/status", json!("ok")),
        ),
        // A renamed or unknown field.
        (
            "extra top-level field",
            with(ok.clone(), "/certs", json!([])),
        ),
        (
            "extra target field",
            with(ok.clone(), "/target/ip", json!("192.0.2.1")),
        ),
        (
            "extra timing field",
            with(ok.clone(), "/timing_ms/tls", json!(1.0)),
        ),
        (
            "extra protocol field",
            with(ok.clone(), "/protocol/cipher", json!("x")),
        ),
        (
            "extra certificate field",
            with(ok.clone(), "/certificates/0/fingerprint", json!("x")),
        ),
        (
            "extra key field",
            with(ok.clone(), "/certificates/0/key/size", json!(256)),
        ),
        (
            "extra verification field",
            with(ok.clone(), "/verification/ok", json!(true)),
        ),
        (
            "extra finding field",
            with(ok.clone(), "/verification/errors/0/index", json!(0)),
        ),
        (
            "ClientHello field outside its list",
            with(ok.clone(), "/handshake/0/server_name", json!("x")),
        ),
        // A value of the wrong type or form.
        (
            "schema version",
            with(ok.clone(), "/schema_version", json!(2)),
        ),
        ("port zero", with(ok.clone(), "/target/port", json!(0))),
        (
            "null subject",
            with(ok.clone(), "/certificates/0/subject", Value::Null),
        ),
        (
            "days_left as text",
            with(ok.clone(), "/certificates/0/days_left", json!("12")),
        ),
        (
            "uppercase sha256",
            with(ok.clone(), "/certificates/0/sha256", json!("AB".repeat(32))),
        ),
        (
            "serial with colons",
            with(ok.clone(), "/certificates/0/serial", json!("01:02")),
        ),
        (
            "local time",
            with(
                ok.clone(),
                "/certificates/0/not_after",
                json!("2026-11-22 18:00:00"),
            ),
        ),
        (
            "key type spelling",
            with(ok.clone(), "/certificates/0/key/type", json!("ECDSA")),
        ),
        (
            "pem without armour",
            with(ok.clone(), "/certificates/0/pem", json!("MIIB")),
        ),
        (
            "negative t_ms",
            with(ok.clone(), "/handshake/0/t_ms", json!(-1.0)),
        ),
        (
            "handshake as object",
            with(ok.clone(), "/handshake", json!({})),
        ),
        (
            "verified as text",
            with(ok.clone(), "/verification/verified", json!("no")),
        ),
    ];
    for (what, instance) in broken {
        assert!(
            !validator.is_valid(&instance),
            "the schema accepted a report with a broken {what}"
        );
    }
}

#[test]
fn messages_may_carry_fields_of_types_the_schema_does_not_list() {
    // Type-specific fields are open for types without a fixed list, so a new message type
    // does not break consumers' validation.
    let validator = validator();
    let ok = serde_json::to_value(ok_report()).unwrap();
    let extended = with(ok.clone(), "/handshake/8/verify_data", json!("00ff"));
    assert_eq!(errors(&validator, &extended), Vec::<String>::new());
    // Finished has a fixed list now: an unknown field there is refused.
    let extended = with(ok, "/handshake/5/verify_data", json!("00ff"));
    assert_eq!(errors(&validator, &extended).len(), 1);
    let extended = with(
        serde_json::to_value(ok_report()).unwrap(),
        "/handshake/8/verify_data",
        json!("00ff"),
    );
    assert_eq!(errors(&validator, &extended), Vec::<String>::new());
}
