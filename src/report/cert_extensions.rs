//! A certificate's X.509 extensions in the report: every one listed by OID with its
//! criticality ([`Extension`]), and the values of those a person or a script asks about as
//! typed fields of [`super::Certificate`] (null when the certificate lacks the extension).

use serde::{Serialize, Serializer};

/// One extension, in certificate order (contract addition: `certificates[].extensions[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    /// Dotted OID.
    pub oid: String,
    /// What it is, or null for an extension tlsprobe does not know.
    pub name: Option<ExtensionName>,
    pub critical: bool,
    /// A known extension whose value does not decode as its ASN.1 says, or that appears a
    /// second time (RFC 5280 forbids both); its typed field shows the first good one, if any.
    pub malformed: bool,
}

/// The extensions tlsprobe knows by name; the JSON spelling is [`ExtensionName::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionName {
    SubjectKeyIdentifier,
    KeyUsage,
    SubjectAltName,
    IssuerAltName,
    BasicConstraints,
    NameConstraints,
    CrlDistributionPoints,
    CertificatePolicies,
    PolicyMappings,
    AuthorityKeyIdentifier,
    PolicyConstraints,
    ExtendedKeyUsage,
    FreshestCrl,
    InhibitAnyPolicy,
    AuthorityInfoAccess,
    SubjectInfoAccess,
    SubjectDirectoryAttributes,
    /// RFC 6962 embedded SCTs.
    SignedCertificateTimestamps,
    /// RFC 6962 precertificate poison.
    PrecertificatePoison,
    /// RFC 7633 (`status_request` in it is OCSP must-staple).
    TlsFeature,
    /// id-pkix-ocsp-nocheck (RFC 6960).
    OcspNoCheck,
    NetscapeCertType,
    NetscapeComment,
}

impl ExtensionName {
    pub fn as_str(self) -> &'static str {
        use ExtensionName as N;
        match self {
            N::SubjectKeyIdentifier => "subject_key_identifier",
            N::KeyUsage => "key_usage",
            N::SubjectAltName => "subject_alt_name",
            N::IssuerAltName => "issuer_alt_name",
            N::BasicConstraints => "basic_constraints",
            N::NameConstraints => "name_constraints",
            N::CrlDistributionPoints => "crl_distribution_points",
            N::CertificatePolicies => "certificate_policies",
            N::PolicyMappings => "policy_mappings",
            N::AuthorityKeyIdentifier => "authority_key_identifier",
            N::PolicyConstraints => "policy_constraints",
            N::ExtendedKeyUsage => "extended_key_usage",
            N::FreshestCrl => "freshest_crl",
            N::InhibitAnyPolicy => "inhibit_any_policy",
            N::AuthorityInfoAccess => "authority_info_access",
            N::SubjectInfoAccess => "subject_info_access",
            N::SubjectDirectoryAttributes => "subject_directory_attributes",
            N::SignedCertificateTimestamps => "signed_certificate_timestamps",
            N::PrecertificatePoison => "precertificate_poison",
            N::TlsFeature => "tls_feature",
            N::OcspNoCheck => "ocsp_no_check",
            N::NetscapeCertType => "netscape_cert_type",
            N::NetscapeComment => "netscape_comment",
        }
    }
}

impl Serialize for ExtensionName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A keyUsage bit, by its RFC 5280 name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyUsageBit {
    #[serde(rename = "digitalSignature")]
    DigitalSignature,
    /// Also called contentCommitment.
    #[serde(rename = "nonRepudiation")]
    NonRepudiation,
    #[serde(rename = "keyEncipherment")]
    KeyEncipherment,
    #[serde(rename = "dataEncipherment")]
    DataEncipherment,
    #[serde(rename = "keyAgreement")]
    KeyAgreement,
    #[serde(rename = "keyCertSign")]
    KeyCertSign,
    #[serde(rename = "cRLSign")]
    CrlSign,
    #[serde(rename = "encipherOnly")]
    EncipherOnly,
    #[serde(rename = "decipherOnly")]
    DecipherOnly,
}

impl KeyUsageBit {
    /// In bit order (bit 0 first), as keyUsage numbers them.
    pub const ALL: [KeyUsageBit; 9] = [
        KeyUsageBit::DigitalSignature,
        KeyUsageBit::NonRepudiation,
        KeyUsageBit::KeyEncipherment,
        KeyUsageBit::DataEncipherment,
        KeyUsageBit::KeyAgreement,
        KeyUsageBit::KeyCertSign,
        KeyUsageBit::CrlSign,
        KeyUsageBit::EncipherOnly,
        KeyUsageBit::DecipherOnly,
    ];
}

/// An extendedKeyUsage purpose: RFC 5280's by name, any other by dotted OID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPurpose {
    ServerAuth,
    ClientAuth,
    CodeSigning,
    EmailProtection,
    TimeStamping,
    OcspSigning,
    Any,
    Other(String),
}

impl KeyPurpose {
    /// RFC 5280's names (`serverAuth`, `OCSPSigning`, `anyExtendedKeyUsage`), else the OID.
    pub fn as_str(&self) -> &str {
        match self {
            KeyPurpose::ServerAuth => "serverAuth",
            KeyPurpose::ClientAuth => "clientAuth",
            KeyPurpose::CodeSigning => "codeSigning",
            KeyPurpose::EmailProtection => "emailProtection",
            KeyPurpose::TimeStamping => "timeStamping",
            KeyPurpose::OcspSigning => "OCSPSigning",
            KeyPurpose::Any => "anyExtendedKeyUsage",
            KeyPurpose::Other(oid) => oid,
        }
    }
}

impl Serialize for KeyPurpose {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// basicConstraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    pub ca: bool,
    /// pathLenConstraint: how many CA certificates may follow this one; null for no limit.
    pub path_len: Option<u32>,
}

/// Authority Information Access: where to ask about the certificate and fetch its issuer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuthorityInfoAccess {
    /// id-ad-ocsp locations (URLs plain, other names prefixed as in `sans`).
    pub ocsp: Vec<String>,
    /// id-ad-caIssuers locations.
    pub ca_issuers: Vec<String>,
    /// Other access methods, as `OID location`.
    pub other: Vec<String>,
}

/// One certificate policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Dotted OID (`2.23.140.1.2.1` is the CA/Browser Forum's domain-validated policy).
    pub oid: String,
    /// CPS pointer qualifiers: where the policy statement is published.
    pub cps: Vec<String>,
}

/// The RFC 6962 SCTs embedded in the certificate (issue 20 will say more of each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scts {
    pub count: usize,
    /// Each SCT's log ID (the SHA-256 of the log's key), base64 as CT log lists write them.
    pub log_ids: Vec<String>,
}

/// nameConstraints: the subtrees the names below this CA must fall in, and must not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NameConstraints {
    /// As `sans` spells names (DNS names plain, `email:`, `URI:`, `DirName:`), IP ranges as
    /// `address/prefix` (or `address/mask` when the mask is not a prefix).
    pub permitted: Vec<String>,
    pub excluded: Vec<String>,
}

/// The typed values of the extensions in [`Extension`]'s list, flattened into the
/// certificate's JSON object; each null when the certificate does not have it (or has it
/// only malformed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExtensionValues {
    /// The bits set, in bit order.
    pub key_usage: Option<Vec<KeyUsageBit>>,
    /// In certificate order.
    pub extended_key_usage: Option<Vec<KeyPurpose>>,
    pub basic_constraints: Option<BasicConstraints>,
    pub authority_info_access: Option<AuthorityInfoAccess>,
    /// Each distribution point's full names (URLs plain, other names prefixed as in `sans`),
    /// or `relative:NAME` for one named relative to the CRL issuer.
    pub crl_distribution_points: Option<Vec<String>>,
    /// subjectKeyIdentifier, lowercase hex.
    pub subject_key_id: Option<String>,
    /// authorityKeyIdentifier's keyIdentifier, lowercase hex (null when it names the issuer
    /// by name and serial only).
    pub authority_key_id: Option<String>,
    pub certificate_policies: Option<Vec<Policy>>,
    pub scts: Option<Scts>,
    pub name_constraints: Option<NameConstraints>,
}
