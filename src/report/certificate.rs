use serde::Serialize;

use super::cert_extensions::{Extension, ExtensionValues};
use super::KeyType;

/// One certificate as the server sent it (contract: `certificates[]`). Made by
/// [`crate::cert::describe`]; for DER that does not parse, `subject` is
/// `(unparseable certificate: REASON)`, the other strings are empty, `days_left` is 0 and the
/// key type is `unknown`, while `sha256` and `pem` still describe the bytes received.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    /// RFC 4514-style `TYPE=value` pairs joined by `, `, in the order the certificate encodes
    /// them (as OpenSSL prints them), e.g. `C=US, O=Example, CN=example.com`.
    pub subject: String,
    pub issuer: String,
    /// Lowercase hex, no separators, as `openssl x509 -serial` prints it but lowercase: the
    /// magnitude in whole bytes, with a leading `-` for a negative serial (`-04316693ed`).
    pub serial: String,
    /// RFC 3339 UTC.
    pub not_before: String,
    pub not_after: String,
    /// Whole days from now until `not_after`, rounded down: 0 on the last day, negative once
    /// expired.
    pub days_left: i64,
    /// DNS names and IP addresses (IPv6 in RFC 5952 form) as plain strings; other kinds
    /// prefixed (`email:`, `URI:`, `DirName:`, `RID:`, `othername:`, `invalid:` and hex).
    pub sans: Vec<String>,
    pub key: PublicKey,
    /// OpenSSL's name (`ecdsa-with-SHA256`, `sha256WithRSAEncryption`, `ED25519`, ...; but
    /// `RSASSA-PSS`), or the dotted OID.
    pub signature_algorithm: String,
    /// The signature's hash is broken for certificates (MD2, MD5, SHA-1): read from the
    /// algorithm's OID where the certificate is parsed. Not in the JSON.
    #[serde(skip)]
    pub broken_signature_hash: bool,
    /// SHA-256 of the DER, lowercase hex, no separators.
    pub sha256: String,
    /// The SPKI pin: base64 of the SHA-256 of the DER SubjectPublicKeyInfo, as curl's
    /// `--pinnedpubkey sha256//...` and HPKP's `pin-sha256` write it; empty when unparseable.
    pub pin_sha256: String,
    pub is_ca: bool,
    /// Issuer equals subject and the signature verifies with the certificate's own key. Where
    /// the algorithm cannot be checked (Ed448, DSA, MD5, ...), matching key identifiers stand
    /// in for the signature.
    pub self_signed: bool,
    /// Every extension, in certificate order, by OID with its criticality.
    pub extensions: Vec<Extension>,
    /// The RFC 6962 SCTs embedded in this certificate, judged with `--ct-log-list` (the leaf);
    /// empty when none.
    pub sct_list: Vec<super::Sct>,
    /// The values of the extensions people ask about (key usage, basic constraints, AIA, ...).
    #[serde(flatten)]
    pub values: ExtensionValues,
    /// `-----BEGIN CERTIFICATE-----`, base64 in 64-column lines, `-----END CERTIFICATE-----`,
    /// each line ending in a newline: what `openssl x509` reads.
    pub pem: String,
}

impl Certificate {
    /// How many whole days ago it expired, once `not_after` has passed; `None` while it is
    /// valid. `days_left` rounds down (-1 from the moment it expires to a day after), so a
    /// certificate that expired 30 hours ago has `days_left` -2 and expired 1 day ago, as
    /// the verifier's message says it.
    pub fn expired_days_ago(&self) -> Option<i64> {
        (self.days_left < 0).then(|| -self.days_left - 1)
    }
}

/// The subject public key.
#[derive(Debug, Clone, Serialize)]
pub struct PublicKey {
    /// `RSA` (rsaEncryption), `RSA-PSS` (id-RSASSA-PSS: an RSA key that signs with RSASSA-PSS
    /// only), `EC`, `Ed25519`, `Ed448`, `DSA`, `ML-DSA-44`, `ML-DSA-65`, `ML-DSA-87`, else the
    /// algorithm OID; `unknown` when the certificate does not parse.
    #[serde(rename = "type")]
    pub kind: KeyType,
    /// RSA and RSA-PSS modulus size, EC field size (256, 384, 521), DSA prime size, 256 for
    /// Ed25519 and 456 for Ed448 (as OpenSSL counts them); null when unknown or without
    /// meaning (ML-DSA).
    pub bits: Option<u32>,
    /// Named curve for EC keys (`P-256`, `P-384`, `P-521`, another curve's name or OID); null
    /// for other keys and for explicit curve parameters.
    pub curve: Option<String>,
}
