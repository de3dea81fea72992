//! The slot for TLS 1.3 decryption, with a stand-in decryptor: what it is asked, what it is
//! told, and how its plaintext is shown.

use super::handmade::{from_server, record};
use super::tests::handshake;
use super::*;
use crate::report::MessageFields;
use crate::testutil::XorDecryptor;

fn sealed(inner: &[u8]) -> Vec<u8> {
    record(23, &XorDecryptor::seal(inner))
}

/// A TLS 1.3 ServerHello record: TLS_AES_128_GCM_SHA256, supported_versions TLSv1.3, x25519.
fn tls13_server_hello() -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend_from_slice(&[7; 32]);
    body.extend_from_slice(&[0, 0x13, 0x01, 0]);
    body.extend_from_slice(&[0, 16, 0, 43, 0, 2, 3, 4, 0, 51, 0, 6, 0, 29, 0, 2, 9, 9]);
    record(22, &[&[2, 0, 0, body.len() as u8][..], &body].concat())
}

#[test]
fn a_decryptor_opens_protected_records() {
    let mut server = tls13_server_hello();
    // EncryptedExtensions (8) with an empty extension list, then Finished (20), in one sealed
    // record; then an alert and application data.
    server.extend_from_slice(&sealed(&[8, 0, 0, 2, 0, 0, 20, 0, 0, 1, 7, 22]));
    server.extend_from_slice(&sealed(&[1, 0, 21]));
    server.extend_from_slice(&sealed(&[b'h', b'i', 23]));
    let rec = from_server(server, 0);
    let mut d = XorDecryptor::default();
    let t = build(&rec, Some(&mut d), false);
    let names: Vec<_> = t
        .messages
        .iter()
        .map(|m| (m.kind.name(), m.encrypted, m.length))
        .collect();
    assert_eq!(
        names,
        vec![
            ("ServerHello", false, 56),
            ("EncryptedExtensions", true, 2),
            ("Finished", true, 1),
            ("Alert", true, 2),
            ("ApplicationData", true, 2),
        ]
    );
    assert!(
        matches!(&t.messages[1].fields, MessageFields::EncryptedExtensions(e) if e.alpn.is_none())
    );
    assert!(
        matches!(&t.messages[3].fields, MessageFields::Alert(a) if a.description.as_deref() == Some("close_notify"))
    );
    assert_eq!(
        d.told,
        vec![
            (Side::Server, HandshakeType::ENCRYPTED_EXTENSIONS),
            (Side::Server, HandshakeType::FINISHED)
        ]
    );
    assert!(
        d.asked.iter().all(|&t| t == 23),
        "the record header is the AAD: {:?}",
        d.asked
    );

    // Without a decryptor each protected record is one opaque ApplicationData.
    let t = build(&rec, None, false);
    let opaque: Vec<_> = t.messages[1..]
        .iter()
        .map(|m| (m.kind.name(), m.length))
        .collect();
    assert_eq!(
        opaque,
        vec![
            ("ApplicationData", 12),
            ("ApplicationData", 3),
            ("ApplicationData", 3)
        ]
    );
}

#[test]
fn the_decryptor_is_only_asked_about_protected_records() {
    // TLS 1.2: only each side's records after its ChangeCipherSpec (here, the two Finished).
    let mut d = XorDecryptor::default();
    build(&handshake(&rustls::version::TLS12), Some(&mut d), false);
    assert_eq!(d.asked, [22, 22]);
    let mut d = XorDecryptor::default();
    // Protected-looking records before any ServerHello are not TLS 1.3's yet either.
    let t = build(
        &from_server(sealed(&[20, 0, 0, 0, 22]), 0),
        Some(&mut d),
        false,
    );
    assert_eq!(
        (d.asked.len(), t.messages[0].kind.name()),
        (0, "ApplicationData")
    );
}
