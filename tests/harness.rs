//! The test harness checked on its own, without the binary: the fixtures are what their names
//! say (according to rustls' own WebPKI verifier), and both servers complete handshakes with a
//! plain rustls client. When a probe test fails, these say whether the peer or the probe is at
//! fault.

mod support;

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{ServerName, UnixTime};
use rustls::version::{TLS12, TLS13};
use rustls::{ClientConfig, ClientConnection, ProtocolVersion, RootCertStore};
use support::fixtures::{fixtures, Chain};
use support::openssl::{s_server, s_server_at};
use support::rustls_server::{self, Setup};

fn roots() -> Arc<RootCertStore> {
    let mut roots = RootCertStore::empty();
    roots
        .add(fixtures().root_der.clone())
        .expect("the test root");
    Arc::new(roots)
}

/// What rustls' WebPKI verifier says of `chain` for `name`: `Ok` or the error's debug form.
fn webpki(chain: &Chain, name: &str) -> Result<(), String> {
    let verifier = rustls::client::WebPkiServerVerifier::builder(roots())
        .build()
        .expect("verifier");
    verifier
        .verify_server_cert(
            &chain.certs[0],
            &chain.certs[1..],
            &ServerName::try_from(name.to_string()).expect("name"),
            &[],
            UnixTime::now(),
        )
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

fn expect_rejected(chain: &Chain, what: &str) {
    match webpki(chain, "localhost") {
        Ok(()) => panic!("rustls accepts the fixture that should be {what}"),
        Err(e) => assert!(e.contains(what), "expected {what}, rustls says {e}"),
    }
}

#[test]
fn fixtures_are_what_their_names_say() {
    let f = fixtures();
    assert_eq!(webpki(&f.good, "localhost"), Ok(()));
    assert_eq!(webpki(&f.good, "127.0.0.1"), Ok(()));
    assert_eq!(webpki(&f.good, "::1"), Ok(()));
    assert_eq!(webpki(&f.good_rsa, "localhost"), Ok(()));
    assert_eq!(webpki(&f.wrong_host, "wrong.example"), Ok(()));
    expect_rejected(&f.expired, "Expired");
    expect_rejected(&f.not_yet_valid, "NotValidYet");
    expect_rejected(&f.wrong_host, "NotValidForName");
    expect_rejected(&f.unknown_issuer, "UnknownIssuer");
    expect_rejected(&f.self_signed, "UnknownIssuer");
    expect_rejected(&f.client_auth_only, "InvalidPurpose");
    expect_rejected(&f.tampered, "BadSignature");
    // webpki does not say why an issuer with CA:FALSE cannot be one: it finds no issuer.
    assert!(webpki(&f.not_a_ca, "localhost").is_err());
    assert_eq!(f.good.certs.len(), 2, "leaf and intermediate");
    assert_eq!(f.self_signed.certs.len(), 1);
}

#[test]
fn fixture_pem_files_hold_the_served_certificates() {
    let f = fixtures();
    let leaf = std::fs::read_to_string(&f.good.leaf_pem).expect("leaf PEM");
    assert_eq!(support::pem_to_der(&leaf), f.good.certs[0].to_vec());
    let inter = std::fs::read_to_string(&f.good.rest_pem).expect("chain PEM");
    assert_eq!(support::pem_to_der(&inter), f.good.certs[1].to_vec());
    let root = std::fs::read_to_string(&f.root_pem).expect("root PEM");
    assert_eq!(support::pem_to_der(&root), f.root_der.to_vec());
    assert_eq!(support::sha256_hex(b"").len(), 64);
    assert!(support::sha256_hex(b"abc").starts_with("ba7816bf"));
}

/// What a plain rustls client negotiated.
#[derive(Debug)]
struct Negotiated {
    version: Option<ProtocolVersion>,
    suite: Option<String>,
    alpn: Option<Vec<u8>>,
}

/// Handshake with `addr` as a rustls client sending `sni` (an IP sends none), then close.
fn client(
    addr: SocketAddr,
    sni: &str,
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: &[&str],
) -> Result<Negotiated, String> {
    let mut config = ClientConfig::builder_with_protocol_versions(versions)
        .with_root_certificates(roots())
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
    let name = ServerName::try_from(sni.to_string()).map_err(|e| e.to_string())?;
    let mut conn = ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let mut sock =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    while conn.is_handshaking() {
        conn.complete_io(&mut sock).map_err(|e| e.to_string())?;
    }
    let negotiated = Negotiated {
        version: conn.protocol_version(),
        suite: conn
            .negotiated_cipher_suite()
            .map(|s| format!("{:?}", s.suite())),
        alpn: conn.alpn_protocol().map(<[u8]>::to_vec),
    };
    conn.send_close_notify();
    let _ = conn.complete_io(&mut sock);
    Ok(negotiated)
}

#[test]
fn rustls_server_serves_and_records_each_connection() {
    let server = Setup::new(&fixtures().good).alpn(&["http/1.1"]).start();
    let n = client(server.addr, "localhost", &[&TLS13], &["h2", "http/1.1"]).expect("TLS 1.3");
    assert_eq!(n.version, Some(ProtocolVersion::TLSv1_3));
    assert_eq!(n.alpn.as_deref(), Some(&b"http/1.1"[..]));
    let n = client(server.addr, "127.0.0.1", &[&TLS12], &[]).expect("TLS 1.2");
    assert_eq!(n.version, Some(ProtocolVersion::TLSv1_2));
    let seen = server.wait_for(2);
    assert!(seen.iter().all(|s| s.handshake_done), "{seen:?}");
    assert_eq!(seen[0].sni.as_deref(), Some("localhost"));
    assert_eq!(seen[0].alpn.as_deref(), Some("http/1.1"));
    assert_eq!(seen[1].sni, None, "no SNI for an IP address");
    assert_eq!(seen[1].version, Some(ProtocolVersion::TLSv1_2));
}

#[test]
fn rustls_server_records_a_failed_handshake() {
    let server = rustls_server::spawn(&fixtures().good, &[&TLS12]);
    let err = client(server.addr, "localhost", &[&TLS13], &[]).expect_err("no common version");
    assert!(
        err.contains("ProtocolVersion") || err.contains("protocol_version"),
        "{err}"
    );
    let seen = server.wait_for(1);
    assert!(!seen[0].handshake_done);
    assert!(seen[0].error.is_some(), "{seen:?}");
}

#[test]
fn rustls_server_listens_on_ipv6_loopback() {
    assert!(support::has_ipv6_loopback(), "::1 is not available");
    let server = Setup::new(&fixtures().good).bind("[::1]:0").start();
    assert!(server.addr.is_ipv6());
    let n = client(server.addr, "::1", &[&TLS13], &[]).expect("handshake over ::1");
    assert_eq!(n.version, Some(ProtocolVersion::TLSv1_3));
    assert!(server.wait_for(1)[0].handshake_done);
}

#[test]
fn a_closed_port_refuses() {
    let port = support::closed_port();
    let err = TcpStream::connect(("127.0.0.1", port)).expect_err("nothing listens");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

#[test]
fn s_server_tls13_and_tls12_with_a_forced_suite() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_3"]);
    assert_eq!(server.addr.ip().to_string(), "127.0.0.1");
    let n = client(server.addr, "localhost", &[&TLS13, &TLS12], &[])
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(n.version, Some(ProtocolVersion::TLSv1_3));

    let server = s_server(
        &f.good,
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
    );
    let n = client(server.addr, "localhost", &[&TLS13, &TLS12], &[])
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(n.version, Some(ProtocolVersion::TLSv1_2));
    assert_eq!(
        n.suite.as_deref(),
        Some("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
    );
    // The same server serves several connections.
    client(server.addr, "localhost", &[&TLS12], &[]).expect("second connection");
}

#[test]
fn s_server_speaks_alpn_and_listens_on_ipv6() {
    let f = fixtures();
    let server = s_server_at("[::1]:0", &f.good, &["-alpn", "h2"]);
    assert!(server.addr.is_ipv6(), "{}", server.addr);
    let n = client(server.addr, "localhost", &[&TLS13], &["h2", "http/1.1"])
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(n.alpn.as_deref(), Some(&b"h2"[..]));
}

#[test]
#[should_panic(expected = "before listening")]
fn s_server_that_cannot_start_says_why() {
    s_server(&fixtures().good, &["-no-such-option"]);
}
