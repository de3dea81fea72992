//! Certificate facts for the report, read with x509-parser.

use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey as ParsedKey;

use crate::report::{Certificate, PublicKey};

/// Describe one certificate as served. Never fails: DER that does not parse still yields an
/// entry whose `sha256` and `pem` are real and whose `subject` says
/// `(unparseable certificate: REASON)`; its other strings are empty, `days_left` is 0 and the
/// key type is `unknown`.
pub fn describe(der: &[u8], now: SystemTime) -> Certificate {
    let sha256 = hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der).as_ref());
    let pem = pem(der);
    match X509Certificate::from_der(der) {
        Ok((_, cert)) => from_parsed(&cert, now, sha256, pem),
        Err(e) => Certificate {
            subject: format!("(unparseable certificate: {e})"),
            issuer: String::new(),
            serial: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            days_left: 0,
            sans: Vec::new(),
            key: PublicKey {
                kind: "unknown".into(),
                bits: None,
                curve: None,
            },
            signature_algorithm: String::new(),
            sha256,
            is_ca: false,
            self_signed: false,
            pem,
        },
    }
}

fn from_parsed(
    cert: &X509Certificate<'_>,
    now: SystemTime,
    sha256: String,
    pem: String,
) -> Certificate {
    let validity = cert.validity();
    let not_after = validity.not_after.timestamp();
    let days_left = (not_after - unix_seconds(now)).div_euclid(86_400);
    let self_signed =
        cert.subject().as_raw() == cert.issuer().as_raw() && cert.verify_signature(None).is_ok();
    Certificate {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: hex(cert.raw_serial()),
        not_before: rfc3339(validity.not_before.timestamp()),
        not_after: rfc3339(not_after),
        days_left,
        sans: sans(cert),
        key: key(cert),
        signature_algorithm: signature_algorithm(
            &cert.signature_algorithm.algorithm.to_id_string(),
        )
        .map_or_else(
            || cert.signature_algorithm.algorithm.to_id_string(),
            str::to_string,
        ),
        sha256,
        is_ca: cert.is_ca(),
        self_signed,
        pem,
    }
}

fn sans(cert: &X509Certificate<'_>) -> Vec<String> {
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

fn key(cert: &X509Certificate<'_>) -> PublicKey {
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
fn signature_algorithm(oid: &str) -> Option<&'static str> {
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

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

    fn issued(ca: bool, names: &[&str]) -> (rcgen::Certificate, KeyPair) {
        let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap();
        if ca {
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        let key = KeyPair::generate().unwrap();
        (p.self_signed(&key).unwrap(), key)
    }

    #[test]
    fn describes_a_self_signed_ecdsa_certificate() {
        let (c, _) = issued(false, &["localhost", "127.0.0.1", "::1"]);
        let d = describe(c.der(), SystemTime::now());
        assert_eq!(d.sans, vec!["localhost", "127.0.0.1", "::1"]);
        assert_eq!(d.key.kind, "EC");
        assert_eq!(d.key.curve.as_deref(), Some("P-256"));
        assert_eq!(d.key.bits, Some(256));
        assert_eq!(d.signature_algorithm, "ecdsa-with-SHA256");
        assert!(d.self_signed);
        assert!(!d.is_ca);
        assert_eq!(d.sha256.len(), 64);
        assert!(d.not_after.ends_with('Z'), "{}", d.not_after);
        assert!(d.days_left > 0);
        assert!(d.pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(d.pem.lines().all(|l| l.len() <= 64));
    }

    #[test]
    fn an_issued_certificate_is_not_self_signed() {
        let (ca, ca_key) = issued(true, &[]);
        let issuer = rcgen::Issuer::new(
            CertificateParams::new(Vec::<String>::new()).unwrap(),
            ca_key,
        );
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["a.example".to_string()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        assert!(describe(ca.der(), SystemTime::now()).is_ca);
        assert!(!describe(leaf.der(), SystemTime::now()).self_signed);
    }

    #[test]
    fn garbage_still_yields_an_entry() {
        for bad in [&b""[..], b"\x30\x03\x02\x01", b"not a certificate at all"] {
            let d = describe(bad, SystemTime::now());
            assert!(
                d.subject.starts_with("(unparseable certificate"),
                "{}",
                d.subject
            );
            assert_eq!(d.sha256.len(), 64);
        }
    }

    #[test]
    fn days_left_is_negative_once_expired() {
        let (c, _) = issued(false, &["x.example"]);
        let later = SystemTime::now() + std::time::Duration::from_secs(86_400 * 365 * 5000);
        assert!(describe(c.der(), later).days_left < 0);
    }
}
