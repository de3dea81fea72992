use serde::Serialize;

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
    pub kind: String,
    /// Length in bytes of the message body (handshake) or of the record fragment (others).
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
    Alert(AlertFields),
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
    pub signature_scheme: Option<String>,
}

/// An alert; level and description are null when it was encrypted and not decrypted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertFields {
    /// `warning` or `fatal`.
    pub level: Option<String>,
    pub description: Option<String>,
}
