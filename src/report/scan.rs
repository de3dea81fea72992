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
    /// What the server does besides its versions, suites and groups.
    pub features: ScanFeatures,
    /// The chain served for each kind of certificate the server has (RSA, ECDSA, Ed25519),
    /// asked for in TLS 1.2 by signature_algorithms, and each chain's verdict.
    pub certificate_types: Vec<ScanCertificates>,
    pub findings: Vec<ScanFinding>,
    /// How many connections the scan made, and how long it took.
    pub connections: usize,
    pub duration_ms: f64,
}

/// The checks auditors run beside the suites. Each is null when it could not be learnt (the
/// server accepts no version it applies to, or did not answer).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanFeatures {
    /// From one hello at the highest version below TLS 1.3 the server accepts, offering its
    /// suites, every extension below and DEFLATE: that version, and the extensions its
    /// ServerHello answered with, in order.
    pub hello_version: Option<ProtocolVersion>,
    pub server_extensions: Vec<String>,
    /// RFC 5746 renegotiation_info answered.
    pub secure_renegotiation: Option<bool>,
    /// A TLS 1.2 handshake of ours, completed, then renegotiated by us, was answered with a
    /// ServerHello: the server lets its clients start renegotiations (a full handshake's work
    /// for it each time). Null when it could not be asked (no TLS 1.2 with ECDHE and AES-GCM).
    pub client_renegotiation: Option<bool>,
    /// RFC 7627 extended_master_secret answered.
    pub extended_master_secret: Option<bool>,
    /// RFC 7366 encrypt_then_mac answered (it matters for CBC suites).
    pub encrypt_then_mac: Option<bool>,
    /// DEFLATE chosen over null compression (CRIME).
    pub compression: Option<bool>,
    /// RFC 6520 heartbeat answered.
    pub heartbeat: Option<bool>,
    /// A heartbeat claiming more payload than it carries was answered with the difference
    /// (CVE-2014-0160); null when heartbeat is off or the server kept silent.
    pub heartbleed: Option<bool>,
    /// RFC 5077 session_ticket answered.
    pub session_ticket: Option<bool>,
    /// RFC 7507: a hello at the server's second-highest version carrying TLS_FALLBACK_SCSV
    /// was refused with inappropriate_fallback (true) or answered (false); null with one
    /// version.
    pub fallback_scsv: Option<bool>,
    /// An SSL 2.0 CLIENT-HELLO was answered with a SERVER-HELLO.
    pub sslv2: Option<bool>,
    /// The longest ticket lifetime of the probe's NewSessionTickets, in seconds; null when it
    /// got none.
    pub ticket_lifetime_s: Option<u32>,
    /// A TLS 1.3 NewSessionTicket of the probe's allows 0-RTT early data (max_early_data over
    /// 0); null when it got none.
    pub early_data: Option<bool>,
}

/// The chain a server serves to a client that takes only one kind of key.
#[derive(Debug, Clone, Serialize)]
pub struct ScanCertificates {
    /// `RSA`, `ECDSA` or `Ed25519`: what the ClientHello's signature_algorithms allowed.
    pub key_type: String,
    /// The version and suite the server answered that hello with.
    pub version: ProtocolVersion,
    pub cipher_suite: String,
    /// As served, leaf first, described as `certificates[]` is.
    pub certificates: Vec<super::Certificate>,
    /// The chain judged as the probe's own is.
    pub verification: Option<super::Verification>,
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
    /// TLS 1.0-1.2: the key-exchange group the server chose for this suite (ECDHE: its curve,
    /// from X25519, P-256, P-384, P-521, X448 offered; DHE: the RFC 7919 group its prime is,
    /// if any); null for TLS 1.3 suites (the group is asked apart, `groups`) and the others.
    pub group: Option<String>,
    /// A DHE suite's prime size in bits, as its ServerKeyExchange sent it; else null.
    pub dh_bits: Option<u32>,
}

/// A finding of the scan, in the contract's style.
#[derive(Debug, Clone, Serialize)]
pub struct ScanFinding {
    /// `legacy_protocol`, `weak_cipher`, `no_forward_secrecy`, `cbc_cipher`, `no_tls13`,
    /// `client_preference`, `weak_dh`, `insecure_renegotiation`, `no_extended_master_secret`,
    /// `compression`, `heartbeat`, `heartbleed`, `no_fallback_scsv`, `sslv2`, `early_data`,
    /// `long_ticket_lifetime`, `other_chain`, `client_renegotiation`.
    pub code: ScanCode,
    /// `high`, `medium`, `low` or `info`.
    pub severity: Severity,
    pub message: String,
}

impl ScanFinding {
    pub fn new(code: ScanCode, severity: Severity, message: impl Into<String>) -> Self {
        ScanFinding {
            code,
            severity,
            message: message.into(),
        }
    }
}
