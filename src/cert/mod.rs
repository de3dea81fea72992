//! Certificate facts for the report, read with x509-parser.
//!
//! [`describe`] gives the report's view of one certificate; [`examine`] gives that and the
//! [`Facts`] the chain verifier branches on, from one parse. Neither fails: a certificate that
//! does not parse still gets an entry, so the report always lists what the server sent.
//! [`signed_by`] and [`check_signature`] answer "did this key sign that certificate" for path
//! building, with more algorithms than x509-parser verifies on its own.

mod curves;
mod encoding;
mod extensions;
mod facts;
mod fields;
mod key;
mod name;
pub mod oids;
pub mod pem_file;
mod signature;

use std::time::SystemTime;

use x509_parser::certificate::X509Certificate;
use x509_parser::der_parser::error::BerError;
use x509_parser::error::X509Error;
use x509_parser::nom::{self, error::ErrorKind};
use x509_parser::prelude::FromDer;

pub use encoding::{hex, pem, rfc3339, system_time, unix_seconds};
pub use facts::Facts;
pub use fields::{ip_address, pin_of_spki, serial_text, signature_algorithm_name};
pub use name::name_text;
pub use signature::{check_signature, check_signed, ecdsa_for_key, signed_by, SignatureCheck};

use crate::report::{Certificate, ExtensionValues, KeyType, PublicKey};

/// Describe one certificate as served.
///
/// Never fails and never panics. DER that does not parse still yields an entry whose `sha256`
/// and `pem` are those of the bytes received and whose `subject` is
/// `(unparseable certificate: REASON)`; its other strings are empty, `sans` is empty,
/// `days_left` is 0, the key type is `unknown` with null bits and curve, and `is_ca` and
/// `self_signed` are false.
pub fn describe(der: &[u8], now: SystemTime) -> Certificate {
    examine(der, now).0
}

/// [`describe`], and the facts the verifier needs, from one parse. For DER that does not
/// parse, the facts are [`Facts::default`] (`parsed` false).
pub fn examine(der: &[u8], now: SystemTime) -> (Certificate, Facts) {
    let sha256 = hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der).as_ref());
    let pem = pem(der);
    match X509Certificate::from_der(der) {
        Ok((_, cert)) => {
            let self_signed = signature::is_self_signed(&cert);
            let described = from_parsed(&cert, now, self_signed, sha256, pem);
            (described, Facts::read(&cert, self_signed))
        }
        Err(e) => (unparseable(&reason(der, &e), sha256, pem), Facts::default()),
    }
}

/// [`examine`] for a certificate from the trust store: it is trusted as it is, so whether it
/// signed itself is taken from its names (issuer equals subject) instead of verifying the
/// signature, which is most of what examining costs.
pub fn examine_trusted(der: &[u8], now: SystemTime) -> (Certificate, Facts) {
    let sha256 = hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der).as_ref());
    let pem = pem(der);
    match X509Certificate::from_der(der) {
        Ok((_, cert)) => {
            let self_signed = cert.subject().as_raw() == cert.issuer().as_raw();
            let described = from_parsed(&cert, now, self_signed, sha256, pem);
            (described, Facts::read(&cert, self_signed))
        }
        Err(e) => (unparseable(&reason(der, &e), sha256, pem), Facts::default()),
    }
}

fn from_parsed(
    cert: &X509Certificate<'_>,
    now: SystemTime,
    self_signed: bool,
    sha256: String,
    pem: String,
) -> Certificate {
    let validity = cert.validity();
    let not_after = validity.not_after.timestamp();
    let (extensions, values) = extensions::read(cert);
    Certificate {
        subject: name_text(cert.subject()),
        issuer: name_text(cert.issuer()),
        serial: fields::serial(cert),
        not_before: rfc3339(validity.not_before.timestamp()),
        not_after: rfc3339(not_after),
        days_left: days_until(not_after, now),
        sans: fields::sans(cert),
        key: key::Key::read(cert.public_key()).describe(),
        signature_algorithm: fields::signature_algorithm(cert),
        broken_signature_hash: fields::broken_hash(&cert.signature_algorithm),
        sha256,
        pin_sha256: fields::pin_sha256(cert),
        is_ca: cert.is_ca(),
        self_signed,
        extensions,
        sct_list: crate::ct::embedded(cert),
        values,
        pem,
    }
}

/// Why `der` is not a certificate, or None when it parses: what [`describe`] puts in the
/// subject of an unparseable one.
pub fn parse_failure(der: &[u8]) -> Option<String> {
    X509Certificate::from_der(der)
        .err()
        .map(|e| reason(der, &e))
}

/// Why DER is not a certificate, in words for the report rather than nom's `Debug` output.
fn reason(der: &[u8], e: &nom::Err<X509Error>) -> String {
    let truncated = "truncated: the DER ends early".to_string();
    match e {
        _ if der.is_empty() => "no bytes".to_string(),
        nom::Err::Incomplete(_) => truncated,
        nom::Err::Error(x) | nom::Err::Failure(x) => match x {
            X509Error::Der(BerError::Incomplete(_))
            | X509Error::Der(BerError::NomError(ErrorKind::Eof))
            | X509Error::NomError(ErrorKind::Eof) => truncated,
            other => other.to_string(),
        },
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
            kind: KeyType::Unknown,
            bits: None,
            curve: None,
        },
        signature_algorithm: String::new(),
        broken_signature_hash: false,
        sha256,
        pin_sha256: String::new(),
        is_ca: false,
        self_signed: false,
        extensions: Vec::new(),
        sct_list: Vec::new(),
        values: ExtensionValues::default(),
        pem,
    }
}

/// floor((not_after - now) / 1 day), to the nanosecond: 0 on the last day, -1 from the first
/// moment after expiry.
fn days_until(not_after: i64, now: SystemTime) -> i64 {
    const NANOS_PER_DAY: i128 = 86_400 * 1_000_000_000;
    let now_nanos = match now.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
        Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
    };
    let left = i128::from(not_after) * 1_000_000_000 - now_nanos;
    i64::try_from(left.div_euclid(NANOS_PER_DAY)).unwrap_or(if left < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

#[cfg(test)]
mod tests;
