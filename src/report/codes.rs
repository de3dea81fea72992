//! The report's closed sets of codes that are not errors or verdicts: each an enum that
//! serialises to the contract's spelling and displays the same way, so that the code compares
//! values and only the edge makes strings.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::wire::code_points::ProtocolVersion;

/// A protocol version in the JSON: `SSLv3`, `TLSv1.0` .. `TLSv1.3`, or `0x%04x` for one
/// without a name (its Display).
impl Serialize for ProtocolVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An enum of codes: its contract spelling, serialised and displayed as such.
macro_rules! codes {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}

codes! {
    /// The check a [`super::Check`] reports.
    pub enum CheckCode {
        /// `--min-days`.
        MinDays => "min_days",
        /// `--pin`.
        Pin => "pin",
        /// `--policy`: one rule of the policy, named by [`super::Check::rule`].
        Policy => "policy",
    }
}

codes! {
    /// The rule of a `--policy` a [`super::Check`] reports, in the order they are judged.
    pub enum PolicyRule {
        /// The versions the scan found accepted are among those allowed, and the required
        /// ones are accepted.
        Versions => "versions",
        /// Every suite accepted, of every version, is one the policy allows for that version.
        CipherSuites => "cipher_suites",
        /// Every elliptic-curve (or hybrid) group accepted is one the policy allows.
        Groups => "groups",
        /// Every DHE prime the server chose, and every finite-field group it accepts, is at
        /// least the policy's size.
        DhParamSize => "dh_param_size",
        /// The leaf's key type, curve and size.
        CertificateType => "certificate_type",
        /// The leaf's notAfter - notBefore, in whole days.
        CertificateLifespan => "certificate_lifespan",
        /// Strict-Transport-Security's max-age (only with `--http`).
        Hsts => "hsts",
    }
}

codes! {
    /// Where an SCT came from.
    pub enum SctSource {
        /// The certificate's own extension (1.3.6.1.4.1.11129.2.4.2), signed over the
        /// precertificate.
        Certificate => "certificate",
        /// The TLS `signed_certificate_timestamp` extension.
        TlsExtension => "tls_extension",
        /// The stapled OCSP response's extension (1.3.6.1.4.1.11129.2.4.5).
        Ocsp => "ocsp",
    }
}

codes! {
    /// What came of checking an SCT's signature with the log's key.
    pub enum SctSignature {
        /// No log list was given (`--ct-log-list`).
        NotChecked => "not_checked",
        /// The log list does not hold the log.
        UnknownLog => "unknown_log",
        /// The issuer's key, which a precertificate SCT signs over, is not known.
        NoIssuer => "no_issuer",
        Valid => "valid",
        Invalid => "invalid",
    }
}

codes! {
    /// What a stapled OCSP response says of the certificate.
    pub enum OcspStatus {
        Good => "good",
        Revoked => "revoked",
        Unknown => "unknown",
    }
}

codes! {
    /// How `--reconnect` resumed the session.
    pub enum Resumption {
        /// A session ticket (TLS 1.2 RFC 5077, or any TLS 1.3 resumption).
        Ticket => "ticket",
        /// The TLS 1.2 session ID.
        SessionId => "session_id",
    }
}

codes! {
    /// Whose order the server follows when it picks a suite.
    pub enum Preference {
        Server => "server",
        Client => "client",
    }
}

codes! {
    /// A weakness of an accepted suite.
    pub enum SuiteFlag {
        /// No encryption.
        Null => "null",
        Export => "export",
        Rc4 => "rc4",
        TripleDes => "3des",
        Des => "des",
        Cbc => "cbc",
        Anonymous => "anonymous",
        Md5 => "md5",
    }
}

codes! {
    /// What a scan finding is about.
    pub enum ScanCode {
        LegacyProtocol => "legacy_protocol",
        WeakCipher => "weak_cipher",
        NoForwardSecrecy => "no_forward_secrecy",
        CbcCipher => "cbc_cipher",
        NoTls13 => "no_tls13",
        ClientPreference => "client_preference",
        /// A DHE group under 2048 bits, seen in the server's first flight.
        WeakDh => "weak_dh",
        InsecureRenegotiation => "insecure_renegotiation",
        NoExtendedMasterSecret => "no_extended_master_secret",
        Compression => "compression",
        Heartbeat => "heartbeat",
        Heartbleed => "heartbleed",
        NoFallbackScsv => "no_fallback_scsv",
        Sslv2 => "sslv2",
        EarlyData => "early_data",
        LongTicketLifetime => "long_ticket_lifetime",
        /// A chain served for one kind of certificate (RSA, ECDSA, Ed25519), not the one the
        /// probe saw, that fails verification or expires soon.
        OtherChain => "other_chain",
        /// The server takes renegotiations its clients start.
        ClientRenegotiation => "client_renegotiation",
    }
}

codes! {
    /// How much a scan finding matters.
    pub enum Severity {
        High => "high",
        Medium => "medium",
        Low => "low",
        Info => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_and_display_as_the_contract_spells_them() {
        fn json<T: Serialize>(v: &T) -> String {
            serde_json::to_string(v).unwrap()
        }
        assert_eq!(json(&SuiteFlag::TripleDes), "\"3des\"");
        assert_eq!(SuiteFlag::TripleDes.to_string(), "3des");
        assert_eq!(json(&ScanCode::NoTls13), "\"no_tls13\"");
        assert_eq!(json(&Resumption::SessionId), "\"session_id\"");
        assert_eq!(json(&CheckCode::MinDays), "\"min_days\"");
        assert_eq!(json(&CheckCode::Policy), "\"policy\"");
        assert_eq!(json(&PolicyRule::CipherSuites), "\"cipher_suites\"");
        assert_eq!(
            PolicyRule::CertificateLifespan.to_string(),
            "certificate_lifespan"
        );
        assert_eq!(json(&ProtocolVersion::TLS1_0), "\"TLSv1.0\"");
        assert_eq!(json(&ProtocolVersion(0x0a0a)), "\"0x0a0a\"");
        assert_eq!(format!("{:<8}|", ProtocolVersion::SSL3), "SSLv3   |");
        assert!(ProtocolVersion::TLS1_1.is_legacy() && !ProtocolVersion::TLS1_2.is_legacy());
    }
}

/// What kind of public key a certificate holds (contract: `certificates[].key.type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyType {
    /// rsaEncryption.
    Rsa,
    /// id-RSASSA-PSS: an RSA key that signs with RSASSA-PSS only.
    RsaPss,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    /// FIPS 204 ML-DSA: the parameter set's name, `ML-DSA-44`, `ML-DSA-65` or `ML-DSA-87`.
    MlDsa(&'static str),
    /// Any other algorithm, by its dotted OID.
    Other(String),
    /// The certificate does not parse.
    Unknown,
}

impl KeyType {
    pub fn as_str(&self) -> &str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::RsaPss => "RSA-PSS",
            KeyType::Ec => "EC",
            KeyType::Ed25519 => "Ed25519",
            KeyType::Ed448 => "Ed448",
            KeyType::Dsa => "DSA",
            KeyType::MlDsa(name) => name,
            KeyType::Other(oid) => oid,
            KeyType::Unknown => "unknown",
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for KeyType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
