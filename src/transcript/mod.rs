//! From the recorded bytes to the list of handshake messages, in wire order. Pure: it reads a
//! [`Recording`] and never touches the connection; the TLS parsing itself is [`crate::wire`]'s.

mod fields;
mod state;

use std::time::Duration;

use crate::record::Recording;
use crate::report::{ms, Message, MessageFields, RecordKind, ServerKeyExchangeFields, Side};
use crate::wire;
use crate::wire::code_points::{ContentType, HandshakeType, SignatureScheme};
use crate::wire::record::{self, Record, Tail};

use state::State;

/// Opens TLS 1.3's protected records, for the transcript. Implemented from the key-log secrets
/// ([`crate::decrypt`]).
pub trait Decrypt {
    /// Decrypt one protected TLS 1.3 record (`header` is its 5-byte record header, the AEAD's
    /// additional data). Returns the inner content type and the content with padding stripped,
    /// or `None`.
    fn decrypt(
        &mut self,
        side: Side,
        header: &[u8],
        ciphertext: &[u8],
    ) -> Option<(ContentType, Vec<u8>)>;
    /// Told of each handshake message read from decrypted content, in order, so the
    /// implementation can move to the next traffic keys after Finished or KeyUpdate.
    fn on_handshake(&mut self, side: Side, msg_type: HandshakeType);
    /// Whether `verify_data`, the body of `side`'s decrypted Finished, is what the keys give
    /// for `handshake` (every handshake message before it, as on the wire, both sides in
    /// order). `None` when this decryptor cannot tell.
    fn check_finished(&mut self, side: Side, handshake: &[u8], verify_data: &[u8]) -> Option<bool> {
        let _ = (side, handshake, verify_data);
        None
    }
}

/// The messages of one connection, and what a caller needs to explain a handshake that failed.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    /// Every handshake message, alert, ChangeCipherSpec and protected record, in wire order.
    pub messages: Vec<Message>,
    /// The server's bytes are not TLS records (from the start, or after some records).
    pub server_not_tls: bool,
    /// Up to 64 bytes the server sent where a TLS record was expected, when `server_not_tls`.
    pub server_non_tls_bytes: Vec<u8>,
    /// How many bytes the server sent in all; 0 when it said nothing.
    pub server_bytes: usize,
    /// The recording ends inside a server record: the connection closed or failed mid-record.
    pub server_truncated: bool,
    /// The server sent more after the handshake than the recording keeps: the messages stop
    /// at the last record kept.
    pub cut: bool,
    /// Handshake messages whose bodies could not be read in full (their fields show what could).
    pub malformed: Vec<Malformed>,
    /// Handshake messages that began and did not end before the recording did (at most one
    /// per side).
    pub unfinished: Vec<Unfinished>,
}

/// Questions callers ask of a transcript, so none of them scans [`Transcript::messages`] itself.
impl Transcript {
    /// The first handshake message of type `kind` that `side` sent.
    pub fn first(&self, side: Side, kind: HandshakeType) -> Option<&Message> {
        self.messages
            .iter()
            .find(|m| m.from == side && m.kind == kind)
    }

    /// The server's ServerHello, once one arrived (it accepted our version and suite).
    pub fn server_hello(&self) -> Option<&Message> {
        self.first(Side::Server, HandshakeType::SERVER_HELLO)
    }

    /// The last message the server sent in a handshake record.
    pub fn last_server_handshake_message(&self) -> Option<&Message> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.from == Side::Server && m.record == RecordKind::Handshake)
    }

    /// The CA names of the server's CertificateRequest when it sent one (empty: any CA).
    pub fn certificate_request(&self) -> Option<&[String]> {
        let request = self.first(Side::Server, HandshakeType::CERTIFICATE_REQUEST)?;
        Some(match &request.fields {
            MessageFields::CertificateRequest(r) => &r.certificate_authorities,
            _ => &[],
        })
    }

    /// The client sent a Certificate message holding at least one certificate.
    pub fn sent_client_certificate(&self) -> bool {
        self.messages.iter().any(|m| {
            m.from == Side::Client
                && matches!(&m.fields, MessageFields::Certificate(c) if c.count > 0)
        })
    }

    /// The server's ServerKeyExchange, when it sent one that could be read.
    pub fn server_key_exchange(&self) -> Option<&ServerKeyExchangeFields> {
        match &self
            .first(Side::Server, HandshakeType::SERVER_KEY_EXCHANGE)?
            .fields
        {
            MessageFields::ServerKeyExchange(kx) => Some(kx),
            _ => None,
        }
    }

    /// The signature scheme of the server's ServerKeyExchange, when it sent a signed one.
    pub fn server_kx_signature_scheme(&self) -> Option<SignatureScheme> {
        self.server_key_exchange()?.signature_scheme
    }

    /// The ALPN protocol the server selected: in its ServerHello (TLS 1.2 and earlier) or its
    /// EncryptedExtensions (TLS 1.3, once decrypted).
    pub fn server_alpn(&self) -> Option<&str> {
        self.messages
            .iter()
            .filter(|m| m.from == Side::Server)
            .find_map(|m| match &m.fields {
                MessageFields::ServerHello(f) => f.alpn.as_deref(),
                MessageFields::EncryptedExtensions(f) => f.alpn.as_deref(),
                _ => None,
            })
    }

    /// The server sent a NewSessionTicket.
    pub fn server_sent_ticket(&self) -> bool {
        self.first(Side::Server, HandshakeType::NEW_SESSION_TICKET)
            .is_some()
    }

    /// The first bytes the server sent where a TLS record was expected, when its bytes are
    /// not TLS.
    pub fn server_non_tls(&self) -> Option<&[u8]> {
        self.server_not_tls
            .then_some(self.server_non_tls_bytes.as_slice())
    }
}

/// A handshake message that could not be read in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed {
    /// Its index in [`Transcript::messages`].
    pub message: usize,
    pub error: wire::Error,
}

/// A handshake message cut short by the end of the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub from: Side,
    /// Its type, or `None` when not even its type arrived.
    pub kind: Option<HandshakeType>,
    /// Bytes of its body that arrived.
    pub have: usize,
    /// The body length its header announced, when the header arrived whole.
    pub length: Option<usize>,
}

/// How many of the server's bytes [`Transcript::server_non_tls_bytes`] keeps.
const NON_TLS_SAMPLE: usize = 64;

/// Parse everything recorded. With a decryptor, TLS 1.3's protected records are opened and
/// their messages shown with their fields. With `keep_records`, the first message of each
/// record carries the record's bytes (for a hex dump). Never panics, whatever was recorded.
#[inline(never)] // see probe::session::run
pub fn build(rec: &Recording, decrypt: Option<&mut dyn Decrypt>, keep_records: bool) -> Transcript {
    let (client, _) = record::split(&rec.client);
    let (server, server_tail) = record::split(&rec.server);
    let mut out = Transcript {
        server_bytes: rec.server.len(),
        server_truncated: matches!(server_tail, Tail::Truncated { .. }),
        cut: rec.server_cut,
        ..Transcript::default()
    };
    if let Tail::NotTls { at } = server_tail {
        out.server_not_tls = true;
        let end = rec.server.len().min(at.saturating_add(NON_TLS_SAMPLE));
        out.server_non_tls_bytes = rec.server.get(at..end).unwrap_or_default().to_vec();
    }

    // Times count from the first byte the client wrote (the ClientHello's).
    let t0 = rec
        .events
        .iter()
        .find(|e| e.side == Side::Client)
        .map_or(Duration::ZERO, |e| e.at);
    let mut state = State::new(decrypt);
    for (at, side, r) in wire_order(rec, client, server) {
        let t_ms = ms(at.saturating_sub(t0));
        let first = state.messages.len();
        state.record(side, &r, t_ms);
        if keep_records {
            if let Some(m) = state.messages.get_mut(first) {
                m.record_bytes = Some([r.header, r.fragment].concat());
            }
        }
    }
    state.finish(&mut out);
    out
}

/// Both directions' records, interleaved in the order they crossed the wire, each with the
/// time of the event that carried its last byte (a record is whole only then).
fn wire_order<'a>(
    rec: &Recording,
    client: Vec<Record<'a>>,
    server: Vec<Record<'a>>,
) -> Vec<(Duration, Side, Record<'a>)> {
    let mut ordered: Vec<(usize, Side, Record<'a>)> =
        Vec::with_capacity(client.len() + server.len());
    for (side, records) in [(Side::Client, client), (Side::Server, server)] {
        // Events are in the order we made them and each side's offsets grow, so one pass finds them all.
        let mut ev = 0;
        for r in records {
            while let Some(e) = rec.events.get(ev) {
                if e.side == side && e.end >= r.end {
                    break;
                }
                ev += 1;
            }
            ordered.push((ev, side, r));
        }
    }
    // By the time each record was whole on the wire (server times are the kernel's arrival
    // times, which can come before a write we made earlier), then by event. Stable: a side's
    // records carried by one event keep their order. Records no event accounts for (a
    // recording without events) sort last, at time zero.
    let mut timed: Vec<(Duration, usize, Side, Record<'a>)> = ordered
        .into_iter()
        .map(|(ev, side, r)| {
            let at = rec.events.get(ev).map_or(Duration::ZERO, |e| e.at);
            let at = if ev < rec.events.len() {
                at
            } else {
                Duration::MAX
            };
            (at, ev, side, r)
        })
        .collect();
    timed.sort_by_key(|(at, ev, _, _)| (*at, *ev));
    timed
        .into_iter()
        .map(|(at, _, side, r)| {
            (
                if at == Duration::MAX {
                    Duration::ZERO
                } else {
                    at
                },
                side,
                r,
            )
        })
        .collect()
}

#[cfg(test)]
mod decrypt_slot;
#[cfg(test)]
mod handmade;
#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tests;
