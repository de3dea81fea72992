use serde::Serialize;

/// The chain verdict, computed apart from the handshake so a bad chain is reported, not refused.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub verified: bool,
    pub trust_store: TrustStore,
    /// The leaf is valid for the name checked; null when no name was checked (`tlsprobe
    /// verify` without `--host`).
    pub hostname_matches: Option<bool>,
    pub errors: Vec<Finding<VerifyCode>>,
    pub warnings: Vec<Finding<WarningCode>>,
    /// The certification path, from the leaf to the trust anchor that ended it; empty when no
    /// path was found.
    pub path: Vec<PathEntry>,
}

/// One certificate of the certification path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathEntry {
    pub subject: String,
    /// Index into `certificates[]` when the server sent this certificate, else null.
    pub cert_index: Option<usize>,
    /// This is the trust anchor (a root of the trust store) that ended the path.
    pub trust_anchor: bool,
    /// The key's pin (base64 SHA-256 of its SubjectPublicKeyInfo), as `certificates[]` has it.
    pub pin_sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustStore {
    Mozilla,
    System,
    File,
}

impl TrustStore {
    /// How messages and the text view name this store.
    pub fn name(self) -> &'static str {
        match self {
            TrustStore::Mozilla => "the Mozilla root store",
            TrustStore::System => "the system trust store",
            TrustStore::File => "--ca-file",
        }
    }
}

/// One error or warning about the chain.
#[derive(Debug, Clone, Serialize)]
pub struct Finding<C> {
    pub code: C,
    /// Index into `certificates[]` of the certificate concerned, or null for the chain as a whole.
    pub cert_index: Option<usize>,
    pub message: String,
    /// One sentence on what to do about it: present on every error, null on warnings whose
    /// message already says it.
    pub hint: Option<String>,
}

/// The contract's verification error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyCode {
    Expired,
    NotYetValid,
    HostnameMismatch,
    UnknownIssuer,
    SelfSigned,
    IncompleteChain,
    Revoked,
    WeakSignature,
    WeakKey,
    BadSignature,
    NotACa,
    BadUsage,
    /// A certificate on the path is outside a CA's name constraints, or the constraints are
    /// malformed.
    NameConstraints,
    /// The path is longer than a CA's pathLenConstraint (or than tlsprobe's depth limit).
    PathLength,
    /// An extension breaks RFC 5280's profile: malformed, duplicated, wrongly critical or not,
    /// missing where required (key identifiers, basicConstraints), or unknown and critical.
    BadExtension,
    /// A certificate on the path is not valid DER or X.509 (bad serial number, version,
    /// validity, empty names, mismatched signature algorithms).
    Malformed,
    /// The stapled OCSP response does not prove this certificate's status: not signed by its
    /// issuer or an authorised responder, or issued for another certificate.
    BadOcspStaple,
    Other,
}

impl VerifyCode {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyCode::Expired => "expired",
            VerifyCode::NotYetValid => "not_yet_valid",
            VerifyCode::HostnameMismatch => "hostname_mismatch",
            VerifyCode::UnknownIssuer => "unknown_issuer",
            VerifyCode::SelfSigned => "self_signed",
            VerifyCode::IncompleteChain => "incomplete_chain",
            VerifyCode::Revoked => "revoked",
            VerifyCode::WeakSignature => "weak_signature",
            VerifyCode::WeakKey => "weak_key",
            VerifyCode::BadSignature => "bad_signature",
            VerifyCode::NotACa => "not_a_ca",
            VerifyCode::BadUsage => "bad_usage",
            VerifyCode::NameConstraints => "name_constraints",
            VerifyCode::PathLength => "path_length",
            VerifyCode::BadExtension => "bad_extension",
            VerifyCode::Malformed => "malformed",
            VerifyCode::BadOcspStaple => "bad_ocsp_staple",
            VerifyCode::Other => "other",
        }
    }
}

/// The contract's warning codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    ExpiresSoon,
    RootSent,
    ChainOrder,
    ExtraCertificates,
    NoSct,
    /// Fewer SCTs (or log operators) than the Chrome and Apple CT policies ask for a
    /// certificate of its lifetime.
    CtPolicy,
    /// The stapled OCSP response is past its nextUpdate.
    StaleOcsp,
}

impl WarningCode {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::ExpiresSoon => "expires_soon",
            WarningCode::RootSent => "root_sent",
            WarningCode::ChainOrder => "chain_order",
            WarningCode::ExtraCertificates => "extra_certificates",
            WarningCode::NoSct => "no_sct",
            WarningCode::CtPolicy => "ct_policy",
            WarningCode::StaleOcsp => "stale_ocsp",
        }
    }
}
