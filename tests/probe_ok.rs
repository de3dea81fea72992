//! A good chain served by the in-process rustls server: every field a user would check in a
//! successful report, in JSON and in text, and what the server saw of the probe.

mod support;

use rustls::version::{TLS12, TLS13};
use rustls::ProtocolVersion;
use serde_json::{json, Value};
use support::fixtures::fixtures;
use support::rustls_server::{Server, Setup};
use support::{messages, root, run, run_json, sha256_hex, TLS13_HANDSHAKE};

fn good_server() -> Server {
    Setup::new(&fixtures().good).start()
}

fn probe(server: &Server, extra: &[&str]) -> (i32, Value) {
    let ca = root();
    let target = format!("localhost:{}", server.port());
    let mut args = vec!["--ca-file", ca.as_str()];
    args.extend_from_slice(extra);
    args.push(&target);
    run_json(&args)
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && s.ends_with('Z')
}

#[test]
fn tls13_good_chain_is_ok_with_every_protocol_field() {
    let server = good_server();
    let (code, r) = probe(&server, &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["status"], "ok");
    assert_eq!(r["error"], Value::Null);
    let p = &r["protocol"];
    assert_eq!(p["version"], "TLSv1.3");
    let suite = p["cipher_suite"].as_str().unwrap();
    assert!(
        [
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256"
        ]
        .contains(&suite),
        "{suite}"
    );
    // rustls with aws-lc-rs on both sides prefers the post-quantum hybrid.
    assert_eq!(p["key_exchange_group"], "X25519MLKEM768");
    assert_eq!(p["signature_scheme"], "ecdsa_secp256r1_sha256");
    assert_eq!(p["alpn"], Value::Null);
    assert_eq!(p["resumed"], false);
    assert_eq!(p["ocsp_staple"], Value::Null);
    assert_eq!(r["target"]["host"], "localhost");
    assert_eq!(r["target"]["port"], server.port());
    assert_eq!(r["target"]["sni"], "localhost");
    assert_eq!(
        r["target"]["address"],
        format!("127.0.0.1:{}", server.port()),
        "the server listens on 127.0.0.1 only"
    );
    let t = &r["timing_ms"];
    assert!(
        t["connect"].is_number() && t["handshake"].is_number(),
        "{t}"
    );
    assert!(t["total"].as_f64().unwrap() >= t["handshake"].as_f64().unwrap());

    let seen = server.wait_for(1);
    assert_eq!(seen.len(), 1, "one connection per probe: {seen:?}");
    assert!(seen[0].handshake_done, "{seen:?}");
    assert_eq!(seen[0].sni.as_deref(), Some("localhost"));
    assert_eq!(seen[0].version, Some(ProtocolVersion::TLSv1_3));
}

#[test]
fn certificates_are_listed_as_served() {
    let f = fixtures();
    let server = good_server();
    let (code, r) = probe(&server, &[]);
    assert_eq!(code, 0, "{r:#}");
    let certs = r["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 2, "leaf and intermediate, as served");
    for (i, c) in certs.iter().enumerate() {
        let sha = c["sha256"].as_str().unwrap();
        assert_eq!(sha.len(), 64, "{sha}");
        assert!(sha.chars().all(|ch| ch.is_ascii_hexdigit()), "{sha}");
        assert_eq!(
            sha.to_ascii_lowercase(),
            sha256_hex(&f.good.certs[i]),
            "fingerprint of certificate {i}"
        );
        let pem = c["pem"].as_str().unwrap();
        assert_eq!(
            support::pem_to_der(pem),
            f.good.certs[i].to_vec(),
            "pem {i}"
        );
        assert!(is_rfc3339_utc(c["not_before"].as_str().unwrap()), "{c}");
        assert!(is_rfc3339_utc(c["not_after"].as_str().unwrap()), "{c}");
        assert!(c["serial"].as_str().is_some_and(|s| !s.is_empty()), "{c}");
        assert_eq!(c["key"]["type"], "EC");
        assert_eq!(c["key"]["bits"], 256);
        assert_eq!(c["key"]["curve"], "P-256");
        assert!(
            c["signature_algorithm"]
                .as_str()
                .is_some_and(|s| s.to_ascii_lowercase().contains("ecdsa")),
            "{c}"
        );
    }
    let (leaf, inter) = (&certs[0], &certs[1]);
    let sans: Vec<&str> = leaf["sans"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(sans.contains(&"localhost"), "{sans:?}");
    assert_eq!(leaf["subject"], "CN=localhost");
    assert_eq!(leaf["issuer"], inter["subject"]);
    assert_eq!(inter["subject"], "CN=tlsprobe test intermediate");
    assert_eq!(inter["issuer"], "CN=tlsprobe test root");
    assert_eq!(leaf["is_ca"], false);
    assert_eq!(inter["is_ca"], true);
    assert_eq!(leaf["self_signed"], false);
    assert_eq!(inter["self_signed"], false);
    let v = &r["verification"];
    assert_eq!(v["verified"], true);
    assert_eq!(v["trust_store"], "file");
    assert_eq!(v["hostname_matches"], true);
    assert_eq!(v["errors"], json!([]));
}

#[test]
fn tls13_handshake_lists_both_directions_in_order() {
    let (code, r) = probe(&good_server(), &[]);
    assert_eq!(code, 0, "{r:#}");
    let hs = r["handshake"].as_array().unwrap();
    assert!(!hs.is_empty());
    let m: Vec<(String, String)> = messages(&r)
        .into_iter()
        .filter(|(_, t)| t != "ChangeCipherSpec")
        .collect();
    for (i, (from, ty)) in TLS13_HANDSHAKE.iter().enumerate() {
        assert_eq!(m.get(i), Some(&(from.to_string(), ty.to_string())), "{m:?}");
    }
    assert_eq!(hs[0]["record"], "handshake");
    assert_eq!(hs[0]["encrypted"], false);
    assert_eq!(hs[1]["encrypted"], false);
    for ty in ["EncryptedExtensions", "Certificate", "CertificateVerify"] {
        let msg = hs.iter().find(|x| x["type"] == ty).unwrap();
        assert_eq!(msg["encrypted"], true, "{msg}");
    }
    let mut last = 0.0;
    for msg in hs {
        let t = msg["t_ms"].as_f64().unwrap();
        assert!(t >= last, "t_ms goes back: {hs:#?}");
        last = t;
        assert!(msg["length"].as_u64().is_some_and(|l| l > 0), "{msg}");
    }
    let hello = &hs[0];
    assert!(hello["versions"]
        .as_array()
        .unwrap()
        .contains(&"TLSv1.3".into()));
    assert!(hello["key_share_groups"]
        .as_array()
        .unwrap()
        .contains(&"X25519MLKEM768".into()));
}

#[test]
fn tls12_flag_against_the_rustls_server() {
    let server = good_server();
    let (code, r) = probe(&server, &["--tls1.2"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.2");
    let suite = r["protocol"]["cipher_suite"].as_str().unwrap();
    assert!(suite.starts_with("TLS_ECDHE_ECDSA_WITH_"), "{suite}");
    assert!(
        r["protocol"]["key_exchange_group"]
            .as_str()
            .is_some_and(|g| g.eq_ignore_ascii_case("x25519")),
        "TLS 1.2 has no hybrid groups: {}",
        r["protocol"]
    );
    let m = messages(&r);
    for entry in [
        ("client", "ClientHello"),
        ("server", "ServerHello"),
        ("server", "ServerKeyExchange"),
        ("client", "ClientKeyExchange"),
        ("client", "ChangeCipherSpec"),
        ("client", "Finished"),
        ("server", "ChangeCipherSpec"),
        ("server", "Finished"),
    ] {
        assert!(
            m.contains(&(entry.0.to_string(), entry.1.to_string())),
            "{entry:?} missing: {m:?}"
        );
    }
    let ccs = r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["type"] == "ChangeCipherSpec")
        .unwrap();
    assert_eq!(ccs["record"], "change_cipher_spec");
    assert_eq!(
        server.wait_for(1)[0].version,
        Some(ProtocolVersion::TLSv1_2)
    );
}

#[test]
fn a_tls12_only_server_is_ok_without_flags() {
    let server = Setup::new(&fixtures().good).versions(&[&TLS12]).start();
    let (code, r) = probe(&server, &[]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.2");
    assert_eq!(r["handshake"][1]["type"], "ServerHello");
    assert_eq!(r["handshake"][1]["version"], "TLSv1.2");
}

#[test]
fn tls13_flag_offers_only_tls13() {
    let server = Setup::new(&fixtures().good)
        .versions(&[&TLS13, &TLS12])
        .start();
    let (code, r) = probe(&server, &["--tls1.3"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.3");
    assert_eq!(r["handshake"][0]["versions"], json!(["TLSv1.3"]));
}

#[test]
fn alpn_is_offered_and_the_choice_reported() {
    let server = Setup::new(&fixtures().good).alpn(&["http/1.1"]).start();
    let (code, r) = probe(&server, &["--alpn", "h2,http/1.1"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["alpn"], "http/1.1");
    assert_eq!(r["handshake"][0]["alpn"], json!(["h2", "http/1.1"]));
    assert_eq!(server.wait_for(1)[0].alpn.as_deref(), Some("http/1.1"));
}

#[test]
fn system_roots_do_not_trust_the_test_root() {
    let port = good_server().detach().port();
    let (code, r) = run_json(&["--system-roots", &format!("localhost:{port}")]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(r["verification"]["trust_store"], "system");
    assert_eq!(r["verification"]["verified"], false);
    assert!(!support::error_codes(&r).is_empty());
    assert_eq!(
        r["protocol"]["version"], "TLSv1.3",
        "the handshake completed"
    );
}

#[test]
fn text_mode_names_version_suite_and_verdict_without_escapes() {
    let server = good_server();
    let (_, r) = probe(&server, &[]);
    let suite = r["protocol"]["cipher_suite"].as_str().unwrap().to_string();
    let target = format!("localhost:{}", server.port());
    let out = run(&["--ca-file", &root(), &target]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("TLSv1.3"), "{}", out.stdout);
    assert!(out.stdout.contains(&suite), "{suite}: {}", out.stdout);
    let lower = out.stdout.to_lowercase();
    assert!(lower.contains("trusted"), "{}", out.stdout);
    assert!(!lower.contains("not trusted"), "{}", out.stdout);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no ANSI escapes when stdout is a pipe: {:?}",
        out.stdout
    );
    assert!(
        serde_json::from_str::<Value>(out.stdout.lines().next().unwrap_or("")).is_err(),
        "text mode is not JSON"
    );
}

#[test]
fn colour_always_and_never() {
    let server = good_server();
    let target = format!("localhost:{}", server.port());
    let coloured = run(&["--color", "always", "--ca-file", &root(), &target]);
    assert_eq!(coloured.code, 0, "{}", coloured.stderr);
    assert!(
        coloured.stdout.contains("\u{1b}["),
        "--color always: {:?}",
        coloured.stdout
    );
    let plain = run(&["--color", "never", "--ca-file", &root(), &target]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(!plain.stdout.contains('\u{1b}'), "{:?}", plain.stdout);
    // --json is never coloured, whatever --color says.
    let (code, _) = run_json(&["--color", "always", "--ca-file", &root(), &target]);
    assert_eq!(code, 0);
}

/// `-v` shows each served certificate's extensions in words; the default view does not.
#[test]
fn verbose_shows_every_certificate_extension_in_words() {
    let f = fixtures();
    let port = support::rustls_server::start(&f.good, &[&TLS13]).port();
    let target = format!("localhost:{port}");
    let root = root();
    let verbose = run(&["-v", "--ca-file", &root, &target]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(
        verbose.stdout.contains("     extensions"),
        "{}",
        verbose.stdout
    );
    assert!(
        verbose.stdout.contains("subject alt names"),
        "{}",
        verbose.stdout
    );
    assert!(verbose.stdout.contains("pin-sha256 "), "{}", verbose.stdout);
    let plain = run(&["--ca-file", &root, &target]);
    assert!(
        !plain.stdout.contains("subject alt names"),
        "{}",
        plain.stdout
    );
}
