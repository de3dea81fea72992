use serde::Serialize;

use super::{Preference, ProtocolVersion, ScanCode, Severity, SuiteFlag};

/// `--scan`: what the server accepts, learnt with raw ClientHellos.
#[derive(Debug, Clone, Serialize)]
pub struct Scan {
    /// Every version asked about, newest first.
    pub versions: Vec<ScanVersion>,
    /// Key-exchange groups the server accepts (TLS 1.3 by HelloRetryRequest, else TLS 1.2 by
    /// ServerKeyExchange), in our order of asking.
    pub groups: Vec<String>,
    pub findings: Vec<ScanFinding>,
    /// How many connections the scan made, and how long it took.
    pub connections: usize,
    pub duration_ms: f64,
}

/// One protocol version.
#[derive(Debug, Clone, Serialize)]
pub struct ScanVersion {
    /// `SSLv3` .. `TLSv1.3`.
    pub version: ProtocolVersion,
    pub accepted: bool,
    /// `server` when the server picks by its own preference (the suites are listed in that
    /// order), `client` when it follows the client's order; null when it cannot tell (fewer
    /// than two suites) or the version is refused.
    pub preference: Option<Preference>,
    pub cipher_suites: Vec<ScanSuite>,
}

impl ScanVersion {
    /// SSL 3.0, TLS 1.0 or TLS 1.1: deprecated (RFC 8996). The text view marks these.
    pub fn is_legacy(&self) -> bool {
        self.version.is_legacy()
    }
}

/// One accepted cipher suite.
#[derive(Debug, Clone, Serialize)]
pub struct ScanSuite {
    pub name: String,
    pub forward_secrecy: bool,
    pub aead: bool,
    /// Weaknesses: `null`, `export`, `rc4`, `des`, `3des`, `cbc`, `anonymous`, `md5`.
    pub flags: Vec<SuiteFlag>,
}

/// A finding of the scan, in the contract's style.
#[derive(Debug, Clone, Serialize)]
pub struct ScanFinding {
    /// `legacy_protocol`, `weak_cipher`, `no_forward_secrecy`, `cbc_cipher`, `no_tls13`,
    /// `client_preference`, `weak_dh`.
    pub code: ScanCode,
    /// `high`, `medium`, `low` or `info`.
    pub severity: Severity,
    pub message: String,
}
