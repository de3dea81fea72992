//! The transcript against real rustls handshakes, hand-made records and mutated input.

use super::*;
use crate::record::Event;

fn handshake(version: &'static rustls::SupportedProtocolVersion) -> Recording {
    crate::testutil::Pair::new(version).run().0
}

fn kinds(t: &Transcript) -> Vec<(Side, &str, bool)> {
    t.messages
        .iter()
        .map(|m| (m.from, m.kind.as_str(), m.encrypted))
        .collect()
}

/// The same bytes delivered one byte per read.
fn byte_by_byte(rec: &Recording) -> Recording {
    let mut out = Recording {
        client: rec.client.clone(),
        server: rec.server.clone(),
        events: Vec::new(),
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
        panic!("fields")
    };
    assert_eq!(ch.sni.as_deref(), Some("localhost"));
    assert_eq!(ch.alpn, vec!["h2"]);
    assert!(ch.extensions.iter().any(|e| e == "server_name"));
    let MessageFields::ServerHello(sh) = &t.messages[1].fields else {
        panic!("fields")
    };
    assert_eq!(sh.version, "TLSv1.2");
    assert!(
        sh.cipher_suite.starts_with("TLS_ECDHE_ECDSA_WITH_"),
        "{}",
        sh.cipher_suite
    );
    let MessageFields::Certificate(c) = &t.messages[2].fields else {
        panic!("fields")
    };
    assert_eq!((c.count, c.subjects[0].as_str()), (2, "CN=localhost"));
    let MessageFields::ServerKeyExchange(ske) = &t.messages[3].fields else {
        panic!("fields")
    };
    assert!(
        ske.group.is_some()
            && ske
                .signature_scheme
                .as_deref()
                .is_some_and(|s| s.starts_with("ecdsa_"))
    );
    assert!(t.messages.windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
    assert_eq!(t.messages[0].t_ms, 0.0);
    assert!(!t.server_not_tls);
}

#[test]
fn tls13_shows_the_hellos_and_the_encrypted_records() {
    let t = build(&handshake(&rustls::version::TLS13), None, false);
    assert_eq!(t.messages[0].kind, "ClientHello");
    assert_eq!(t.messages[1].kind, "ServerHello");
    let MessageFields::ServerHello(sh) = &t.messages[1].fields else {
        panic!("fields")
    };
    assert_eq!(sh.version, "TLSv1.3");
    assert!(sh.group.is_some());
    let rest = &t.messages[2..];
    assert!(rest
        .iter()
        .any(|m| m.from == Side::Server && m.kind == "ApplicationData" && m.encrypted));
    assert!(rest
        .iter()
        .any(|m| m.from == Side::Client && m.kind == "ApplicationData" && m.encrypted));
    assert!(
        rest.iter()
            .all(|m| m.kind == "ApplicationData" || m.kind == "ChangeCipherSpec"),
        "{:?}",
        kinds(&t)
    );
}

#[test]
fn records_split_across_reads_give_the_same_messages() {
    for v in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let rec = handshake(v);
        let whole = build(&rec, None, false);
        let split = build(&byte_by_byte(&rec), None, false);
        assert_eq!(kinds(&whole), kinds(&split));
    }
}

#[test]
fn several_messages_in_one_record_and_one_message_over_two_records() {
    // ServerHelloDone (type 14, empty) twice in one record, then a Finished-typed
    // message (type 20, 4 bytes) split over two records.
    let mut server = vec![22, 3, 3, 0, 8, 14, 0, 0, 0, 14, 0, 0, 0];
    server.extend_from_slice(&[22, 3, 3, 0, 3, 20, 0, 0]);
    server.extend_from_slice(&[22, 3, 3, 0, 5, 4, 1, 2, 3, 4]);
    let rec = Recording {
        client: Vec::new(),
        events: vec![Event {
            side: Side::Server,
            at: Duration::from_millis(1),
            end: server.len(),
        }],
        server,
    };
    let t = build(&rec, None, false);
    let names: Vec<_> = t
        .messages
        .iter()
        .map(|m| (m.kind.as_str(), m.length))
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
fn a_plaintext_server_is_not_tls() {
    let server = b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec();
    let rec = Recording {
        client: vec![22, 3, 1, 0, 0],
        events: vec![Event {
            side: Side::Server,
            at: Duration::ZERO,
            end: server.len(),
        }],
        server,
    };
    let t = build(&rec, None, false);
    assert!(t.server_not_tls);
    assert!(t
        .server_non_tls_bytes
        .starts_with(b"HTTP/1.1 400 Bad Request"));
}

/// A stand-in decryptor (XOR with 0x55, inner type last) proving the slot for TLS 1.3
/// decryption: opened records are parsed as handshake messages, and told back.
struct Xor(Vec<(Side, u8)>);

impl Decrypt for Xor {
    fn decrypt(&mut self, _: Side, _: &[u8], ciphertext: &[u8]) -> Option<(u8, Vec<u8>)> {
        let mut plain: Vec<u8> = ciphertext.iter().map(|b| b ^ 0x55).collect();
        let inner = plain.pop()?;
        Some((inner, plain))
    }
    fn on_handshake(&mut self, side: Side, msg_type: u8) {
        self.0.push((side, msg_type));
    }
}

#[test]
fn a_decryptor_opens_protected_records() {
    // EncryptedExtensions (8) with an empty extension list, then Finished (20), sealed.
    let inner: Vec<u8> = [8, 0, 0, 2, 0, 0, 20, 0, 0, 1, 7, 22]
        .iter()
        .map(|b| b ^ 0x55)
        .collect();
    let mut server = vec![23, 3, 3, 0, inner.len() as u8];
    server.extend_from_slice(&inner);
    let rec = Recording {
        client: Vec::new(),
        events: vec![Event {
            side: Side::Server,
            at: Duration::ZERO,
            end: server.len(),
        }],
        server,
    };
    let mut d = Xor(Vec::new());
    let t = build(&rec, Some(&mut d), false);
    let names: Vec<_> = t
        .messages
        .iter()
        .map(|m| (m.kind.as_str(), m.encrypted))
        .collect();
    assert_eq!(
        names,
        vec![("EncryptedExtensions", true), ("Finished", true)]
    );
    assert_eq!(d.0, vec![(Side::Server, 8), (Side::Server, 20)]);
}

/// xorshift64*: deterministic, dependency-free randomness for the robustness tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn recording_of(client: Vec<u8>, server: Vec<u8>, rng: &mut Rng) -> Recording {
    let mut events = Vec::new();
    let (mut c, mut s) = (0, 0);
    while c < client.len() || s < server.len() {
        if rng.below(2) == 0 && c < client.len() {
            c = (c + 1 + rng.below(300)).min(client.len());
            events.push(Event {
                side: Side::Client,
                at: Duration::from_micros(events.len() as u64),
                end: c,
            });
        } else if s < server.len() {
            s = (s + 1 + rng.below(300)).min(server.len());
            events.push(Event {
                side: Side::Server,
                at: Duration::from_micros(events.len() as u64),
                end: s,
            });
        }
    }
    Recording {
        client,
        server,
        events,
    }
}

#[test]
fn never_panics_on_random_or_mutated_input() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds = [
        handshake(&rustls::version::TLS12),
        handshake(&rustls::version::TLS13),
    ];
    for i in 0..3000 {
        let (client, server) = if i % 3 == 0 {
            let n = rng.below(2000);
            let mut server: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            // Often start like a record so the parsers below the record layer get exercised.
            if i % 2 == 0 && server.len() > 3 {
                server[0] = 20 + rng.below(5) as u8;
                server[1] = 3;
            }
            (Vec::new(), server)
        } else {
            let seed = &seeds[i % 2];
            let mut client = seed.client.clone();
            let mut server = seed.server.clone();
            for _ in 0..1 + rng.below(8) {
                let target = if rng.below(2) == 0 {
                    &mut client
                } else {
                    &mut server
                };
                if target.is_empty() {
                    continue;
                }
                let at = rng.below(target.len());
                match rng.below(3) {
                    0 => target[at] = rng.next() as u8,
                    1 => target.truncate(at),
                    _ => target.insert(at, rng.next() as u8),
                }
            }
            (client, server)
        };
        let rec = recording_of(client, server, &mut rng);
        let t = build(&rec, Some(&mut Xor(Vec::new())), i % 2 == 0);
        let _ = serde_json::to_string(&t.messages).unwrap();
    }
}
