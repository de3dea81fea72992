use std::fmt;

use serde::{Serialize, Serializer};

use crate::wire::code_points::{ContentType, HandshakeType, SignatureScheme};

/// Which peer sent a record or message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Client,
    Server,
}

/// The TLS record content type a message travelled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Handshake,
    Alert,
    ChangeCipherSpec,
    ApplicationData,
    Heartbeat,
    Unknown,
}

/// What one entry of `handshake[]` is: its `type`, shown as `ClientHello`, `ServerHello`,
/// `HelloRetryRequest`, `Certificate`, `Finished`, `Alert`, `ChangeCipherSpec`,
/// `ApplicationData`, ... (an unknown handshake type or record content type is `Unknown(N)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A handshake message, named after its type (a HelloRetryRequest is
    /// [`HandshakeType::HELLO_RETRY_REQUEST`]).
    Handshake(HandshakeType),
    /// TLS 1.2 and earlier: an encrypted handshake record after the first (which is Finished),
    /// as in a renegotiation; it cannot be named without the keys.
    EncryptedHandshake,
    ChangeCipherSpec,
    Alert,
    /// An application_data record, opened or not (in TLS 1.3, any record not decrypted).
    ApplicationData,
    Heartbeat,
    /// A record of a content type the transcript does not read.
    UnknownRecord(ContentType),
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageKind::Handshake(t) => t.fmt(f),
            MessageKind::EncryptedHandshake => f.pad("EncryptedHandshake"),
            MessageKind::ChangeCipherSpec => f.pad("ChangeCipherSpec"),
            MessageKind::Alert => f.pad("Alert"),
            MessageKind::ApplicationData => f.pad("ApplicationData"),
            MessageKind::Heartbeat => f.pad("Heartbeat"),
            MessageKind::UnknownRecord(t) => f.pad(&format!("Unknown({})", t.0)),
        }
    }
}

#[cfg(test)]
impl MessageKind {
    /// The name as a `&'static str`, for tests that compare lists of names (an `Unknown(N)`
    /// is leaked, which a test can afford).
    pub fn name(&self) -> &'static str {
        Box::leak(self.to_string().into_boxed_str())
    }
}

impl Serialize for MessageKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<HandshakeType> for MessageKind {
    fn from(t: HandshakeType) -> Self {
        MessageKind::Handshake(t)
    }
}

/// `m.kind == HandshakeType::FINISHED`: the entry is a handshake message of that type.
impl PartialEq<HandshakeType> for MessageKind {
    fn eq(&self, t: &HandshakeType) -> bool {
        *self == MessageKind::Handshake(*t)
    }
}

/// One entry of `handshake[]`: a handshake message, an alert, a ChangeCipherSpec, or an
/// encrypted record we hold no keys for.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Milliseconds since the first byte of the ClientHello was written, at the moment the
    /// record that completed this message arrived (server) or was written (client).
    pub t_ms: f64,
    pub from: Side,
    pub record: RecordKind,
    /// `ClientHello`, `ServerHello`, `HelloRetryRequest`, `Certificate`, `Finished`, `Alert`,
    /// `ChangeCipherSpec`, `ApplicationData`, ... ; an unknown handshake type is `Unknown(N)`.
    #[serde(rename = "type")]
    pub kind: MessageKind,
    /// Length in bytes of the message body (a handshake message; 2 for an alert) or of the
    /// record fragment (others: the plaintext's when decrypted, the ciphertext's when not).
    pub length: usize,
    /// True when the message was encrypted on the wire (its fields are shown only where we
    /// could decrypt it).
    pub encrypted: bool,
    /// Type-specific fields, flattened into the message object.
    #[serde(flatten)]
    pub fields: MessageFields,
    /// The bytes of the record this message arrived in, as on the wire, on the first message
    /// of each record and only when asked for (the text view's `-vv` hex dump). Not in JSON.
    #[serde(skip)]
    pub record_bytes: Option<Vec<u8>>,
}

/// Type-specific fields of a message. Each variant's fields are all present (null when
/// absent) for that message type.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum MessageFields {
    /// No fields: the type has none (ServerHelloDone, Finished, ChangeCipherSpec, ...), or the
    /// message was encrypted and not decrypted, or its start could not be read. Adds no keys.
    None,
    ClientHello(ClientHelloFields),
    ServerHello(ServerHelloFields),
    Certificate(CertificateFields),
    ServerKeyExchange(ServerKeyExchangeFields),
    EncryptedExtensions(EncryptedExtensionsFields),
    CertificateVerify(CertificateVerifyFields),
    CertificateRequest(CertificateRequestFields),
    NewSessionTicket(NewSessionTicketFields),
    KeyUpdate(KeyUpdateFields),
    Finished(FinishedFields),
    Alert(AlertFields),
}

/// A Finished message: whether its verify_data is the one the session's keys give.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FinishedFields {
    /// True when it matched, false when it did not (a tampered or misderived handshake), null
    /// when not checked (not decrypted).
    pub verified: Option<bool>,
}

/// TLS 1.3's EncryptedExtensions: what the server agreed to beyond the ServerHello.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EncryptedExtensionsFields {
    /// The ALPN protocol the server selected, if any.
    pub alpn: Option<String>,
    pub extensions: Vec<String>,
}

/// The signature over the handshake (TLS 1.3, or a client's in TLS 1.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertificateVerifyFields {
    pub signature_scheme: Option<String>,
}

/// The server asks the client for a certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertificateRequestFields {
    /// Signature schemes the server accepts for the client's CertificateVerify.
    pub signature_algorithms: Vec<String>,
    /// Distinguished names of the CAs whose certificates the server accepts (empty: any).
    pub certificate_authorities: Vec<String>,
    /// TLS 1.2's certificate types (`rsa_sign`, `ecdsa_sign`, ...); empty in TLS 1.3.
    pub certificate_types: Vec<String>,
}

/// A session ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NewSessionTicketFields {
    /// How long the ticket may be used, in seconds.
    pub lifetime_s: Option<u32>,
    /// TLS 1.3 early_data extension: how much 0-RTT data the server would accept; else null.
    pub max_early_data: Option<u32>,
}

/// TLS 1.3 KeyUpdate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeyUpdateFields {
    /// The sender asks the peer to update its keys too.
    pub update_requested: Option<bool>,
}

/// What the client offered. Code points are IANA names, unknown ones `0x%04x`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClientHelloFields {
    /// The record-layer-era version field (`TLSv1.2` for every TLS 1.3 client).
    pub legacy_version: String,
    /// From supported_versions; empty when the extension is absent.
    pub versions: Vec<String>,
    pub cipher_suites: Vec<String>,
    pub groups: Vec<String>,
    pub key_share_groups: Vec<String>,
    pub signature_algorithms: Vec<String>,
    pub alpn: Vec<String>,
    pub sni: Option<String>,
    /// Extension names in the order sent.
    pub extensions: Vec<String>,
}

/// What the server chose (ServerHello and HelloRetryRequest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerHelloFields {
    /// The negotiated version (supported_versions when present).
    pub version: String,
    pub cipher_suite: String,
    /// The key_share group (TLS 1.3), or the group a HelloRetryRequest asks for.
    pub group: Option<String>,
    /// The protocol the server selected with ALPN, if any (TLS 1.2 and earlier; TLS 1.3 sends
    /// it in EncryptedExtensions).
    pub alpn: Option<String>,
    pub extensions: Vec<String>,
}

/// A Certificate message: how many certificates, and whose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertificateFields {
    pub count: usize,
    pub subjects: Vec<String>,
}

/// TLS 1.2's ServerKeyExchange.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerKeyExchangeFields {
    /// The ECDHE group, or null for finite-field DHE.
    pub group: Option<String>,
    /// Size of the DHE prime in bits, or null for ECDHE.
    pub dh_bits: Option<u32>,
    /// By its IANA name (or `0x%04x`); the diagnosis of an RSA-PSS server asks which it was.
    #[serde(serialize_with = "by_name")]
    pub signature_scheme: Option<SignatureScheme>,
}

/// A code point in the JSON: its Display, the IANA name or its number in hex.
fn by_name<T: fmt::Display, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// An alert; level and description are null when it was encrypted and not decrypted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertFields {
    /// `warning` or `fatal`.
    pub level: Option<String>,
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn message(kind: MessageKind, fields: MessageFields) -> Message {
        Message {
            t_ms: 1.5,
            from: Side::Server,
            record: RecordKind::Handshake,
            kind,
            length: 10,
            encrypted: false,
            fields,
            record_bytes: Some(vec![22, 3, 3, 0, 0]),
        }
    }

    /// The message's JSON keys other than the ones every message has.
    fn own_keys(m: &Message) -> Vec<String> {
        let Value::Object(o) = serde_json::to_value(m).unwrap() else {
            panic!("not an object")
        };
        for common in ["t_ms", "from", "record", "type", "length", "encrypted"] {
            assert!(o.contains_key(common), "{common} missing from {o:?}");
        }
        assert!(!o.contains_key("record_bytes") && !o.contains_key("fields"));
        let mut keys: Vec<String> = o
            .keys()
            .filter(|k| {
                !matches!(
                    k.as_str(),
                    "t_ms" | "from" | "record" | "type" | "length" | "encrypted"
                )
            })
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn each_kind_of_fields_flattens_into_the_message() {
        let cases: Vec<(MessageFields, &[&str])> = vec![
            (MessageFields::None, &[]),
            (
                MessageFields::ClientHello(ClientHelloFields::default()),
                &[
                    "alpn",
                    "cipher_suites",
                    "extensions",
                    "groups",
                    "key_share_groups",
                    "legacy_version",
                    "signature_algorithms",
                    "sni",
                    "versions",
                ],
            ),
            (
                MessageFields::ServerHello(ServerHelloFields::default()),
                &["alpn", "cipher_suite", "extensions", "group", "version"],
            ),
            (
                MessageFields::Certificate(CertificateFields::default()),
                &["count", "subjects"],
            ),
            (
                MessageFields::ServerKeyExchange(ServerKeyExchangeFields::default()),
                &["dh_bits", "group", "signature_scheme"],
            ),
            (
                MessageFields::EncryptedExtensions(EncryptedExtensionsFields::default()),
                &["alpn", "extensions"],
            ),
            (
                MessageFields::CertificateVerify(CertificateVerifyFields::default()),
                &["signature_scheme"],
            ),
            (
                MessageFields::CertificateRequest(CertificateRequestFields::default()),
                &[
                    "certificate_authorities",
                    "certificate_types",
                    "signature_algorithms",
                ],
            ),
            (
                MessageFields::NewSessionTicket(NewSessionTicketFields::default()),
                &["lifetime_s", "max_early_data"],
            ),
            (
                MessageFields::KeyUpdate(KeyUpdateFields::default()),
                &["update_requested"],
            ),
            (
                MessageFields::Alert(AlertFields::default()),
                &["description", "level"],
            ),
            (
                MessageFields::Finished(FinishedFields::default()),
                &["verified"],
            ),
        ];
        for (fields, keys) in cases {
            assert_eq!(
                own_keys(&message(MessageKind::Heartbeat, fields.clone())),
                keys,
                "{fields:?}"
            );
        }
    }

    #[test]
    fn a_client_hello_as_json() {
        let m = message(
            HandshakeType::CLIENT_HELLO.into(),
            MessageFields::ClientHello(ClientHelloFields {
                legacy_version: "TLSv1.2".into(),
                versions: vec!["TLSv1.3".into()],
                cipher_suites: vec!["TLS_AES_128_GCM_SHA256".into(), "0x0a0a".into()],
                sni: Some("example.com".into()),
                ..Default::default()
            }),
        );
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["type"], "ClientHello");
        assert_eq!(v["from"], "server");
        assert_eq!(v["record"], "handshake");
        assert_eq!(v["t_ms"], 1.5);
        assert_eq!(v["sni"], "example.com");
        assert_eq!(
            v["cipher_suites"],
            json!(["TLS_AES_128_GCM_SHA256", "0x0a0a"])
        );
        assert_eq!(v["alpn"], json!([]));

        // Absent values are null, never missing; a message without fields still serialises.
        let alert = message(
            MessageKind::Alert,
            MessageFields::Alert(AlertFields::default()),
        );
        let v = serde_json::to_value(&alert).unwrap();
        assert_eq!(
            (&v["level"], &v["description"]),
            (&Value::Null, &Value::Null)
        );
        let ccs = Message {
            record: RecordKind::ChangeCipherSpec,
            ..message(MessageKind::ChangeCipherSpec, MessageFields::None)
        };
        let v = serde_json::to_value(&ccs).unwrap();
        assert_eq!(v["record"], "change_cipher_spec");
        assert_eq!(v.as_object().map(|o| o.len()), Some(6));
    }

    #[test]
    fn kinds_are_shown_as_before() {
        let shown = |k: MessageKind| serde_json::to_value(k).unwrap();
        for (kind, name) in [
            (HandshakeType::CLIENT_HELLO.into(), "ClientHello"),
            (
                HandshakeType::HELLO_RETRY_REQUEST.into(),
                "HelloRetryRequest",
            ),
            (HandshakeType(99).into(), "Unknown(99)"),
            (MessageKind::EncryptedHandshake, "EncryptedHandshake"),
            (MessageKind::ChangeCipherSpec, "ChangeCipherSpec"),
            (MessageKind::Alert, "Alert"),
            (MessageKind::ApplicationData, "ApplicationData"),
            (MessageKind::Heartbeat, "Heartbeat"),
            (MessageKind::UnknownRecord(ContentType(30)), "Unknown(30)"),
        ] {
            assert_eq!(shown(kind), name);
            assert_eq!(kind.to_string(), name);
        }
        assert!(MessageKind::from(HandshakeType::FINISHED) == HandshakeType::FINISHED);
        assert!(MessageKind::Alert != HandshakeType::FINISHED);
    }
}
