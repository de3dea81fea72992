//! What the chain verifier needs of a certificate, read in the same parse as its description.

use std::time::SystemTime;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
/// id-ad-caIssuers: where a certificate's issuer can be downloaded.
use x509_parser::oid_registry::OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS;

use super::encoding::{system_time, unix_seconds};

/// The facts about one certificate that chain checks branch on. From [`super::examine`], so
/// each served certificate is parsed once. Names are the raw DER of the Name (tag and length
/// included), compared byte for byte as chain building does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// False when the DER did not parse; every other field is then empty, zero or false.
    pub parsed: bool,
    pub subject: Vec<u8>,
    pub issuer: Vec<u8>,
    /// The validity window, in Unix seconds, both ends inclusive (see [`Facts::valid_at`]).
    pub not_before: i64,
    pub not_after: i64,
    /// Same as the report's `self_signed`: issuer equals subject and the signature verifies
    /// with the certificate's own key.
    pub self_signed: bool,
    /// The subjectPublicKeyInfo, DER (SEQUENCE included).
    pub spki: Vec<u8>,
    /// Authority Information Access caIssuers URLs: where the issuer can be fetched.
    pub ca_issuers: Vec<String>,
    /// basicConstraints says CA:TRUE.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint, when given.
    pub path_len: Option<u32>,
    /// The key may sign certificates: keyUsage has keyCertSign, or there is no keyUsage
    /// extension (RFC 5280: no restriction). False when keyUsage appears twice or is malformed.
    pub allows_cert_sign: bool,
    /// The certificate may identify a TLS server: extendedKeyUsage has serverAuth, or there
    /// is no extendedKeyUsage extension. anyExtendedKeyUsage alone does not count (neither
    /// webpki nor OpenSSL accept it for a server). False when the extension is malformed.
    pub allows_server_auth: bool,
    /// The same for a TLS client (clientAuth).
    pub allows_client_auth: bool,
    /// subjectKeyIdentifier, when present.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier's keyIdentifier, when present: the issuer's subjectKeyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
}

impl Facts {
    /// Read the facts of a parsed certificate whose self-signedness is already known.
    pub(super) fn read(cert: &X509Certificate<'_>, self_signed: bool) -> Facts {
        let validity = cert.validity();
        let constraints = cert.basic_constraints().ok().flatten().map(|bc| bc.value);
        let ids = key_ids(cert);
        Facts {
            parsed: true,
            subject: cert.subject().as_raw().to_vec(),
            issuer: cert.issuer().as_raw().to_vec(),
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
            self_signed,
            spki: cert.public_key().raw.to_vec(),
            ca_issuers: ca_issuers(cert),
            is_ca: constraints.is_some_and(|bc| bc.ca),
            path_len: constraints.and_then(|bc| bc.path_len_constraint),
            allows_cert_sign: match cert.key_usage() {
                Ok(Some(ku)) => ku.value.key_cert_sign(),
                Ok(None) => true,
                Err(_) => false,
            },
            allows_server_auth: match cert.extended_key_usage() {
                Ok(Some(eku)) => eku.value.server_auth,
                Ok(None) => true,
                Err(_) => false,
            },
            allows_client_auth: match cert.extended_key_usage() {
                Ok(Some(eku)) => eku.value.client_auth,
                Ok(None) => true,
                Err(_) => false,
            },
            subject_key_id: ids.subject.map(<[u8]>::to_vec),
            authority_key_id: ids.authority.map(<[u8]>::to_vec),
        }
    }

    /// The first moment of the validity window.
    pub fn valid_from(&self) -> SystemTime {
        system_time(self.not_before)
    }

    /// The last moment of the validity window.
    pub fn valid_until(&self) -> SystemTime {
        system_time(self.not_after)
    }

    /// `at` falls inside the validity window (RFC 5280: both ends included). False for a
    /// certificate that did not parse.
    pub fn valid_at(&self, at: SystemTime) -> bool {
        let t = unix_seconds(at);
        self.parsed && self.not_before <= t && t <= self.not_after
    }
}

/// A certificate's own key identifier and the one it names for its issuer.
pub(super) struct KeyIds<'a> {
    pub subject: Option<&'a [u8]>,
    pub authority: Option<&'a [u8]>,
}

pub(super) fn key_ids<'a>(cert: &'a X509Certificate<'_>) -> KeyIds<'a> {
    let mut ids = KeyIds {
        subject: None,
        authority: None,
    };
    for ext in cert.iter_extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => ids.subject = Some(id.0),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                ids.authority = aki.key_identifier.as_ref().map(|id| id.0);
            }
            _ => {}
        }
    }
    ids
}

/// The caIssuers URLs of the Authority Information Access extension, in order.
fn ca_issuers(cert: &X509Certificate<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for ext in cert.iter_extensions() {
        if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
            for desc in aia.iter() {
                if desc.access_method == OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS {
                    if let GeneralName::URI(u) = desc.access_location {
                        out.push(u.to_string());
                    }
                }
            }
        }
    }
    out
}
