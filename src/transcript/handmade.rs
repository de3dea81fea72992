//! The transcript against hand-made records: framing, timing, alerts, and what it notes about
//! bytes that are cut short, malformed or not TLS.

use std::time::Duration;

use super::*;
use crate::record::Event;
use crate::report::MessageFields;

/// A recording of the server's bytes only, delivered in one read at `ms`.
pub(super) fn from_server(server: Vec<u8>, ms: u64) -> Recording {
    Recording {
        client: Vec::new(),
        events: vec![Event {
            side: Side::Server,
            at: Duration::from_millis(ms),
            end: server.len(),
        }],
        server,
        server_cut: false,
        ..Recording::default()
    }
}

/// One record of `content_type` holding `fragment`, with a TLS 1.2 header.
pub(super) fn record(content_type: u8, fragment: &[u8]) -> Vec<u8> {
    let len = u16::try_from(fragment.len()).unwrap().to_be_bytes();
    [&[content_type, 3, 3, len[0], len[1]][..], fragment].concat()
}

/// A TLS 1.2 ServerHello handshake message choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.
fn tls12_server_hello() -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend_from_slice(&[7; 32]);
    body.extend_from_slice(&[0, 0xc0, 0x2f, 0]);
    [&[2, 0, 0, body.len() as u8][..], &body].concat()
}

#[test]
fn several_messages_in_one_record_and_one_message_over_two_records() {
    // ServerHelloDone (type 14, empty) twice in one record, then a Finished-typed
    // message (type 20, 4 bytes) split over two records.
    let mut server = record(22, &[14, 0, 0, 0, 14, 0, 0, 0]);
    server.extend_from_slice(&record(22, &[20, 0, 0]));
    server.extend_from_slice(&record(22, &[4, 1, 2, 3, 4]));
    let t = build(&from_server(server, 1), None, false);
    let names: Vec<_> = t
        .messages
        .iter()
        .map(|m| (m.kind.name(), m.length))
        .collect();
    assert_eq!(
        names,
        vec![
            ("ServerHelloDone", 0),
            ("ServerHelloDone", 0),
            ("Finished", 4)
        ]
    );
}

#[test]
fn a_message_is_timed_by_the_read_that_completed_it() {
    // A ClientHello-typed message at 10 ms; a server message whose two halves arrive at 12 and
    // 30 ms. Times count from the first client byte.
    let client = record(22, &[1, 0, 0, 0]);
    let mut server = record(22, &[14, 0, 0]);
    let first_half = server.len();
    server.extend_from_slice(&record(22, &[0]));
    let event = |side, ms, end| Event {
        side,
        at: Duration::from_millis(ms),
        end,
    };
    let rec = Recording {
        events: vec![
            event(Side::Client, 10, client.len()),
            event(Side::Server, 12, first_half),
            event(Side::Server, 30, server.len()),
        ],
        client,
        server,
        server_cut: false,
        ..Recording::default()
    };
    let t = build(&rec, None, false);
    let timed: Vec<_> = t.messages.iter().map(|m| (m.kind.name(), m.t_ms)).collect();
    assert_eq!(timed, vec![("ClientHello", 0.0), ("ServerHelloDone", 20.0)]);
}

#[test]
fn tls12_alerts_before_and_after_change_cipher_spec() {
    let mut server = record(22, &tls12_server_hello());
    server.extend_from_slice(&record(21, &[1, 112])); // warning unrecognized_name
    server.extend_from_slice(&record(20, &[1]));
    server.extend_from_slice(&record(22, &[0xab; 40])); // encrypted Finished
    server.extend_from_slice(&record(21, &[0xcd; 26])); // encrypted alert
    let t = build(&from_server(server, 0), None, false);
    let alerts: Vec<_> = t
        .messages
        .iter()
        .filter_map(|m| match &m.fields {
            MessageFields::Alert(a) => {
                Some((a.level.as_deref(), a.description.as_deref(), m.encrypted))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        alerts,
        vec![
            (Some("warning"), Some("unrecognized_name"), false),
            (None, None, true)
        ]
    );
    let finished = t
        .messages
        .iter()
        .find(|m| m.kind == HandshakeType::FINISHED)
        .unwrap();
    assert_eq!((finished.length, finished.encrypted), (40, true));
}

#[test]
fn a_plaintext_server_is_not_tls() {
    let server = b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec();
    let mut rec = from_server(server, 0);
    rec.client = vec![22, 3, 1, 0, 0];
    let t = build(&rec, None, false);
    assert!(t.server_not_tls);
    assert!(t
        .server_non_tls_bytes
        .starts_with(b"HTTP/1.1 400 Bad Request"));
    assert_eq!(t.server_bytes, 28);
    assert!(t.messages.is_empty());

    let silent = build(&Recording::default(), None, false);
    assert!(!silent.server_not_tls && silent.server_bytes == 0 && silent.messages.is_empty());
}

#[test]
fn cut_short_and_malformed_messages_are_noted() {
    // A ServerHello whose extensions block claims more than there is, then the first half of a
    // Certificate, then half a record.
    let mut hello = tls12_server_hello();
    hello[3] += 2;
    hello.extend_from_slice(&[0, 9]);
    let mut server = record(22, &hello);
    server.extend_from_slice(&record(22, &[11, 0, 1, 0, 0, 0]));
    server.extend_from_slice(&[22, 3, 3, 0, 9, 1]);
    let t = build(&from_server(server, 0), None, false);
    assert_eq!(t.messages.len(), 1);
    assert_eq!(
        t.malformed,
        vec![Malformed {
            message: 0,
            error: wire::Error::Truncated("extensions")
        }]
    );
    let MessageFields::ServerHello(sh) = &t.messages[0].fields else {
        panic!("{:?}", t.messages[0])
    };
    assert_eq!(sh.cipher_suite, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assert_eq!(
        t.unfinished,
        vec![Unfinished {
            from: Side::Server,
            kind: Some(HandshakeType::CERTIFICATE),
            have: 2,
            length: Some(256)
        }]
    );
    assert!(t.server_truncated && !t.server_not_tls);
}
