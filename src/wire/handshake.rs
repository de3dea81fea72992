//! Handshake messages: the name and fields tlsprobe shows for each message type.

use std::borrow::Cow;

use super::auth::{certificate, certificate_request, certificate_verify};
use super::error::{Error, Need};
use super::hello::{client_hello, each_extension, selected_protocol, server_hello};
use super::hello::{EXT_ALPN, EXT_EARLY_DATA};
use super::key_exchange::server_key_exchange;
use super::names::{extension_name, handshake_name};
use super::reader::Reader;
use crate::report::{
    EncryptedExtensionsFields, KeyUpdateFields, MessageFields, NewSessionTicketFields,
};

pub const HELLO_REQUEST: u8 = 0;
pub const CLIENT_HELLO: u8 = 1;
pub const SERVER_HELLO: u8 = 2;
pub const NEW_SESSION_TICKET: u8 = 4;
pub const END_OF_EARLY_DATA: u8 = 5;
pub const ENCRYPTED_EXTENSIONS: u8 = 8;
pub const CERTIFICATE: u8 = 11;
pub const SERVER_KEY_EXCHANGE: u8 = 12;
pub const CERTIFICATE_REQUEST: u8 = 13;
pub const SERVER_HELLO_DONE: u8 = 14;
pub const CERTIFICATE_VERIFY: u8 = 15;
pub const CLIENT_KEY_EXCHANGE: u8 = 16;
pub const FINISHED: u8 = 20;
pub const KEY_UPDATE: u8 = 24;

const TLS13: u16 = 0x0304;

/// What the parser has learnt so far of the connection, which later messages depend on. A
/// ServerHello (or HelloRetryRequest) sets it; [`parse_message`] keeps it up to date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The version the server selected.
    pub version: Option<u16>,
    /// The cipher suite the server selected.
    pub suite: Option<u16>,
}

impl Context {
    pub fn is_tls13(&self) -> bool {
        self.version == Some(TLS13)
    }
}

/// One handshake message, read.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// `HelloRetryRequest` for a ServerHello carrying that random; else the handshake type's
    /// name ([`handshake_name`]: `ClientHello`, ..., `Unknown(N)`).
    pub name: Cow<'static, str>,
    /// The fields of the message's type; `MessageFields::None` for a type that has none, or
    /// when the fixed start of the body could not be read.
    pub fields: MessageFields,
    /// The first thing wrong with the body, if anything was: `fields` then hold what was read
    /// before it.
    pub error: Option<Error>,
}

/// Read one handshake message (its type and body, without the 4-byte header). Never fails and
/// never panics: a malformed body yields what could be read, and the error.
pub fn parse_message(msg_type: u8, body: &[u8], ctx: &mut Context) -> Parsed {
    let mut name = handshake_name(msg_type);
    let (fields, error) = match msg_type {
        CLIENT_HELLO => client_hello(body).into_fields(MessageFields::ClientHello),
        SERVER_HELLO => {
            let read = server_hello(body);
            if let Some(sh) = &read.fields {
                // A HelloRetryRequest already fixes the version (only TLS 1.3 has one), which
                // matters for what a ChangeCipherSpec after it means.
                ctx.version = Some(sh.version);
                ctx.suite = Some(sh.suite);
                if sh.retry_request {
                    name = Cow::Borrowed("HelloRetryRequest");
                }
            }
            read.map(|sh| sh.fields)
                .into_fields(MessageFields::ServerHello)
        }
        CERTIFICATE => certificate(body, ctx.is_tls13()).into_fields(MessageFields::Certificate),
        SERVER_KEY_EXCHANGE => {
            server_key_exchange(body, ctx).into_fields(MessageFields::ServerKeyExchange)
        }
        ENCRYPTED_EXTENSIONS => {
            encrypted_extensions(body).into_fields(MessageFields::EncryptedExtensions)
        }
        CERTIFICATE_VERIFY => {
            certificate_verify(body, ctx.version).into_fields(MessageFields::CertificateVerify)
        }
        CERTIFICATE_REQUEST => {
            certificate_request(body, ctx.version).into_fields(MessageFields::CertificateRequest)
        }
        NEW_SESSION_TICKET => {
            new_session_ticket(body, ctx.is_tls13()).into_fields(MessageFields::NewSessionTicket)
        }
        KEY_UPDATE => key_update(body).into_fields(MessageFields::KeyUpdate),
        HELLO_REQUEST | SERVER_HELLO_DONE | END_OF_EARLY_DATA => {
            (MessageFields::None, Reader::new(body).end("message").err())
        }
        _ => (MessageFields::None, None),
    };
    Parsed {
        name,
        fields,
        error,
    }
}

/// [`parse_message`] without the error: `Some("HelloRetryRequest")` where the name differs
/// from the type's, and the fields.
pub fn parse(
    msg_type: u8,
    body: &[u8],
    ctx: &mut Context,
) -> (Option<&'static str>, MessageFields) {
    let parsed = parse_message(msg_type, body, ctx);
    let special = (msg_type == SERVER_HELLO && parsed.name == "HelloRetryRequest")
        .then_some("HelloRetryRequest");
    (special, parsed.fields)
}

/// What a ServerHello chose: (version, cipher suite, is a HelloRetryRequest). The version is
/// the supported_versions one when present.
pub fn server_choice(body: &[u8]) -> Option<(u16, u16, bool)> {
    server_hello(body)
        .fields
        .map(|sh| (sh.version, sh.suite, sh.retry_request))
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

    fn into_fields(self, wrap: fn(T) -> MessageFields) -> (MessageFields, Option<Error>) {
        (self.fields.map_or(MessageFields::None, wrap), self.error)
    }
}

fn encrypted_extensions(body: &[u8]) -> Read<EncryptedExtensionsFields> {
    let mut r = Reader::new(body);
    let head = r.vec16().need("extensions");
    let framing = r.end("extensions");
    Read::of(
        head.map(|exts| (exts, EncryptedExtensionsFields::default())),
        |(exts, out)| {
            let read = each_extension(exts.clone(), |typ, data| {
                out.extensions.push(extension_name(typ).into_owned());
                if typ == EXT_ALPN {
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
fn new_session_ticket(body: &[u8], tls13: bool) -> Read<NewSessionTicketFields> {
    let mut r = Reader::new(body);
    let head = r
        .u32()
        .need("ticket_lifetime")
        .map(|s| NewSessionTicketFields {
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
            if typ == EXT_EARLY_DATA {
                out.max_early_data = Some(data.u32().need("max_early_data_size")?);
            }
            Ok(())
        });
        read.and(framing)
    })
}

fn key_update(body: &[u8]) -> Read<KeyUpdateFields> {
    let mut r = Reader::new(body);
    let head = r.u8().need("request_update").map(|b| KeyUpdateFields {
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
            version: Some(TLS13),
            ..Default::default()
        };
        let p = parse_message(KEY_UPDATE, &[1], &mut ctx);
        assert_eq!(p.name, "KeyUpdate");
        assert!(matches!(
            p.fields,
            MessageFields::KeyUpdate(KeyUpdateFields {
                update_requested: Some(true)
            })
        ));
        // TLS 1.3 ticket: lifetime 7200, early_data allowing 16384 bytes.
        let mut nst = vec![0, 0, 0x1c, 0x20, 0, 0, 0, 1, 1, 9, 0, 1, 7, 0, 8];
        nst.extend_from_slice(&[0, 42, 0, 4, 0, 0, 0x40, 0]);
        let p = parse_message(NEW_SESSION_TICKET, &nst, &mut ctx);
        assert_eq!(p.error, None);
        let MessageFields::NewSessionTicket(t) = p.fields else {
            panic!("{:?}", p.fields)
        };
        assert_eq!((t.lifetime_s, t.max_early_data), (Some(7200), Some(16384)));
        // EncryptedExtensions choosing h2.
        let ee = [0, 9, 0, 16, 0, 5, 0, 3, 2, b'h', b'2'];
        let p = parse_message(ENCRYPTED_EXTENSIONS, &ee, &mut ctx);
        let MessageFields::EncryptedExtensions(e) = p.fields else {
            panic!()
        };
        assert_eq!(e.alpn.as_deref(), Some("h2"));
        assert_eq!(e.extensions, vec!["application_layer_protocol_negotiation"]);
        // Types without fields, and unknown ones.
        let p = parse_message(SERVER_HELLO_DONE, &[], &mut ctx);
        assert_eq!((p.name.as_ref(), p.error), ("ServerHelloDone", None));
        assert_eq!(parse_message(99, &[1, 2], &mut ctx).name, "Unknown(99)");
        assert_eq!(
            parse_message(SERVER_HELLO_DONE, &[0], &mut ctx).error,
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
        let p = parse_message(SERVER_HELLO, &sh, &mut ctx);
        assert_eq!((p.name.as_ref(), p.error), ("ServerHello", None));
        assert_eq!(
            ctx,
            Context {
                version: Some(0x0303),
                suite: Some(0xc02f),
            }
        );
        assert_eq!(parse(SERVER_HELLO, &sh, &mut ctx).0, None);
        assert_eq!(server_choice(&sh), Some((0x0303, 0xc02f, false)));
    }
}
