use serde::Serialize;

/// One certificate as the server sent it (contract: `certificates[]`).
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    /// RFC 4514 string, e.g. `CN=example.com, O=Example`.
    pub subject: String,
    pub issuer: String,
    /// Lowercase hex, no separators (as `openssl x509 -serial` but lowercase).
    pub serial: String,
    /// RFC 3339 UTC.
    pub not_before: String,
    pub not_after: String,
    /// Whole days from now until `not_after`; negative once expired.
    pub days_left: i64,
    /// DNS names and IP addresses as plain strings; other kinds prefixed (`email:`, `URI:`).
    pub sans: Vec<String>,
    pub key: PublicKey,
    /// Readable name, e.g. `ecdsa-with-SHA256`, `sha256WithRSAEncryption`, or the OID.
    pub signature_algorithm: String,
    /// SHA-256 of the DER, lowercase hex, no separators.
    pub sha256: String,
    pub is_ca: bool,
    /// Issuer equals subject and the signature verifies with the certificate's own key.
    pub self_signed: bool,
    pub pem: String,
}

/// The subject public key.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKey {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm OID.
    #[serde(rename = "type")]
    pub kind: String,
    pub bits: Option<u32>,
    /// Named curve for EC keys (`P-256`, `P-384`, `P-521`), else null.
    pub curve: Option<String>,
}
