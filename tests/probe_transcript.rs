//! The whole handshake, decrypted, against openssl s_server: message order and fields for each
//! TLS 1.3 suite and for TLS 1.2 ECDHE-RSA; the --trace timeline; the key log.

mod support;

use std::os::unix::fs::PermissionsExt;

use support::fixtures::fixtures;
use support::openssl::s_server;
use support::{messages, pairs, root, run, run_json, TLS12_HANDSHAKE, TLS13_HANDSHAKE};

#[test]
fn tls13_every_suite_lists_the_decrypted_handshake_in_order() {
    let f = fixtures();
    for suite in [
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
    ] {
        let server = s_server(&f.good, &["-tls1_3", "-ciphersuites", suite]);
        let (code, r) = run_json(&[
            "--ca-file",
            &root(),
            &format!("localhost:{}", server.addr.port()),
        ]);
        assert_eq!(code, 0, "{suite}: {r:#}");
        assert_eq!(r["protocol"]["cipher_suite"], suite);
        let m: Vec<(String, String)> = messages(&r)
            .into_iter()
            .filter(|(_, t)| t != "ChangeCipherSpec")
            .collect();
        assert_eq!(m[..7], pairs(&TLS13_HANDSHAKE)[..], "{suite}");
        let hs = r["handshake"].as_array().unwrap();
        let find = |ty: &str| {
            hs.iter()
                .find(|m| m["type"] == ty)
                .unwrap_or_else(|| panic!("{ty}"))
        };
        assert_eq!(find("ServerHello")["cipher_suite"], suite);
        assert_eq!(find("ServerHello")["version"], "TLSv1.3");
        let finished: Vec<&serde_json::Value> =
            hs.iter().filter(|m| m["type"] == "Finished").collect();
        assert_eq!(finished.len(), 2, "{suite}");
        assert!(
            finished.iter().all(|m| m["verified"] == true),
            "{suite}: both verify_data checked: {finished:#?}"
        );
        assert_eq!(find("ServerHello")["encrypted"], false);
        let cert = find("Certificate");
        assert_eq!(cert["encrypted"], true);
        assert_eq!(cert["count"], 2);
        assert_eq!(cert["subjects"][0], "CN=localhost");
        assert_eq!(
            find("CertificateVerify")["signature_scheme"],
            "ecdsa_secp256r1_sha256"
        );
        assert!(find("EncryptedExtensions")["extensions"].is_array());
        assert!(find("ClientHello")["cipher_suites"]
            .as_array()
            .unwrap()
            .contains(&suite.into()));
        // openssl sends two session tickets after our Finished, under the application keys.
        let tickets: Vec<_> = hs
            .iter()
            .filter(|m| m["type"] == "NewSessionTicket")
            .collect();
        assert!(!tickets.is_empty(), "{suite}");
        assert!(tickets
            .iter()
            .all(|t| t["lifetime_s"].as_u64().is_some_and(|l| l > 0)));
        let times: Vec<f64> = hs.iter().map(|m| m["t_ms"].as_f64().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    }
}

#[test]
fn tls12_ecdhe_rsa_lists_every_message() {
    let f = fixtures();
    let server = s_server(
        &f.good_rsa,
        &[
            "-tls1_2",
            "-cipher",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "-no_ticket",
        ],
    );
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        &format!("localhost:{}", server.addr.port()),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        r["protocol"]["cipher_suite"],
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    );
    let m: Vec<_> = messages(&r)
        .into_iter()
        .filter(|(_, t)| t != "Alert")
        .collect();
    assert_eq!(m, pairs(&TLS12_HANDSHAKE));
    let ske = &r["handshake"][3];
    assert!(
        ske["signature_scheme"]
            .as_str()
            .unwrap()
            .starts_with("rsa_"),
        "{ske}"
    );
    assert_eq!(r["certificates"][0]["key"]["type"], "RSA");
    assert_eq!(r["certificates"][0]["key"]["bits"], 2048);
}

#[test]
fn trace_is_a_readable_timeline() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_3"]);
    let target = format!("localhost:{}", server.addr.port());
    let r = run(&["--trace", "--ca-file", &root(), &target]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.contains(" ms  ")).collect();
    // Each message with what -v shows of it: its key fields beside it, or under it where they
    // do not fit (80 columns, as for a pipe), blanks collapsed.
    let mut blocks: Vec<String> = Vec::new();
    for line in r.stdout.lines().skip_while(|l| *l != "Handshake").skip(1) {
        match blocks.last_mut() {
            Some(b) if !line.contains(" ms  ") => {
                b.push(' ');
                b.push_str(line);
            }
            _ => blocks.push(line.to_string()),
        }
    }
    let blocks: Vec<String> = blocks
        .iter()
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let expect = [
        ("→", "ClientHello", "SNI localhost"),
        ("←", "ServerHello", "TLSv1.3"),
        ("←", "EncryptedExtensions", ""),
        ("←", "Certificate", "2 certificates: CN=localhost"),
        ("←", "CertificateVerify", "ecdsa_secp256r1_sha256"),
        ("←", "Finished", ""),
        ("→", "Finished", ""),
    ];
    let mut found = blocks.iter().filter(|l| !l.contains("ChangeCipherSpec"));
    for (arrow, ty, field) in expect {
        let line = found
            .next()
            .unwrap_or_else(|| panic!("no line for {ty}:\n{}", r.stdout));
        assert!(
            line.contains(arrow) && line.contains(ty) && line.contains(field),
            "{line}"
        );
    }
    assert!(blocks
        .iter()
        .any(|l| l.contains("NewSessionTicket") && l.contains("lifetime")));
    assert!(lines.iter().all(|l| l
        .trim_start()
        .split(' ')
        .next()
        .unwrap()
        .parse::<f64>()
        .is_ok()));

    let vv = run(&["-vv", "--ca-file", &root(), &target]);
    assert!(
        vv.stdout.contains("0000  16 03 01"),
        "a hex dump of the ClientHello record:\n{}",
        vv.stdout
    );
}

#[test]
fn keylog_file_is_private_appended_and_in_nss_format() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_3"]);
    let target = format!("localhost:{}", server.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.log");
    let r = run(&[
        "--keylog",
        path.to_str().unwrap(),
        "--ca-file",
        &root(),
        &target,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    let labels: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    for label in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
    ] {
        assert!(labels.contains(&label), "{text}");
    }
    for line in text.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert_eq!(parts[1].len(), 64, "client random: {line}");
        assert!(parts[2].chars().all(|c| c.is_ascii_hexdigit()));
    }
    let first = text.lines().count();

    // SSLKEYLOGFILE is honoured, and appends.
    let out = support::tlsprobe()
        .env("SSLKEYLOGFILE", &path)
        .args(["--ca-file", &root(), &target])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap().lines().count(),
        first * 2
    );
}

#[test]
fn no_keylog_is_written_unless_asked() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_3"]);
    let dir = tempfile::tempdir().unwrap();
    let r = support::tlsprobe()
        .current_dir(dir.path())
        .args([
            "--ca-file",
            &root(),
            &format!("localhost:{}", server.addr.port()),
        ])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_unwritable_keylog_is_a_usage_error() {
    let r = run(&["--keylog", "/nonexistent-dir/keys.log", "localhost"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("key log"), "{}", r.stderr);
}

#[test]
fn hello_retry_request_is_named_with_the_group_the_server_wants() {
    let f = fixtures();
    // rustls offers key shares for X25519MLKEM768 and X25519; this server wants secp384r1.
    let addr = support::rustls_server::start_custom(&f.good, Some(0x0018), None);
    let (code, r) = run_json(&["--ca-file", &root(), &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 0, "{r:#}");
    let m: Vec<_> = messages(&r)
        .into_iter()
        .filter(|(_, t)| t != "ChangeCipherSpec")
        .collect();
    assert_eq!(
        m[..4],
        pairs(&[
            ("client", "ClientHello"),
            ("server", "HelloRetryRequest"),
            ("client", "ClientHello"),
            ("server", "ServerHello"),
        ])[..]
    );
    let hs = r["handshake"].as_array().unwrap();
    let hrr = hs
        .iter()
        .find(|m| m["type"] == "HelloRetryRequest")
        .unwrap();
    assert_eq!(hrr["group"], "secp384r1");
    let second = hs
        .iter()
        .filter(|m| m["type"] == "ClientHello")
        .nth(1)
        .unwrap();
    assert_eq!(second["key_share_groups"], serde_json::json!(["secp384r1"]));
    assert_eq!(r["protocol"]["key_exchange_group"], "secp384r1");
    assert!(m.contains(&("server".into(), "Finished".into())));
}

#[test]
fn certificate_request_shows_the_accepted_cas_and_our_empty_certificate() {
    let f = fixtures();
    // The server asks for a client certificate issued under the unknown-issuer chain's root.
    let addr = support::rustls_server::start_custom(&f.good, None, Some(&f.unknown_issuer));
    let (code, r) = run_json(&["--ca-file", &root(), &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 0, "{r:#}");
    let hs = r["handshake"].as_array().unwrap();
    let req = hs
        .iter()
        .find(|m| m["type"] == "CertificateRequest")
        .expect("CertificateRequest");
    assert_eq!(req["from"], "server");
    assert_eq!(req["encrypted"], true);
    assert_eq!(
        req["certificate_authorities"],
        serde_json::json!(["CN=some other root"])
    );
    assert!(!req["signature_algorithms"].as_array().unwrap().is_empty());
    let ours = hs
        .iter()
        .find(|m| m["type"] == "Certificate" && m["from"] == "client")
        .expect("the client's Certificate");
    assert_eq!(ours["count"], 0);
}

/// A TLS 1.2 transcript opened with the master secret: each Finished is its 12 bytes of
/// verify_data, each alert has its level and description, and the application data's
/// plaintext lengths add up to what the exchange sent and received.
fn assert_tls12_opened(r: &serde_json::Value, suite: &str) {
    assert_eq!(r["protocol"]["version"], "TLSv1.2", "{r:#}");
    assert_eq!(r["protocol"]["cipher_suite"], suite);
    let msgs = r["handshake"].as_array().unwrap();
    let of = |from: &str, kind: &str| -> Vec<&serde_json::Value> {
        msgs.iter()
            .filter(|m| m["from"] == from && m["type"] == kind)
            .collect()
    };
    for side in ["client", "server"] {
        let finished = of(side, "Finished");
        assert_eq!(finished.len(), 1, "{side}: {msgs:#?}");
        assert_eq!(finished[0]["length"], 12, "{side}'s Finished, decrypted");
        assert_eq!(finished[0]["encrypted"], true);
        assert_eq!(
            finished[0]["verified"], true,
            "{side}'s verify_data, from our keys"
        );
        let alerts = of(side, "Alert");
        assert!(!alerts.is_empty(), "{side}: {msgs:#?}");
        for a in alerts {
            assert_eq!(a["length"], 2);
            assert_eq!(a["level"], "warning", "{a:#}");
            assert_eq!(a["description"], "close_notify");
        }
    }
    let total = |side: &str| -> u64 {
        of(side, "ApplicationData")
            .iter()
            .map(|m| m["length"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(
        total("client"),
        r["application"]["sent_bytes"].as_u64().unwrap()
    );
    assert_eq!(
        total("server"),
        r["application"]["received_bytes"].as_u64().unwrap()
    );
}

#[test]
fn tls12_records_are_opened_with_the_master_secret() {
    let f = fixtures();
    for (cipher, suite) in [
        (
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        ),
        (
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ),
        (
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        ),
    ] {
        let server = s_server(&f.good, &["-tls1_2", "-cipher", cipher, "-www"]);
        let target = format!("localhost:{}", server.addr.port());
        let (code, r) = run_json(&["--ca-file", &root(), "--http", &target]);
        assert_eq!(code, 0, "{cipher}: {r:#}");
        assert_tls12_opened(&r, suite);
    }
    // A second TLS stack: GnuTLS, echoing what it is sent.
    let server =
        support::gnutls::gnutls_serv(&f.good, &["--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2"]);
    let target = format!("localhost:{}", server.addr.port());
    let (code, r) = run_json(&["--ca-file", &root(), "--send", "hello\\n", &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["application"]["sent_bytes"], 6);
    assert_tls12_opened(&r, r["protocol"]["cipher_suite"].as_str().unwrap());
}
