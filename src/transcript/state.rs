//! What the transcript knows as it walks the records: the negotiated state, each direction's
//! handshake reassembly and encryption status, and the messages so far.

use super::fields::{alert_fields, message_fields};
use super::{Decrypt, Malformed, Transcript, Unfinished};
use crate::report::{
    AlertFields, FinishedFields, Message, MessageFields, MessageKind, RecordKind, Side,
};
use crate::wire::alert::alerts;
use crate::wire::code_points::HandshakeType;
use crate::wire::handshake::{parse_message, Context};
use crate::wire::reassembly::Reassembler;
use crate::wire::record::{self, Record};

/// One direction's parsing state.
#[derive(Default)]
struct Direction {
    handshake: Reassembler,
    /// TLS 1.2 and earlier: this side has sent ChangeCipherSpec, so its records are encrypted.
    ccs_seen: bool,
    /// TLS 1.2 and earlier: the first encrypted handshake record (Finished) has been shown.
    finished_seen: bool,
}

/// When and from whom a message came.
#[derive(Clone, Copy)]
struct At {
    t_ms: f64,
    side: Side,
}

pub(super) struct State<'d> {
    ctx: Context,
    client: Direction,
    server: Direction,
    decrypt: Option<&'d mut dyn Decrypt>,
    /// Every handshake message so far, both sides in order, as on the wire (type, length,
    /// body): what a Finished's verify_data covers.
    handshake_log: Vec<u8>,
    pub messages: Vec<Message>,
    malformed: Vec<Malformed>,
}

impl<'d> State<'d> {
    pub fn new(decrypt: Option<&'d mut dyn Decrypt>) -> Self {
        State {
            ctx: Context::default(),
            client: Direction::default(),
            server: Direction::default(),
            decrypt,
            handshake_log: Vec::new(),
            messages: Vec::new(),
            malformed: Vec::new(),
        }
    }

    /// Hand over what was learnt, and note the handshake messages left unfinished.
    pub fn finish(self, out: &mut Transcript) {
        out.messages = self.messages;
        out.malformed = self.malformed;
        for (side, dir) in [(Side::Client, &self.client), (Side::Server, &self.server)] {
            if let Some(p) = dir.handshake.partial() {
                out.unfinished.push(Unfinished {
                    from: side,
                    kind: p.msg_type,
                    have: p.have,
                    length: p.length,
                });
            }
        }
    }

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
        kind: MessageKind,
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

    /// Add the messages of one record.
    pub fn record(&mut self, side: Side, r: &Record<'_>, t_ms: f64) {
        let at = At { t_ms, side };
        let length = r.fragment.len();
        // TLS 1.3 protects records as application_data, whatever they hold; before it, a
        // side's records are encrypted (under their own content type) once it has sent
        // ChangeCipherSpec.
        let tls12_encrypted = !self.ctx.is_tls13() && self.dir(side).ccs_seen;
        if tls12_encrypted && r.content_type != record::CHANGE_CIPHER_SPEC {
            // Opened with the master secret when the decryptor can (TLS 1.2 AEAD suites).
            if let Some((inner, plain)) = self
                .decrypt
                .as_deref_mut()
                .and_then(|d| d.decrypt(side, r.header, r.fragment))
            {
                match inner {
                    record::HANDSHAKE => self.handshake(at, &plain, true),
                    record::ALERT => self.alerts(at, &plain, true),
                    _ => self.application_data(at, plain.len()),
                }
                return;
            }
        }
        match r.content_type {
            record::CHANGE_CIPHER_SPEC => {
                // In TLS 1.3 a ChangeCipherSpec is only for middleboxes and changes nothing.
                if !self.ctx.is_tls13() {
                    self.dir(side).ccs_seen = true;
                }
                let kind = RecordKind::ChangeCipherSpec;
                self.push(
                    at,
                    kind,
                    MessageKind::ChangeCipherSpec,
                    length,
                    false,
                    MessageFields::None,
                );
            }
            record::ALERT if tls12_encrypted => {
                let fields = MessageFields::Alert(AlertFields::default());
                self.push(
                    at,
                    RecordKind::Alert,
                    MessageKind::Alert,
                    length,
                    true,
                    fields,
                );
            }
            record::ALERT => self.alerts(at, r.fragment, false),
            record::HANDSHAKE if tls12_encrypted => {
                // The first encrypted handshake message is Finished; anything later (a
                // renegotiation) cannot be named without the keys.
                let first = !std::mem::replace(&mut self.dir(side).finished_seen, true);
                let kind = if first {
                    MessageKind::Handshake(HandshakeType::FINISHED)
                } else {
                    MessageKind::EncryptedHandshake
                };
                let fields = if first {
                    MessageFields::Finished(FinishedFields::default())
                } else {
                    MessageFields::None
                };
                self.push(at, RecordKind::Handshake, kind, length, true, fields);
            }
            record::HANDSHAKE => self.handshake(at, r.fragment, false),
            record::APPLICATION_DATA => self.protected(at, r),
            record::HEARTBEAT => {
                let kind = RecordKind::Heartbeat;
                self.push(
                    at,
                    kind,
                    MessageKind::Heartbeat,
                    length,
                    tls12_encrypted,
                    MessageFields::None,
                );
            }
            other => {
                let kind = MessageKind::UnknownRecord(other);
                let fields = MessageFields::None;
                self.push(at, RecordKind::Unknown, kind, length, false, fields);
            }
        }
    }

    /// An application_data record: in TLS 1.3, opened when the decryptor can.
    /// An application-data record: opened (`length` is the plaintext's) or not (the
    /// ciphertext's).
    fn application_data(&mut self, at: At, length: usize) {
        self.push(
            at,
            RecordKind::ApplicationData,
            MessageKind::ApplicationData,
            length,
            true,
            MessageFields::None,
        );
    }

    fn protected(&mut self, at: At, r: &Record<'_>) {
        let opened = match self.decrypt.as_deref_mut() {
            Some(d) if self.ctx.is_tls13() => d.decrypt(at.side, r.header, r.fragment),
            _ => None,
        };
        let Some((inner, plain)) = opened else {
            self.application_data(at, r.fragment.len());
            return;
        };
        match inner {
            record::HANDSHAKE => self.handshake(at, &plain, true),
            record::ALERT => self.alerts(at, &plain, true),
            record::APPLICATION_DATA => self.application_data(at, plain.len()),
            other => {
                let (kind, length) = (RecordKind::Unknown, plain.len());
                self.push(
                    at,
                    kind,
                    MessageKind::UnknownRecord(other),
                    length,
                    true,
                    MessageFields::None,
                );
            }
        }
    }

    fn alerts(&mut self, at: At, fragment: &[u8], encrypted: bool) {
        for alert in alerts(fragment) {
            let fields = alert_fields(alert);
            self.push(
                at,
                RecordKind::Alert,
                MessageKind::Alert,
                2,
                encrypted,
                fields,
            );
        }
    }

    /// Handshake bytes (a plaintext record's fragment, or decrypted content): every message
    /// they complete.
    fn handshake(&mut self, at: At, fragment: &[u8], decrypted: bool) {
        self.dir(at.side).handshake.push(fragment);
        while let Some(m) = self.dir(at.side).handshake.next_message() {
            let parsed = parse_message(m.msg_type, &m.body, &mut self.ctx);
            if let Some(error) = parsed.error {
                let message = self.messages.len();
                self.malformed.push(Malformed { message, error });
            }
            let (kind, length) = (RecordKind::Handshake, m.body.len());
            let fields = if m.msg_type == HandshakeType::FINISHED {
                let verified = match self.decrypt.as_deref_mut() {
                    Some(d) if decrypted => d.check_finished(at.side, &self.handshake_log, &m.body),
                    _ => None,
                };
                MessageFields::Finished(FinishedFields { verified })
            } else {
                message_fields(parsed.fields)
            };
            self.push(at, kind, parsed.kind.into(), length, decrypted, fields);
            // HelloRequest is no part of the handshake hash (RFC 5246 section 7.4.1.1).
            if m.msg_type != HandshakeType::HELLO_REQUEST {
                let len = u32::try_from(m.body.len()).unwrap_or(0).to_be_bytes();
                self.handshake_log.push(m.msg_type.0);
                self.handshake_log.extend_from_slice(&len[1..]);
                self.handshake_log.extend_from_slice(&m.body);
            }
            if decrypted {
                if let Some(d) = self.decrypt.as_deref_mut() {
                    d.on_handshake(at.side, m.msg_type);
                }
            }
        }
    }
}
