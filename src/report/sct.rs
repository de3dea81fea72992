use serde::Serialize;

use super::codes::{SctSignature, SctSource};

/// One RFC 6962 Signed Certificate Timestamp for a certificate (contract:
/// `certificates[].scts[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sct {
    /// Where it came from: embedded in the certificate, the TLS extension, the OCSP staple.
    pub source: SctSource,
    /// `v1`, or `unknown (N)` for a version RFC 6962 does not define.
    pub version: String,
    /// The log's ID (SHA-256 of its key), base64 as CT log lists write it.
    pub log_id: String,
    /// When the log promised to include the certificate: RFC 3339 UTC, to the millisecond.
    pub timestamp: String,
    /// With `--ct-log-list`: the log's description and its operator's name; else null.
    pub log: Option<String>,
    pub operator: Option<String>,
    /// Whether the log's signature over the certificate holds.
    pub signature: SctSignature,
}
