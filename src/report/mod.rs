//! The one data model of a probe. Everything tlsprobe learns about a target lands here once;
//! the text and JSON renderers only read it. Field names and value spellings are the JSON
//! contract (`docs/CONTRACT.md`, `schema/report.schema.json`): renaming one is a breaking
//! change that bumps [`SCHEMA_VERSION`].

mod attempt;
mod cert_extensions;
mod cert_file;
mod certificate;
mod chain_report;
mod codes;
mod error;
mod message;
mod scan;
mod sct;
mod session;
mod starttls;
mod verification;

pub use crate::wire::code_points::ProtocolVersion;
pub use attempt::{AttemptOutcome, ConnectAttempt};

/// A duration as the report's `_ms` fields write it: milliseconds, to the microsecond.
pub fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}
pub use cert_extensions::{
    AuthorityInfoAccess, BasicConstraints, Extension, ExtensionName, ExtensionValues, KeyPurpose,
    KeyUsageBit, NameConstraints, Policy, Scts,
};
pub use cert_file::CertFile;
pub use certificate::{Certificate, PublicKey};
pub use chain_report::ChainReport;
pub use codes::{
    CheckCode, KeyType, OcspStatus, PolicyRule, Preference, Resumption, ScanCode, SctSignature,
    SctSource, Severity, SuiteFlag,
};
pub use error::{ErrorKind, Phase, ProbeError};
pub use message::{
    AlertFields, CertificateFields, CertificateRequestFields, CertificateVerifyFields,
    ClientHelloFields, EncryptedExtensionsFields, FinishedFields, KeyUpdateFields, Message,
    MessageFields, MessageKind, NewSessionTicketFields, RecordKind, ServerHelloFields,
    ServerKeyExchangeFields, Side,
};
pub use scan::{Scan, ScanCertificates, ScanFeatures, ScanFinding, ScanSuite, ScanVersion};
pub use sct::Sct;
pub use session::{Application, ClientCertificateRequest, HttpAnswer, Reconnect};
pub use starttls::{PreambleLine, Starttls};
pub use verification::{Finding, PathEntry, TrustStore, Verification, VerifyCode, WarningCode};

use serde::Serialize;

/// ProtocolVersion of the JSON layout; bumped on any breaking change to a stable name.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything about one target. Every probe yields exactly one, whatever happened.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub target: Target,
    /// The proxy the connection went through (`--proxy`, or the environment's); null when direct.
    pub proxy: Option<ProxyUsed>,
    pub status: Status,
    pub error: Option<ProbeError>,
    pub timing_ms: Timing,
    /// `--starttls`: the plaintext preamble, line by line; null without `--starttls`.
    pub starttls: Option<Starttls>,
    pub protocol: Option<Protocol>,
    pub handshake: Vec<Message>,
    /// The server sent more after the handshake than is recorded (1 MiB or 1,000 records):
    /// `handshake` stops at the last record kept.
    pub handshake_truncated: bool,
    pub certificates: Vec<Certificate>,
    pub verification: Option<Verification>,
    /// The checks the user asked for (`--min-days`, `--pin`, one per rule of `--policy`), each
    /// passed or failed; empty when none.
    pub checks: Vec<Check>,
    /// `--send` / `--http`: what was exchanged after the handshake; null when not asked.
    pub application: Option<Application>,
    /// `--reconnect`: the second handshake; null when not asked.
    pub reconnect: Option<Reconnect>,
    /// `--scan`: the versions, suites and groups the server accepts; null when not asked.
    pub scan: Option<Scan>,
}

/// The proxy a probe went through.
#[derive(Debug, Clone, Serialize)]
pub struct ProxyUsed {
    /// `scheme://host:port`, never with credentials.
    pub url: String,
    /// "option" (`--proxy`), or the environment variable that named it (`HTTPS_PROXY`, ...).
    pub source: String,
}

/// A requested check, such as `--min-days`. A failed one makes the status `checks_failed`.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `min_days`, `pin`, `policy`.
    pub check: CheckCode,
    /// For a `policy` check, the rule judged (`versions`, `cipher_suites`, ...); null for the
    /// others.
    pub rule: Option<PolicyRule>,
    pub passed: bool,
    /// What was asked and what was seen, for a person: a `policy` check's names the policy.
    pub message: String,
}

/// What was asked for and where we actually went.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// The name as sent in DNS, SNI and verified: an internationalised name in its A-label
    /// form (`xn--bcher-kva.example`).
    pub host: String,
    /// The Unicode form of `host` (`bücher.example`) when it has A-labels; null otherwise.
    pub host_unicode: Option<String>,
    pub port: u16,
    /// The server name sent in the ClientHello, or null when none was sent (IP targets, `--no-sni`).
    pub sni: Option<String>,
    /// `ip:port` actually connected (`[v6]:port` for IPv6), or null before a connection.
    pub address: Option<String>,
    /// Every connection attempt (Happy Eyeballs), in the order started: to the server's
    /// addresses, or the proxy's. Empty when none was made (a DNS failure).
    pub attempts: Vec<ConnectAttempt>,
    /// The target as [`crate::target::Target`] writes it (`host:port`, `[v6]:port`), for the
    /// text view. Not in the JSON.
    #[serde(skip)]
    pub shown: String,
}

/// The verdict, one word. Maps one-to-one onto the exit code (see [`Status::exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    VerifyFailed,
    ChecksFailed,
    HandshakeFailed,
    ConnectFailed,
    /// The probe could not be made here: this machine ran out of open files, memory, ports or
    /// threads (`error.kind` is `other`). Nothing was learnt about the server.
    LocalError,
}

impl Status {
    /// The process exit status of a probe with this verdict (contract: "Exit status").
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::VerifyFailed | Status::ChecksFailed => 1,
            Status::ConnectFailed => 3,
            Status::HandshakeFailed => 4,
            Status::LocalError => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::VerifyFailed => "verify_failed",
            Status::ChecksFailed => "checks_failed",
            Status::HandshakeFailed => "handshake_failed",
            Status::ConnectFailed => "connect_failed",
            Status::LocalError => "local_error",
        }
    }
}

/// Durations of each phase in milliseconds; null for a phase that did not happen.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timing {
    pub dns: Option<f64>,
    pub connect: Option<f64>,
    pub starttls: Option<f64>,
    pub handshake: Option<f64>,
    pub total: f64,
}

/// What the handshake negotiated. Null in the report when no ServerHello was accepted.
#[derive(Debug, Clone, Serialize)]
pub struct Protocol {
    /// `TLSv1.2`, `TLSv1.3`.
    pub version: ProtocolVersion,
    /// IANA name, e.g. `TLS_AES_128_GCM_SHA256`.
    pub cipher_suite: String,
    /// IANA name, e.g. `X25519`, `X25519MLKEM768`.
    pub key_exchange_group: Option<String>,
    /// The size of the DHE prime in bits, for a finite-field DHE suite of TLS 1.2 or earlier.
    pub dh_bits: Option<u32>,
    /// Scheme of the server's CertificateVerify / ServerKeyExchange signature.
    pub signature_scheme: Option<String>,
    pub alpn: Option<String>,
    pub resumed: bool,
    pub ocsp_staple: Option<OcspStaple>,
    /// The server asked for a client certificate; null when it did not.
    pub client_certificate: Option<ClientCertificateRequest>,
    /// Read from the server's first flight by tlsprobe's own ClientHello, because rustls
    /// cannot complete a handshake with it: the handshake did not complete.
    pub first_flight_only: bool,
}

/// A stapled OCSP response, as far as it could be read.
#[derive(Debug, Clone, Serialize)]
pub struct OcspStaple {
    /// `good`, `revoked` or `unknown`.
    pub status: OcspStatus,
    pub this_update: Option<String>,
    pub next_update: Option<String>,
    /// The responder's name, or `key hash <hex>`.
    pub responder: Option<String>,
}
