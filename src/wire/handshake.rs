//! Handshake messages: the type and fields tlsprobe shows for each message type.

use super::auth::{certificate, certificate_request, certificate_verify};
use super::code_points::{CipherSuite, ExtensionType, HandshakeType, ProtocolVersion};
use super::error::{Error, Need};
use super::hello::{client_hello, each_extension, selected_protocol};
use super::key_exchange::server_key_exchange;
use super::reader::Reader;

pub use super::auth::{Certificate, CertificateRequest, CertificateVerify};
pub use super::hello::{ClientHello, ServerHello};
pub use super::key_exchange::ServerKeyExchange;

/// What the parser has learnt so far of the connection, which later messages depend on. A
/// ServerHello (or HelloRetryRequest) sets it; [`parse_message`] keeps it up to date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The version the server selected.
    pub version: Option<ProtocolVersion>,
    /// The cipher suite the server selected.
    pub suite: Option<CipherSuite>,
}

impl Context {
    pub fn is_tls13(&self) -> bool {
        self.version == Some(ProtocolVersion::TLS1_3)
    }
}

/// TLS 1.3's EncryptedExtensions: what the server agreed to beyond the ServerHello.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncryptedExtensions {
    /// The ALPN protocol the server selected, if any.
    pub alpn: Option<String>,
    /// In the order sent.
    pub extensions: Vec<ExtensionType>,
}

/// A session ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSessionTicket {
    /// How long the ticket may be used, in seconds.
    pub lifetime_s: Option<u32>,
    /// TLS 1.3 early_data extension: how much 0-RTT data the server would accept.
    pub max_early_data: Option<u32>,
}

/// TLS 1.3 KeyUpdate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyUpdate {
    /// The sender asks the peer to update its keys too.
    pub update_requested: Option<bool>,
}

/// The fields of one handshake message, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fields {
    /// The type has none (ServerHelloDone, Finished, ...), or the fixed start of the body
    /// could not be read.
    None,
    ClientHello(ClientHello),
    ServerHello(ServerHello),
    Certificate(Certificate),
    ServerKeyExchange(ServerKeyExchange),
    EncryptedExtensions(EncryptedExtensions),
    CertificateVerify(CertificateVerify),
    CertificateRequest(CertificateRequest),
    NewSessionTicket(NewSessionTicket),
    KeyUpdate(KeyUpdate),
}

/// One handshake message, read.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The message's type; [`HandshakeType::HELLO_RETRY_REQUEST`] for a ServerHello carrying
    /// that random.
    pub kind: HandshakeType,
    /// The fields of the message's type; [`Fields::None`] for a type that has none, or when
    /// the fixed start of the body could not be read.
    pub fields: Fields,
    /// The first thing wrong with the body, if anything was: `fields` then hold what was read
    /// before it.
    pub error: Option<Error>,
}

/// Read one handshake message (its type and body, without the 4-byte header). Never fails and
/// never panics: a malformed body yields what could be read, and the error.
pub fn parse_message(msg_type: HandshakeType, body: &[u8], ctx: &mut Context) -> Parsed {
    let mut kind = msg_type;
    let (fields, error) = match msg_type {
        HandshakeType::CLIENT_HELLO => client_hello(body).into_fields(Fields::ClientHello),
        HandshakeType::SERVER_HELLO => {
            let read = super::hello::server_hello(body);
            if let Some(sh) = &read.fields {
                // A HelloRetryRequest already fixes the version (only TLS 1.3 has one), which
                // matters for what a ChangeCipherSpec after it means.
                ctx.version = Some(sh.version);
                ctx.suite = Some(sh.cipher_suite);
                if sh.retry_request {
                    kind = HandshakeType::HELLO_RETRY_REQUEST;
                }
            }
            read.into_fields(Fields::ServerHello)
        }
        HandshakeType::CERTIFICATE => {
            certificate(body, ctx.is_tls13()).into_fields(Fields::Certificate)
        }
        HandshakeType::SERVER_KEY_EXCHANGE => {
            server_key_exchange(body, ctx).into_fields(Fields::ServerKeyExchange)
        }
        HandshakeType::ENCRYPTED_EXTENSIONS => {
            encrypted_extensions(body).into_fields(Fields::EncryptedExtensions)
        }
        HandshakeType::CERTIFICATE_VERIFY => {
            certificate_verify(body, ctx.version).into_fields(Fields::CertificateVerify)
        }
        HandshakeType::CERTIFICATE_REQUEST => {
            certificate_request(body, ctx.version).into_fields(Fields::CertificateRequest)
        }
        HandshakeType::NEW_SESSION_TICKET => {
            new_session_ticket(body, ctx.is_tls13()).into_fields(Fields::NewSessionTicket)
        }
        HandshakeType::KEY_UPDATE => key_update(body).into_fields(Fields::KeyUpdate),
        HandshakeType::HELLO_REQUEST
        | HandshakeType::SERVER_HELLO_DONE
        | HandshakeType::END_OF_EARLY_DATA => {
            (Fields::None, Reader::new(body).end("message").err())
        }
        _ => (Fields::None, None),
    };
    Parsed {
        kind,
        fields,
        error,
    }
}

/// A ServerHello's (or HelloRetryRequest's) body read as far as its fixed start and
/// extensions go: what it chose, or `None` when its fixed start is cut short.
pub fn server_hello(body: &[u8]) -> Option<ServerHello> {
    super::hello::server_hello(body).fields
}

/// One handshake message, framed: its type, then its body with a three-byte length. The
/// inverse of [`crate::wire::reassembly::Reassembler`]'s framing.
pub fn encode_message(msg_type: HandshakeType, out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    use super::codec::{vec24, Codec};
    msg_type.encode(out);
    vec24(out, body);
}

/// The whole handshake messages at the start of `bytes` (a direction's handshake records'
/// fragments, joined), each as its type and body, in order; a last message cut short is left
/// out.
pub fn messages(bytes: &[u8]) -> Vec<(HandshakeType, &[u8])> {
    let mut r = Reader::new(bytes);
    let mut out = Vec::new();
    while let (Some(msg_type), Some(body)) = (r.u8(), r.vec24()) {
        out.push((HandshakeType(msg_type), body.rest()));
    }
    out
}

/// What a message parser read: the fields, once the fixed start of the message could be read,
/// and the first problem met (the fields then hold what came before it).
pub(super) struct Read<T> {
    pub fields: Option<T>,
    pub error: Option<Error>,
}

impl<T> Read<T> {
    /// `head` is the fixed start of the message; `rest` reads the remainder into its fields.
    pub fn of(head: Result<T, Error>, rest: impl FnOnce(&mut T) -> Result<(), Error>) -> Self {
        match head {
            Err(e) => Read {
                fields: None,
                error: Some(e),
            },
            Ok(mut fields) => {
                let error = rest(&mut fields).err();
                Read {
                    fields: Some(fields),
                    error,
                }
            }
        }
    }

    /// Nothing to read, and nothing wrong: e.g. a ServerKeyExchange of a key exchange we do
    /// not decode.
    pub fn nothing() -> Self {
        Read {
            fields: None,
            error: None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        Read {
            fields: self.fields.map(f),
            error: self.error,
        }
    }

    fn into_fields(self, wrap: fn(T) -> Fields) -> (Fields, Option<Error>) {
        (self.fields.map_or(Fields::None, wrap), self.error)
    }
}

fn encrypted_extensions(body: &[u8]) -> Read<EncryptedExtensions> {
    let mut r = Reader::new(body);
    let head = r.vec16().need("extensions");
    let framing = r.end("extensions");
    Read::of(
        head.map(|exts| (exts, EncryptedExtensions::default())),
        |(exts, out)| {
            let read = each_extension(exts.clone(), |typ, data| {
                out.extensions.push(typ);
                if typ == ExtensionType::ALPN {
                    out.alpn = selected_protocol(data)?;
                }
                Ok(())
            });
            read.and(framing)
        },
    )
    .map(|(_, fields)| fields)
}

/// RFC 5077 (TLS 1.2) and RFC 8446 section 4.6.1 (TLS 1.3).
fn new_session_ticket(body: &[u8], tls13: bool) -> Read<NewSessionTicket> {
    let mut r = Reader::new(body);
    let head = r.u32().need("ticket_lifetime").map(|s| NewSessionTicket {
        lifetime_s: Some(s),
        max_early_data: None,
    });
    Read::of(head, |out| {
        if !tls13 {
            r.vec16().need("ticket")?;
            return r.end("ticket");
        }
        r.u32().need("ticket_age_add")?;
        r.vec8().need("ticket_nonce")?;
        r.vec16().need("ticket")?;
        let exts = r.vec16().need("extensions")?;
        let framing = r.end("extensions");
        let read = each_extension(exts, |typ, mut data| {
            if typ == ExtensionType::EARLY_DATA {
                out.max_early_data = Some(data.u32().need("max_early_data_size")?);
            }
            Ok(())
        });
        read.and(framing)
    })
}

fn key_update(body: &[u8]) -> Read<KeyUpdate> {
    let mut r = Reader::new(body);
    let head = r.u8().need("request_update").map(|b| KeyUpdate {
        update_requested: Some(b == 1),
    });
    Read::of(head, |_| r.end("request_update"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_fields_of_the_small_messages() {
        let mut ctx = Context {
            version: Some(ProtocolVersion::TLS1_3),
            ..Default::default()
        };
        let p = parse_message(HandshakeType::KEY_UPDATE, &[1], &mut ctx);
        assert_eq!(p.kind, HandshakeType::KEY_UPDATE);
        assert_eq!(
            p.fields,
            Fields::KeyUpdate(KeyUpdate {
                update_requested: Some(true)
            })
        );
        // TLS 1.3 ticket: lifetime 7200, early_data allowing 16384 bytes.
        let mut nst = vec![0, 0, 0x1c, 0x20, 0, 0, 0, 1, 1, 9, 0, 1, 7, 0, 8];
        nst.extend_from_slice(&[0, 42, 0, 4, 0, 0, 0x40, 0]);
        let p = parse_message(HandshakeType::NEW_SESSION_TICKET, &nst, &mut ctx);
        assert_eq!(p.error, None);
        let Fields::NewSessionTicket(t) = p.fields else {
            panic!("{:?}", p.fields)
        };
        assert_eq!((t.lifetime_s, t.max_early_data), (Some(7200), Some(16384)));
        // EncryptedExtensions choosing h2.
        let ee = [0, 9, 0, 16, 0, 5, 0, 3, 2, b'h', b'2'];
        let p = parse_message(HandshakeType::ENCRYPTED_EXTENSIONS, &ee, &mut ctx);
        let Fields::EncryptedExtensions(e) = p.fields else {
            panic!()
        };
        assert_eq!(e.alpn.as_deref(), Some("h2"));
        assert_eq!(e.extensions, vec![ExtensionType::ALPN]);
        // Types without fields, and unknown ones.
        let p = parse_message(HandshakeType::SERVER_HELLO_DONE, &[], &mut ctx);
        assert_eq!((p.kind, p.error), (HandshakeType::SERVER_HELLO_DONE, None));
        let p = parse_message(HandshakeType(99), &[1, 2], &mut ctx);
        assert_eq!((p.kind, p.fields), (HandshakeType(99), Fields::None));
        assert_eq!(
            parse_message(HandshakeType::SERVER_HELLO_DONE, &[0], &mut ctx).error,
            Some(Error::TrailingBytes {
                after: "message",
                extra: 1
            })
        );
    }

    #[test]
    fn a_server_hello_sets_the_context() {
        // TLS 1.2 ServerHello choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, with ALPN h2.
        let mut sh = vec![3, 3];
        sh.extend_from_slice(&[7; 32]);
        sh.extend_from_slice(&[0, 0xc0, 0x2f, 0, 0, 9, 0, 16, 0, 5, 0, 3, 2, b'h', b'2']);
        let mut ctx = Context::default();
        let p = parse_message(HandshakeType::SERVER_HELLO, &sh, &mut ctx);
        assert_eq!((p.kind, p.error), (HandshakeType::SERVER_HELLO, None));
        assert_eq!(
            ctx,
            Context {
                version: Some(ProtocolVersion::TLS1_2),
                suite: Some(CipherSuite(0xc02f)),
            }
        );
        let chosen = server_hello(&sh).map(|s| (s.version, s.cipher_suite, s.retry_request));
        assert_eq!(
            chosen,
            Some((ProtocolVersion::TLS1_2, CipherSuite(0xc02f), false))
        );
    }

    #[test]
    fn framed_messages_read_back() {
        let mut out = Vec::new();
        encode_message(HandshakeType::SERVER_HELLO_DONE, &mut out, |_| {});
        encode_message(HandshakeType::FINISHED, &mut out, |o| {
            o.extend_from_slice(&[1, 2])
        });
        assert_eq!(out, [14, 0, 0, 0, 20, 0, 0, 2, 1, 2]);
        out.extend_from_slice(&[11, 0, 0, 9, 1]);
        assert_eq!(
            messages(&out),
            vec![
                (HandshakeType::SERVER_HELLO_DONE, &[][..]),
                (HandshakeType::FINISHED, &[1, 2][..])
            ]
        );
    }
}
