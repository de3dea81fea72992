//! Certificate facts for the report, read with x509-parser.

mod fields;

use std::time::{SystemTime, UNIX_EPOCH};

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use fields::{ca_issuers, key, sans, signature_algorithm};
pub use fields::{hex, pem, rfc3339};

use crate::report::{Certificate, PublicKey};

/// What the chain verifier needs of a certificate, read in the same parse as its description.
/// Names are the raw DER of the Name (tag and length included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// False when the DER did not parse; every other field is then empty.
    pub parsed: bool,
    pub subject: Vec<u8>,
    pub issuer: Vec<u8>,
    /// The validity window, in Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    /// Issuer equals subject and the signature verifies with the certificate's own key.
    pub self_signed: bool,
    /// The subjectPublicKeyInfo, DER.
    pub spki: Vec<u8>,
    /// Authority Information Access caIssuers URLs: where the issuer can be fetched.
    pub ca_issuers: Vec<String>,
}

/// Describe one certificate as served. Never fails: DER that does not parse still yields an
/// entry whose `sha256` and `pem` are real and whose `subject` says
/// `(unparseable certificate: REASON)`; its other strings are empty, `days_left` is 0 and the
/// key type is `unknown`.
pub fn describe(der: &[u8], now: SystemTime) -> Certificate {
    examine(der, now).0
}

/// [`describe`], and the facts the verifier needs, from one parse.
pub fn examine(der: &[u8], now: SystemTime) -> (Certificate, Facts) {
    let sha256 = hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der).as_ref());
    let pem = pem(der);
    match X509Certificate::from_der(der) {
        Ok((_, cert)) => {
            let described = from_parsed(&cert, now, sha256, pem);
            let validity = cert.validity();
            let facts = Facts {
                parsed: true,
                subject: cert.subject().as_raw().to_vec(),
                issuer: cert.issuer().as_raw().to_vec(),
                not_before: validity.not_before.timestamp(),
                not_after: validity.not_after.timestamp(),
                self_signed: described.self_signed,
                spki: cert.public_key().raw.to_vec(),
                ca_issuers: ca_issuers(&cert),
            };
            (described, facts)
        }
        Err(e) => (unparseable(&e.to_string(), sha256, pem), Facts::default()),
    }
}

fn unparseable(reason: &str, sha256: String, pem: String) -> Certificate {
    Certificate {
        subject: format!("(unparseable certificate: {reason})"),
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

/// Seconds since the Unix epoch (negative before it).
pub fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
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
