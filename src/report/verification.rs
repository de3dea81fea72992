use serde::Serialize;

/// The chain verdict, computed apart from the handshake so a bad chain is reported, not refused.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub verified: bool,
    pub trust_store: TrustStore,
    pub hostname_matches: bool,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustStore {
    Mozilla,
    System,
    File,
}

/// One error or warning about the chain.
#[derive(Debug, Clone, Serialize)]
pub struct Finding<C> {
    pub code: C,
    /// Index into `certificates[]` of the certificate concerned, or null for the chain as a whole.
    pub cert_index: Option<usize>,
    pub message: String,
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
            WarningCode::StaleOcsp => "stale_ocsp",
        }
    }
}
