//! The report's certificate fields, each read from a parsed certificate.

use std::net::IpAddr;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::public_key::PublicKey as ParsedKey;

use crate::report::PublicKey;

pub(super) fn sans(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ext)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    ext.value
        .general_names
        .iter()
        .map(|n| match n {
            GeneralName::DNSName(d) => (*d).to_string(),
            GeneralName::IPAddress(b) => ip(b),
            GeneralName::RFC822Name(e) => format!("email:{e}"),
            GeneralName::URI(u) => format!("URI:{u}"),
            GeneralName::DirectoryName(dn) => format!("DirName:{dn}"),
            GeneralName::RegisteredID(oid) => format!("RID:{oid}"),
            other => format!("other:{other:?}"),
        })
        .collect()
}

fn ip(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => {
            <[u8; 4]>::try_from(bytes).map_or_else(|_| hex(bytes), |b| IpAddr::from(b).to_string())
        }
        16 => {
            <[u8; 16]>::try_from(bytes).map_or_else(|_| hex(bytes), |b| IpAddr::from(b).to_string())
        }
        _ => format!("IP:{}", hex(bytes)),
    }
}

pub(super) fn key(cert: &X509Certificate<'_>) -> PublicKey {
    let spki = cert.public_key();
    let oid = spki.algorithm.algorithm.to_id_string();
    let (kind, bits, curve) = match oid.as_str() {
        "1.2.840.113549.1.1.1" => {
            let bits = match spki.parsed() {
                Ok(ParsedKey::RSA(rsa)) => u32::try_from(rsa.key_size()).ok(),
                _ => None,
            };
            ("RSA".to_string(), bits, None)
        }
        "1.2.840.10045.2.1" => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            let (name, bits) = match curve_oid.as_deref() {
                Some("1.2.840.10045.3.1.7") => ("P-256".to_string(), Some(256)),
                Some("1.3.132.0.34") => ("P-384".to_string(), Some(384)),
                Some("1.3.132.0.35") => ("P-521".to_string(), Some(521)),
                Some("1.3.132.0.10") => ("secp256k1".to_string(), Some(256)),
                Some(other) => (other.to_string(), None),
                None => ("unknown".to_string(), None),
            };
            ("EC".to_string(), bits, Some(name))
        }
        "1.3.101.112" => ("Ed25519".to_string(), Some(256), None),
        "1.3.101.113" => ("Ed448".to_string(), Some(456), None),
        "1.2.840.10040.4.1" => ("DSA".to_string(), None, None),
        "1.2.840.113549.1.1.10" => ("RSASSA-PSS".to_string(), None, None),
        _ => (oid, None, None),
    };
    PublicKey { kind, bits, curve }
}

/// OpenSSL's names for the signature algorithms met in practice.
pub(super) fn signature_algorithm(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        _ => return None,
    })
}

/// RFC 3339 UTC (`2026-11-22T18:00:00Z`) for a Unix time; out-of-range times as the number.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Lowercase hex, no separators.
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// The `-----BEGIN CERTIFICATE-----` form that `openssl x509` reads: 64-column base64.
pub fn pem(der: &[u8]) -> String {
    let b64 = data_encoding::BASE64.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 60);
    out.push_str("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The caIssuers URLs of the Authority Information Access extension.
pub(super) fn ca_issuers(cert: &X509Certificate<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for ext in cert.iter_extensions() {
        if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
            for desc in aia.iter() {
                // id-ad-caIssuers
                if desc.access_method.to_id_string() == "1.3.6.1.5.5.7.48.2" {
                    if let GeneralName::URI(u) = desc.access_location {
                        out.push(u.to_string());
                    }
                }
            }
        }
    }
    out
}
