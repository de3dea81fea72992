//! From the recorded bytes to the list of handshake messages, in wire order. Pure: it reads a
//! [`Recording`] and never touches the connection.

use std::time::Duration;

use crate::record::Recording;
use crate::report::{AlertFields, Message, MessageFields, RecordKind, Side};
use crate::wire::handshake::{self, Context};
use crate::wire::names::{alert_name, handshake_name};
use crate::wire::reader::Reader;
use crate::wire::record::{self, Record, Tail};

/// Opens TLS 1.3's protected records, for the transcript. Implemented from the key-log secrets.
pub trait Decrypt {
    /// Decrypt one protected record (`header` is its 5-byte header, the AEAD's additional data).
    /// Returns the inner content type and the content with padding stripped, or `None`.
    fn decrypt(&mut self, side: Side, header: &[u8], ciphertext: &[u8]) -> Option<(u8, Vec<u8>)>;
    /// Told of each handshake message read from decrypted content, so the keys can move on
    /// after Finished or KeyUpdate.
    fn on_handshake(&mut self, side: Side, msg_type: u8);
}

/// The messages of one connection, and what the server's bytes looked like.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    pub messages: Vec<Message>,
    /// The server's bytes are not TLS records (from the start, or after some records).
    pub server_not_tls: bool,
    /// Up to 64 bytes the server sent where TLS was expected, when `server_not_tls`.
    pub server_non_tls_bytes: Vec<u8>,
}

impl Transcript {
    /// A printable quote of what a non-TLS server sent: text as text (control characters
    /// escaped), anything else in hex.
    pub fn server_quote(&self) -> String {
        let b = &self.server_non_tls_bytes;
        let printable = b
            .iter()
            .filter(|c| {
                c.is_ascii_graphic() || **c == b' ' || **c == b'\r' || **c == b'\n' || **c == b'\t'
            })
            .count();
        if !b.is_empty() && printable * 10 >= b.len() * 9 {
            format!("\"{}\"", String::from_utf8_lossy(b).escape_default())
        } else {
            b.iter()
                .map(|x| format!("{x:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// Per-direction parsing state.
#[derive(Default)]
struct Direction {
    /// Handshake bytes not yet forming a whole message.
    pending: Vec<u8>,
    /// TLS 1.2: this side has sent ChangeCipherSpec, so its records are now encrypted.
    ccs_seen: bool,
    /// TLS 1.2: the first encrypted handshake record (Finished) has been shown.
    finished_seen: bool,
}

/// Parse everything recorded. With a decryptor, TLS 1.3's protected records are opened and
/// their messages shown with their fields.
pub fn build(rec: &Recording, mut decrypt: Option<&mut dyn Decrypt>) -> Transcript {
    let (client, _) = record::split(&rec.client);
    let (server, server_tail) = record::split(&rec.server);
    let mut out = Transcript::default();
    if let Tail::NotTls { at } = server_tail {
        out.server_not_tls = true;
        let end = rec.server.len().min(at.saturating_add(64));
        out.server_non_tls_bytes = rec.server.get(at..end).unwrap_or_default().to_vec();
    }

    let t0 = rec
        .events
        .iter()
        .find(|e| e.side == Side::Client)
        .map_or(Duration::ZERO, |e| e.at);
    let mut ordered: Vec<(usize, Side, Record<'_>)> =
        Vec::with_capacity(client.len() + server.len());
    for (side, records) in [(Side::Client, client), (Side::Server, server)] {
        let mut ev = 0;
        for r in records {
            // The event that carried the record's last byte: events are in time order.
            while let Some(e) = rec.events.get(ev) {
                if e.side == side && e.end >= r.end {
                    break;
                }
                ev += 1;
            }
            ordered.push((ev, side, r));
        }
    }
    ordered.sort_by_key(|(ev, _, _)| *ev);

    let mut state = State {
        ctx: Context::default(),
        client: Direction::default(),
        server: Direction::default(),
        messages: Vec::new(),
    };
    for (ev, side, r) in ordered {
        let at = rec.events.get(ev).map_or(Duration::ZERO, |e| e.at);
        let t_ms = ms(at.saturating_sub(t0));
        state.record(side, &r, t_ms, decrypt.as_deref_mut());
    }
    out.messages = state.messages;
    out
}

/// When and from whom a message came.
#[derive(Clone, Copy)]
struct At {
    t_ms: f64,
    side: Side,
}

struct State {
    ctx: Context,
    client: Direction,
    server: Direction,
    messages: Vec<Message>,
}

impl State {
    fn dir(&mut self, side: Side) -> &mut Direction {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }

    fn push(
        &mut self,
        at: At,
        record: RecordKind,
        kind: String,
        length: usize,
        encrypted: bool,
        fields: MessageFields,
    ) {
        self.messages.push(Message {
            t_ms: at.t_ms,
            from: at.side,
            record,
            kind,
            length,
            encrypted,
            fields,
        });
    }

    fn record(
        &mut self,
        side: Side,
        r: &Record<'_>,
        t_ms: f64,
        decrypt: Option<&mut (dyn Decrypt + '_)>,
    ) {
        let at = At { t_ms, side };
        let tls12_encrypted = !self.ctx.is_tls13() && self.dir(side).ccs_seen;
        match r.content_type {
            record::CHANGE_CIPHER_SPEC => {
                // In TLS 1.3 a ChangeCipherSpec is only for middleboxes and changes nothing.
                if !self.ctx.is_tls13() {
                    self.dir(side).ccs_seen = true;
                }
                self.push(
                    at,
                    RecordKind::ChangeCipherSpec,
                    "ChangeCipherSpec".into(),
                    r.fragment.len(),
                    false,
                    MessageFields::None,
                );
            }
            record::ALERT if tls12_encrypted => {
                self.push(
                    at,
                    RecordKind::Alert,
                    "Alert".into(),
                    r.fragment.len(),
                    true,
                    MessageFields::Alert(AlertFields::default()),
                );
            }
            record::ALERT => self.alerts(side, r.fragment, t_ms, false),
            record::HANDSHAKE if tls12_encrypted => {
                let first = !self.dir(side).finished_seen;
                self.dir(side).finished_seen = true;
                let kind = if first {
                    "Finished"
                } else {
                    "EncryptedHandshake"
                };
                self.push(
                    at,
                    RecordKind::Handshake,
                    kind.into(),
                    r.fragment.len(),
                    true,
                    MessageFields::None,
                );
            }
            record::HANDSHAKE => self.handshake(side, r.fragment, t_ms, false, None),
            record::APPLICATION_DATA => {
                let opened = decrypt.and_then(|d| {
                    let (inner, plain) = d.decrypt(side, r.header, r.fragment)?;
                    Some((d, inner, plain))
                });
                match opened {
                    Some((d, record::HANDSHAKE, plain)) => {
                        self.handshake(side, &plain, t_ms, true, Some(d))
                    }
                    Some((_, record::ALERT, plain)) => self.alerts(side, &plain, t_ms, true),
                    Some((_, _, plain)) => {
                        self.push(
                            at,
                            RecordKind::ApplicationData,
                            "ApplicationData".into(),
                            plain.len(),
                            true,
                            MessageFields::None,
                        );
                    }
                    None => {
                        self.push(
                            at,
                            RecordKind::ApplicationData,
                            "ApplicationData".into(),
                            r.fragment.len(),
                            true,
                            MessageFields::None,
                        );
                    }
                }
            }
            record::HEARTBEAT => {
                self.push(
                    at,
                    RecordKind::Heartbeat,
                    "Heartbeat".into(),
                    r.fragment.len(),
                    tls12_encrypted,
                    MessageFields::None,
                );
            }
            other => {
                self.push(
                    at,
                    RecordKind::Unknown,
                    format!("Unknown({other})"),
                    r.fragment.len(),
                    false,
                    MessageFields::None,
                );
            }
        }
    }

    fn alerts(&mut self, side: Side, fragment: &[u8], t_ms: f64, encrypted: bool) {
        let at = At { t_ms, side };
        let mut r = Reader::new(fragment);
        while let Some(level) = r.u8() {
            let description = r.u8();
            let fields = AlertFields {
                level: Some(match level {
                    1 => "warning".to_string(),
                    2 => "fatal".to_string(),
                    n => format!("0x{n:02x}"),
                }),
                description: description.map(|d| alert_name(d).into_owned()),
            };
            self.push(
                at,
                RecordKind::Alert,
                "Alert".into(),
                2,
                encrypted,
                MessageFields::Alert(fields),
            );
        }
    }

    fn handshake(
        &mut self,
        side: Side,
        fragment: &[u8],
        t_ms: f64,
        encrypted: bool,
        mut decrypt: Option<&mut (dyn Decrypt + '_)>,
    ) {
        let at = At { t_ms, side };
        self.dir(side).pending.extend_from_slice(fragment);
        loop {
            let pending = &self.dir(side).pending;
            let mut r = Reader::new(pending);
            let (Some(msg_type), Some(len)) = (r.u8(), r.u24()) else {
                return;
            };
            let Some(body) = r.bytes(len) else {
                return;
            };
            let body = body.to_vec();
            self.dir(side).pending.drain(..4 + len);
            let (special, fields) = handshake::parse(msg_type, &body, &mut self.ctx);
            let kind =
                special.map_or_else(|| handshake_name(msg_type).into_owned(), str::to_string);
            self.push(at, RecordKind::Handshake, kind, len, encrypted, fields);
            if let Some(d) = decrypt.as_deref_mut() {
                d.on_handshake(side, msg_type);
            }
        }
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Event;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use rustls::{ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection};
    use std::sync::Arc;

    /// A real handshake between rustls peers in memory, recorded as the probe would see it.
    fn handshake(version: &'static rustls::SupportedProtocolVersion) -> Recording {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "test ca");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let key = rcgen::KeyPair::generate().unwrap();
        let mut leaf_params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        let leaf = leaf_params.signed_by(&key, &issuer).unwrap();

        let server = ServerConfig::builder_with_protocol_versions(&[version])
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone(), ca.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .unwrap();
        let mut roots = RootCertStore::empty();
        roots.add(CertificateDer::from(ca.der().to_vec())).unwrap();
        let mut client = ClientConfig::builder_with_protocol_versions(&[version])
            .with_root_certificates(roots)
            .with_no_client_auth();
        client.alpn_protocols = vec![b"h2".to_vec()];
        let mut c =
            ClientConnection::new(Arc::new(client), "localhost".try_into().unwrap()).unwrap();
        let mut s = ServerConnection::new(Arc::new(server)).unwrap();

        let mut rec = Recording::default();
        let mut clock = 0u64;
        for _ in 0..20 {
            let mut buf = Vec::new();
            while c.wants_write() {
                c.write_tls(&mut buf).unwrap();
            }
            if !buf.is_empty() {
                clock += 1;
                rec.client.extend_from_slice(&buf);
                rec.events.push(Event {
                    side: Side::Client,
                    at: Duration::from_millis(clock),
                    end: rec.client.len(),
                });
                s.read_tls(&mut &buf[..]).unwrap();
                s.process_new_packets().unwrap();
            }
            let mut buf = Vec::new();
            while s.wants_write() {
                s.write_tls(&mut buf).unwrap();
            }
            if !buf.is_empty() {
                clock += 1;
                rec.server.extend_from_slice(&buf);
                rec.events.push(Event {
                    side: Side::Server,
                    at: Duration::from_millis(clock),
                    end: rec.server.len(),
                });
                c.read_tls(&mut &buf[..]).unwrap();
                c.process_new_packets().unwrap();
            }
            if !c.is_handshaking() && !s.is_handshaking() && !c.wants_write() && !s.wants_write() {
                break;
            }
        }
        assert!(!c.is_handshaking(), "handshake completed");
        rec
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
        let t = build(&handshake(&rustls::version::TLS12), None);
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
        let t = build(&handshake(&rustls::version::TLS13), None);
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
            let whole = build(&rec, None);
            let split = build(&byte_by_byte(&rec), None);
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
        let t = build(&rec, None);
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
        let t = build(&rec, None);
        assert!(t.server_not_tls);
        assert!(
            t.server_quote().starts_with("\"HTTP/1.1 400 Bad Request"),
            "{}",
            t.server_quote()
        );
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
        let t = build(&rec, Some(&mut d));
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
            let t = build(&rec, Some(&mut Xor(Vec::new())));
            let _ = t.server_quote();
            let _ = serde_json::to_string(&t.messages).unwrap();
        }
    }
}
