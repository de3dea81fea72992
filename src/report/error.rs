use serde::Serialize;

/// Why a probe stopped short of a verified handshake. Present whenever `status` is
/// `connect_failed` or `handshake_failed`.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeError {
    pub phase: Phase,
    pub kind: ErrorKind,
    /// One line, for a person.
    pub message: String,
    /// IANA alert name when the failure was an alert (received or sent), else null.
    pub alert: Option<String>,
    /// One sentence a person can act on, or null when we have nothing useful to add.
    pub hint: Option<String>,
}

/// Where in the probe the failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Dns,
    Connect,
    Starttls,
    Handshake,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Dns => "dns",
            Phase::Connect => "connect",
            Phase::Starttls => "starttls",
            Phase::Handshake => "handshake",
        }
    }
}

/// The contract's error kinds: scripts branch on these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Dns,
    ConnectionRefused,
    Unreachable,
    Timeout,
    Starttls,
    NotTls,
    ConnectionClosed,
    ConnectionReset,
    Alert,
    ProtocolVersion,
    NoCommonCipher,
    ClientCertificateRequired,
    ProtocolError,
    /// The HTTP proxy (`--proxy`) refused or failed the tunnel.
    Proxy,
    Other,
    /// This machine ran out of something ([`crate::shortage::Shortage`]): no verdict on the
    /// server. The contract's `other`; the report's status is `local_error` (exit 2).
    #[serde(rename = "other")]
    Local,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Dns => "dns",
            ErrorKind::ConnectionRefused => "connection_refused",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Starttls => "starttls",
            ErrorKind::NotTls => "not_tls",
            ErrorKind::ConnectionClosed => "connection_closed",
            ErrorKind::ConnectionReset => "connection_reset",
            ErrorKind::Alert => "alert",
            ErrorKind::ProtocolVersion => "protocol_version",
            ErrorKind::NoCommonCipher => "no_common_cipher",
            ErrorKind::ClientCertificateRequired => "client_certificate_required",
            ErrorKind::ProtocolError => "protocol_error",
            ErrorKind::Proxy => "proxy",
            ErrorKind::Other | ErrorKind::Local => "other",
        }
    }
}
