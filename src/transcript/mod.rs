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
/// their messages shown with their fields. With `keep_records`, the first message of each
/// record carries the record's bytes (for a hex dump).
pub fn build(
    rec: &Recording,
    mut decrypt: Option<&mut dyn Decrypt>,
    keep_records: bool,
) -> Transcript {
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
        let first = state.messages.len();
        state.record(side, &r, t_ms, decrypt.as_deref_mut());
        if keep_records {
            if let Some(m) = state.messages.get_mut(first) {
                m.record_bytes = Some([r.header, r.fragment].concat());
            }
        }
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
            record_bytes: None,
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
mod tests;
