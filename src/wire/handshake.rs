//! Handshake message bodies: the fields tlsprobe shows for each message type.

use super::auth::{certificate, certificate_request, certificate_verify, server_key_exchange};
use super::hello::{client_hello, server_hello};
use super::names::extension_name;
use super::reader::Reader;
use crate::report::{
    EncryptedExtensionsFields, KeyUpdateFields, MessageFields, NewSessionTicketFields,
};

pub const CLIENT_HELLO: u8 = 1;
pub const SERVER_HELLO: u8 = 2;
pub const CERTIFICATE: u8 = 11;
pub const SERVER_KEY_EXCHANGE: u8 = 12;
pub const NEW_SESSION_TICKET: u8 = 4;
pub const ENCRYPTED_EXTENSIONS: u8 = 8;
pub const CERTIFICATE_REQUEST: u8 = 13;
pub const CERTIFICATE_VERIFY: u8 = 15;
pub const KEY_UPDATE: u8 = 24;

/// What the parser has learnt so far of the connection, which later messages depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The version the server selected.
    pub version: Option<u16>,
    /// The cipher suite the server selected.
    pub suite: Option<u16>,
}

impl Context {
    pub fn is_tls13(&self) -> bool {
        self.version == Some(0x0304)
    }
}

/// The name and fields of one handshake message. Malformed bodies give the type's name with no
/// fields, never an error: the transcript shows what was sent even when it is broken.
pub fn parse(
    msg_type: u8,
    body: &[u8],
    ctx: &mut Context,
) -> (Option<&'static str>, MessageFields) {
    match msg_type {
        CLIENT_HELLO => (
            None,
            client_hello(body).map_or(MessageFields::None, MessageFields::ClientHello),
        ),
        SERVER_HELLO => match server_hello(body) {
            Some((hrr, fields, version, suite)) => {
                // A HelloRetryRequest already fixes the version (only TLS 1.3 has one), which
                // matters for what a ChangeCipherSpec after it means.
                ctx.version = Some(version);
                ctx.suite = Some(suite);
                let name = hrr.then_some("HelloRetryRequest");
                (name, MessageFields::ServerHello(fields))
            }
            None => (None, MessageFields::None),
        },
        CERTIFICATE => (
            None,
            certificate(body, ctx.is_tls13())
                .map_or(MessageFields::None, MessageFields::Certificate),
        ),
        SERVER_KEY_EXCHANGE => (
            None,
            server_key_exchange(body, ctx)
                .map_or(MessageFields::None, MessageFields::ServerKeyExchange),
        ),
        ENCRYPTED_EXTENSIONS => (
            None,
            encrypted_extensions(body)
                .map_or(MessageFields::None, MessageFields::EncryptedExtensions),
        ),
        CERTIFICATE_VERIFY => (
            None,
            certificate_verify(body).map_or(MessageFields::None, MessageFields::CertificateVerify),
        ),
        CERTIFICATE_REQUEST => (
            None,
            certificate_request(body, ctx.is_tls13())
                .map_or(MessageFields::None, MessageFields::CertificateRequest),
        ),
        NEW_SESSION_TICKET => (
            None,
            new_session_ticket(body, ctx.is_tls13())
                .map_or(MessageFields::None, MessageFields::NewSessionTicket),
        ),
        KEY_UPDATE => (
            None,
            MessageFields::KeyUpdate(KeyUpdateFields {
                update_requested: Reader::new(body).u8().map(|b| b == 1),
            }),
        ),
        _ => (None, MessageFields::None),
    }
}

const EXT_ALPN: u16 = 16;
const EXT_EARLY_DATA: u16 = 42;

fn encrypted_extensions(body: &[u8]) -> Option<EncryptedExtensionsFields> {
    let mut exts = Reader::new(body).vec16()?;
    let mut out = EncryptedExtensionsFields::default();
    while let (Some(typ), Some(mut data)) = (exts.u16(), exts.vec16()) {
        out.extensions.push(extension_name(typ).into_owned());
        if typ == EXT_ALPN {
            out.alpn = data
                .vec16()
                .and_then(|mut l| l.vec8())
                .map(|p| String::from_utf8_lossy(p.rest()).into_owned());
        }
    }
    Some(out)
}

/// RFC 5077 (TLS 1.2) and RFC 8446 section 4.6.1 (TLS 1.3).
fn new_session_ticket(body: &[u8], tls13: bool) -> Option<NewSessionTicketFields> {
    let mut r = Reader::new(body);
    let mut out = NewSessionTicketFields {
        lifetime_s: Some(r.u32()?),
        max_early_data: None,
    };
    if tls13 {
        r.u32()?; // ticket_age_add
        r.vec8()?; // ticket_nonce
        r.vec16()?; // ticket
        let mut exts = r.vec16()?;
        while let (Some(typ), Some(mut data)) = (exts.u16(), exts.vec16()) {
            if typ == EXT_EARLY_DATA {
                out.max_early_data = data.u32();
            }
        }
    }
    Some(out)
}

/// What a ServerHello chose: (version, cipher suite, is a HelloRetryRequest). The version is
/// the supported_versions one when present.
pub fn server_choice(body: &[u8]) -> Option<(u16, u16, bool)> {
    server_hello(body).map(|(hrr, _, version, suite)| (version, suite, hrr))
}
