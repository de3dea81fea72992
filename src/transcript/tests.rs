//! The transcript against real rustls handshakes: the message list, the fields a user checks,
//! and the same bytes delivered in other ways.

use super::*;
use crate::record::Event;
use crate::report::{MessageFields, MessageKind, RecordKind};
use crate::testutil::Pair;

pub(super) fn handshake(version: &'static rustls::SupportedProtocolVersion) -> Recording {
    Pair::new(version).run().0
}

fn kinds(t: &Transcript) -> Vec<(Side, &str, bool)> {
    t.messages
        .iter()
        .map(|m| (m.from, m.kind.name(), m.encrypted))
        .collect()
}

/// The same bytes delivered one byte per read.
fn byte_by_byte(rec: &Recording) -> Recording {
    let mut out = Recording {
        client: rec.client.clone(),
        server: rec.server.clone(),
        events: Vec::new(),
        server_cut: false,
        ..Recording::default()
    };
    let mut start = [0usize; 2];
    for e in &rec.events {
        let i = usize::from(e.side == Side::Server);
        for end in start[i] + 1..=e.end {
            out.events.push(Event {
                side: e.side,
                at: e.at,
                end,
            });
        }
        start[i] = e.end;
    }
    out
}

#[test]
fn tls12_messages_in_wire_order() {
    let t = build(&handshake(&rustls::version::TLS12), None, false);
    use Side::*;
    assert_eq!(
        kinds(&t),
        vec![
            (Client, "ClientHello", false),
            (Server, "ServerHello", false),
            (Server, "Certificate", false),
            (Server, "ServerKeyExchange", false),
            (Server, "ServerHelloDone", false),
            (Client, "ClientKeyExchange", false),
            (Client, "ChangeCipherSpec", false),
            (Client, "Finished", true),
            (Server, "ChangeCipherSpec", false),
            (Server, "Finished", true),
        ]
    );
    let MessageFields::ClientHello(ch) = &t.messages[0].fields else {
        panic!("{:?}", t.messages[0])
    };
    assert_eq!(ch.sni.as_deref(), Some("localhost"));
    assert_eq!(ch.alpn, vec!["h2"]);
    assert_eq!(ch.legacy_version, "TLSv1.2");
    assert!(ch
        .cipher_suites
        .iter()
        .any(|s| s == "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
    assert!(ch.extensions.iter().any(|e| e == "server_name"));
    let MessageFields::ServerHello(sh) = &t.messages[1].fields else {
        panic!("{:?}", t.messages[1])
    };
    assert_eq!(sh.version, "TLSv1.2");
    assert!(
        sh.cipher_suite.starts_with("TLS_ECDHE_ECDSA_WITH_"),
        "{}",
        sh.cipher_suite
    );
    assert_eq!(sh.group, None);
    let MessageFields::Certificate(c) = &t.messages[2].fields else {
        panic!("{:?}", t.messages[2])
    };
    assert_eq!(c.count, 2);
    assert_eq!(c.subjects, vec!["CN=localhost", "CN=test ca"]);
    let MessageFields::ServerKeyExchange(ske) = &t.messages[3].fields else {
        panic!("{:?}", t.messages[3])
    };
    assert_eq!(ske.group.as_deref(), Some("X25519"));
    assert_eq!(ske.dh_bits, None);
    assert_eq!(
        ske.signature_scheme,
        Some(SignatureScheme::ECDSA_SECP256R1_SHA256)
    );
    // Record-level messages are as long as their fragment; TLS 1.2's Finished is 12 bytes
    // of verify_data in a 4-byte header, sealed with an 8-byte nonce and a 16-byte tag.
    assert_eq!(t.messages[6].length, 1);
    assert_eq!(t.messages[7].length, 40);
    assert!(t.messages.windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
    assert_eq!(t.messages[0].t_ms, 0.0);
    assert!(!t.server_not_tls && !t.server_truncated && t.server_bytes > 0);
    assert!(t.malformed.is_empty() && t.unfinished.is_empty());
}

#[test]
fn tls13_shows_the_hellos_and_the_encrypted_records() {
    let t = build(&handshake(&rustls::version::TLS13), None, false);
    assert_eq!(t.messages[0].kind, HandshakeType::CLIENT_HELLO);
    let MessageFields::ClientHello(ch) = &t.messages[0].fields else {
        panic!("{:?}", t.messages[0])
    };
    assert_eq!(ch.sni.as_deref(), Some("localhost"));
    assert_eq!(ch.alpn, vec!["h2"]);
    assert_eq!(ch.versions, vec!["TLSv1.3"]);
    assert!(ch
        .cipher_suites
        .iter()
        .any(|s| s == "TLS_AES_128_GCM_SHA256"));
    assert!(ch.key_share_groups.iter().any(|g| g == "X25519"));
    assert!(ch.groups.iter().any(|g| g == "secp256r1"));
    assert!(ch.signature_algorithms.iter().any(|s| s == "ed25519"));
    assert_eq!(t.messages[1].kind, HandshakeType::SERVER_HELLO);
    let MessageFields::ServerHello(sh) = &t.messages[1].fields else {
        panic!("{:?}", t.messages[1])
    };
    assert_eq!(sh.version, "TLSv1.3");
    assert!(sh.cipher_suite.starts_with("TLS_"), "{}", sh.cipher_suite);
    let group = sh.group.as_deref().unwrap_or("none");
    assert!(ch.key_share_groups.iter().any(|g| g == group), "{group}");
    assert!(sh.extensions.iter().any(|e| e == "supported_versions"));
    let rest = &t.messages[2..];
    let protected = |side| {
        rest.iter().any(|m| {
            m.from == side
                && m.kind == MessageKind::ApplicationData
                && m.encrypted
                && matches!(m.fields, MessageFields::None)
        })
    };
    assert!(protected(Side::Server) && protected(Side::Client));
    assert!(
        rest.iter()
            .all(|m| m.kind == MessageKind::ApplicationData
                || m.kind == MessageKind::ChangeCipherSpec),
        "{:?}",
        kinds(&t)
    );
    assert!(t.malformed.is_empty());
}

#[test]
fn hello_retry_request_then_a_second_client_hello() {
    // The client sends key shares for X25519MLKEM768 and X25519 only; this server wants
    // secp384r1.
    let (rec, _) = Pair {
        server_group: Some(0x0018),
        ..Pair::new(&rustls::version::TLS13)
    }
    .run();
    let t = build(&rec, None, false);
    let hellos: Vec<_> = t
        .messages
        .iter()
        .filter(|m| m.record == RecordKind::Handshake)
        .map(|m| (m.from, m.kind.name()))
        .take(4)
        .collect();
    assert_eq!(hellos, crate::testutil::HELLO_RETRY);
    let hrr = t
        .messages
        .iter()
        .find(|m| m.kind == HandshakeType::HELLO_RETRY_REQUEST)
        .unwrap();
    let MessageFields::ServerHello(f) = &hrr.fields else {
        panic!("{hrr:?}")
    };
    assert_eq!(
        (f.version.as_str(), f.group.as_deref()),
        ("TLSv1.3", Some("secp384r1"))
    );
    let second = t
        .messages
        .iter()
        .filter(|m| m.kind == HandshakeType::CLIENT_HELLO)
        .nth(1)
        .unwrap();
    let MessageFields::ClientHello(ch) = &second.fields else {
        panic!("{second:?}")
    };
    assert_eq!(ch.key_share_groups, vec!["secp384r1"]);
}

#[test]
fn records_split_across_reads_give_the_same_messages() {
    for v in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let rec = handshake(v);
        let whole = build(&rec, None, false);
        let split = build(&byte_by_byte(&rec), None, false);
        assert_eq!(kinds(&whole), kinds(&split));
        let times = |t: &Transcript| t.messages.iter().map(|m| m.t_ms).collect::<Vec<_>>();
        assert_eq!(times(&whole), times(&split));
    }
}

#[test]
fn kept_records_go_with_the_first_message_of_each_record() {
    let rec = handshake(&rustls::version::TLS12);
    let t = build(&rec, None, true);
    let first = t.messages[0].record_bytes.as_deref().unwrap();
    assert_eq!(first, &rec.client[..first.len()]);
    // Certificate, ServerKeyExchange and ServerHelloDone share the ServerHello's record.
    assert!(t.messages[1].record_bytes.is_some());
    assert!(t.messages[2..5].iter().all(|m| m.record_bytes.is_none()));
    assert!(build(&rec, None, false)
        .messages
        .iter()
        .all(|m| m.record_bytes.is_none()));
}
