//! The first flight of legacy servers, read by tlsprobe's own ClientHello and first-flight
//! reader, against `openssl s_server` restricted to TLS 1.0 or to TLS 1.2 with old suites:
//! the certificates are exactly those s_server was given, the staple exactly the file it was
//! told to send, and the ServerKeyExchange is split as its signature covers it.

mod support;

use std::time::Duration;

use support::fixtures::{fixtures, Chain};
use support::openssl::s_server;
use tlsprobe::deadline::Deadline;
use tlsprobe::scan::client_hello::{Extras, HelloSpec};
use tlsprobe::scan::server_answer::first_flight;
use tlsprobe::tls::kx_signature::check;
use tlsprobe::wire::code_points::{CipherSuite, ProtocolVersion};
use tlsprobe::wire::first_flight::{read, End, FirstFlight};
use tlsprobe::wire::names::{is_tls13_suite, known_cipher_suites};

/// Ask the server at `port` with every suite we know for versions up to `version`, the staple
/// asked for.
fn flight_of(port: u16, version: ProtocolVersion) -> FirstFlight {
    let spec = HelloSpec {
        version,
        suites: known_cipher_suites()
            .filter(|s| version == ProtocolVersion::TLS1_3 || !is_tls13_suite(*s))
            .map(CipherSuite)
            .collect(),
        sni: Some("localhost".into()),
        random: [0x42; 32],
        groups: Vec::new(),
        status_request: true,
        sct: false,
        extras: Extras::default(),
        alpn: Vec::new(),
    };
    let deadline = Deadline::after(Duration::from_secs(10));
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let bytes = first_flight(&tlsprobe::net::Dialer::direct(addr), &spec, deadline)
        .expect("connected and sent");
    read(&bytes)
}

/// Check a TLS 1.2 ServerKeyExchange signature with the leaf's RSA key, over what it covers:
/// our random, the server's, and the parameters as the reader split them off.
fn verify_rsa_signature(flight: &FirstFlight) {
    use aws_lc_rs::signature::{self, UnparsedPublicKey};
    let kx = flight
        .key_exchange
        .as_ref()
        .expect("a signed ServerKeyExchange");
    let (_, server_random) = flight.hello.as_ref().expect("a ServerHello");
    let (_, leaf) = x509_parser::parse_x509_certificate(&flight.certificates[0]).unwrap();
    let algorithm: &dyn signature::VerificationAlgorithm = match kx.scheme.map(|s| s.0) {
        Some(0x0401) => &signature::RSA_PKCS1_2048_8192_SHA256,
        Some(0x0501) => &signature::RSA_PKCS1_2048_8192_SHA384,
        Some(0x0601) => &signature::RSA_PKCS1_2048_8192_SHA512,
        Some(0x0804) => &signature::RSA_PSS_2048_8192_SHA256,
        Some(0x0805) => &signature::RSA_PSS_2048_8192_SHA384,
        Some(0x0806) => &signature::RSA_PSS_2048_8192_SHA512,
        other => panic!("an RSA scheme, not {other:?}"),
    };
    let mut signed = vec![0x42; 32];
    signed.extend_from_slice(server_random);
    signed.extend_from_slice(&kx.params);
    UnparsedPublicKey::new(algorithm, &leaf.public_key().subject_public_key.data)
        .verify(&signed, &kx.signature)
        .expect("the signature covers exactly the parameters read");
}

/// tlsprobe's own check of the flight's ServerKeyExchange signature with the leaf's key, and
/// of the same signature with one bit flipped: the first holds, the second does not.
fn assert_signature_checks(flight: &FirstFlight) {
    let kx = flight
        .key_exchange
        .as_ref()
        .expect("a signed ServerKeyExchange");
    let (_, server_random) = flight.hello.as_ref().expect("a ServerHello");
    let mut signed = vec![0x42; 32];
    signed.extend_from_slice(server_random);
    signed.extend_from_slice(&kx.params);
    let leaf = &flight.certificates[0];
    let good = check(leaf, kx.scheme, &signed, &kx.signature).expect("a key tlsprobe checks");
    assert_eq!(good.error, None, "{kx:?}");
    let mut bad = kx.signature.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let bad = check(leaf, kx.scheme, &signed, &bad).expect("a key tlsprobe checks");
    assert!(bad.error.is_some(), "a flipped bit is refused");
    signed[70] ^= 1;
    let moved = check(leaf, kx.scheme, &signed, &kx.signature).unwrap();
    assert!(moved.error.is_some(), "other parameters are refused");
}

fn ders(chain: &Chain) -> Vec<Vec<u8>> {
    chain.certs.iter().map(|c| c.to_vec()).collect()
}

#[test]
fn a_tls10_only_server_shows_its_chain_and_its_unnamed_signature() {
    let f = fixtures();
    let server = s_server(
        &f.good_rsa,
        &["-tls1", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"],
    );
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    let (hello, _) = flight.hello.clone().unwrap();
    assert_eq!(hello.version, ProtocolVersion::TLS1_0);
    assert_eq!(hello.cipher_suite, CipherSuite(0xc013)); // ECDHE-RSA-AES128-SHA
    assert_eq!(flight.certificates, ders(&f.good_rsa));
    let kx = flight
        .key_exchange
        .clone()
        .expect("a signed ServerKeyExchange");
    // TLS 1.0: no scheme; an ECDHE named curve, then the point.
    assert_eq!(kx.scheme, None);
    assert_eq!(kx.params.first(), Some(&3));
    // An RSA PKCS#1 signature is as long as the 2048-bit modulus.
    assert_eq!(kx.signature.len(), 256);
    assert!(!flight.certificate_request);
    // Its RSA signature over MD5 and SHA-1 side by side holds under tlsprobe's check.
    assert_signature_checks(&flight);

    // An ECDSA key signs TLS 1.0's ServerKeyExchange with SHA-1.
    let server = s_server(
        &f.good,
        &["-tls1", "-cipher", "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0"],
    );
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    assert_eq!(flight.certificates, ders(&f.good));
    assert_eq!(flight.key_exchange.as_ref().unwrap().scheme, None);
    assert_signature_checks(&flight);
}

#[test]
fn tls12_with_dhe_names_its_scheme_and_rsa_key_exchange_sends_none() {
    let f = fixtures();
    let server = s_server(
        &f.good_rsa,
        &[
            "-tls1_2",
            "-cipher",
            "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
        ],
    );
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    assert_eq!(
        flight.hello.as_ref().unwrap().0.cipher_suite,
        CipherSuite(0x009e)
    );
    let kx = flight
        .key_exchange
        .as_ref()
        .expect("a signed ServerKeyExchange");
    assert!(kx.scheme.is_some());
    // ServerDHParams start with the prime's length: OpenSSL's automatic DH group for a
    // 2048-bit key is 2048 bits (256 bytes).
    assert_eq!(kx.params.get(..2), Some(&[1, 0][..]));
    assert_eq!(flight.certificates, ders(&f.good_rsa));
    verify_rsa_signature(&flight);
    assert_signature_checks(&flight);

    let server = s_server(
        &f.good_rsa,
        &["-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256"],
    );
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    assert_eq!(
        flight.hello.as_ref().unwrap().0.cipher_suite,
        CipherSuite(0xc027)
    );
    verify_rsa_signature(&flight);
    assert_signature_checks(&flight);

    let server = s_server(
        &f.good_rsa,
        &["-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0"],
    );
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    assert_eq!(flight.hello.unwrap().0.cipher_suite, CipherSuite(0x002f));
    assert_eq!(flight.key_exchange, None);
    assert_eq!(flight.certificates, ders(&f.good_rsa));
}

#[test]
fn the_staple_and_the_certificate_request_are_in_the_flight() {
    let f = fixtures();
    let response = support::openssl_ca::ocsp_response(f, false);
    let server = s_server(
        &f.good,
        &[
            "-tls1_2",
            "-status_file",
            response.to_str().unwrap(),
            "-verify",
            "1",
        ],
    );
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    assert_eq!(
        flight.ocsp_response,
        Some(std::fs::read(&response).unwrap())
    );
    assert!(flight.certificate_request);
    assert_eq!(flight.certificates, ders(&f.good));
}

#[test]
fn a_server_that_refuses_says_so_and_a_tls13_one_is_recognised() {
    let f = fixtures();
    let server = s_server(&f.good, &["-tls1_3"]);
    // Offered up to TLS 1.2 only: OpenSSL answers protocol_version.
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_2);
    assert!(matches!(flight.end, End::Alert(_)), "{:?}", flight.end);
    assert!(flight.certificates.is_empty());
    // Offered TLS 1.3: its ServerHello is read, what follows is encrypted.
    let flight = flight_of(server.port(), ProtocolVersion::TLS1_3);
    assert_eq!(flight.end, End::Tls13, "{}", server.log());
}

#[test]
fn a_gnutls_tls10_server_gives_the_same_chain() {
    let f = fixtures();
    let server = support::gnutls::gnutls_serv(
        &f.good_rsa,
        &[
            "--priority",
            "NORMAL:-VERS-ALL:+VERS-TLS1.0:%SERVER_PRECEDENCE",
        ],
    );
    let flight = flight_of(server.addr.port(), ProtocolVersion::TLS1_2);
    assert_eq!(flight.end, End::Done, "{}", server.log());
    let (hello, _) = flight.hello.clone().unwrap();
    assert_eq!(hello.version, ProtocolVersion::TLS1_0, "{}", server.log());
    assert_eq!(flight.certificates, ders(&f.good_rsa));
    // In its own order GnuTLS prefers ECDHE: signed, and with no scheme in TLS 1.0.
    let kx = flight
        .key_exchange
        .clone()
        .expect("a signed ServerKeyExchange");
    assert_eq!(kx.scheme, None);
    assert_eq!(kx.signature.len(), 256);
    assert_signature_checks(&flight);
}
