//! Whether a stapled OCSP response proves anything about the leaf (RFC 6960 §4.2.2.2): it must
//! name the leaf in a CertID, and be signed by the leaf's issuer or by a responder that the
//! issuer authorised. Pure; never panics.
//!
//! Both halves matter: without the signature, a staple made by anyone is believed; without
//! the CertID, the CA's genuine answer about another certificate is.

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use super::ocsp::{self, serial_hex, BasicResponse, Identity, ReadError, UnsupportedHash};
use crate::cert::{check_signed, rfc3339, signature_algorithm_name, SignatureCheck};

/// What is wrong with a staple that does not prove the leaf's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StapleFault {
    /// The signature verifies neither with the issuer's key nor with the key of any
    /// certificate in the response's `certs`.
    BadSignature {
        /// The signature algorithm, as the report names certificate signature algorithms.
        algorithm: String,
        /// The leaf's issuer, by subject.
        issuer: String,
        /// How many certificates the response carries.
        certs: usize,
    },
    /// Signed by a responder certificate from `certs` that the leaf's issuer did not
    /// authorise.
    UnauthorisedResponder {
        /// The responder certificate's subject.
        responder: String,
        /// The leaf's issuer, by subject.
        issuer: String,
        why: Unauthorised,
    },
    /// No SingleResponse has a CertID for this leaf: it was issued for another certificate.
    WrongCertificate {
        /// Serials as the report shows them (lowercase hex): one the staple is about, and the
        /// leaf's.
        serial_in_staple: String,
        leaf_serial: String,
        /// The staple has the leaf's serial, but from another issuer (name or key hash
        /// differ).
        other_issuer: bool,
    },
    /// Not a successful basic response, or one that uses a hash or signature algorithm we
    /// cannot compute.
    Unreadable { why: Unreadable },
    /// The leaf's issuer certificate was not given (or it, or the leaf, does not parse), so
    /// the staple cannot be checked. Not a fault of the staple: callers ignore it.
    IssuerUnknown,
}

/// Why a staple could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    Read(ReadError),
    /// The CertID for the leaf's serial uses a hash we do not compute, by dotted OID.
    UnsupportedHash(String),
    /// A signature (on the response, or on its responder's certificate) uses an algorithm or
    /// key we cannot verify, by name.
    UnsupportedSignature(String),
}

/// Why a responder certificate may not speak for the leaf's issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthorised {
    /// Not issued by the leaf's issuer: another name as its issuer, or not signed by its key.
    NotIssuedByIssuer,
    /// Issued by the leaf's issuer, but without extended key usage id-kp-OCSPSigning.
    NoOcspSigning,
    /// Past its notAfter (Unix seconds).
    Expired { not_after: i64 },
    /// Before its notBefore (Unix seconds).
    NotYetValid { not_before: i64 },
}

impl StapleFault {
    /// One sentence a person can act on.
    pub fn message(&self) -> String {
        const FETCH: &str =
            "the server must staple a response fetched from its CA's OCSP responder";
        match self {
            StapleFault::BadSignature {
                algorithm,
                issuer,
                certs: 0,
            } => format!(
                "the stapled OCSP response's {algorithm} signature does not verify with the key of the leaf's issuer ({issuer}), and the response carries no responder certificate: it was altered or signed by someone else; {FETCH}"
            ),
            StapleFault::BadSignature {
                algorithm,
                issuer,
                certs,
            } => format!(
                "the stapled OCSP response's {algorithm} signature verifies neither with the key of the leaf's issuer ({issuer}) nor with that of any of the {certs} certificates it carries: it was altered or signed by someone else; {FETCH}"
            ),
            StapleFault::UnauthorisedResponder {
                responder,
                issuer,
                why,
            } => match why {
                Unauthorised::NotIssuedByIssuer => format!(
                    "the stapled OCSP response is signed by {responder}, which the leaf's issuer ({issuer}) did not issue, so it may not answer for this certificate; {FETCH}"
                ),
                Unauthorised::NoOcspSigning => format!(
                    "the stapled OCSP response is signed by {responder}, a certificate from {issuer} without the OCSP signing extended key usage (id-kp-OCSPSigning), so it may not sign OCSP responses; the CA must give its responder a certificate with that usage"
                ),
                Unauthorised::Expired { not_after } => format!(
                    "the stapled OCSP response is signed by {responder}, whose certificate expired on {}; the CA's responder needs a new certificate and the server a fresh response",
                    rfc3339(*not_after)
                ),
                Unauthorised::NotYetValid { not_before } => format!(
                    "the stapled OCSP response is signed by {responder}, whose certificate is not valid until {}; the responder's clock, or this machine's, is wrong",
                    rfc3339(*not_before)
                ),
            },
            StapleFault::WrongCertificate {
                serial_in_staple,
                leaf_serial,
                other_issuer: false,
            } => format!(
                "the stapled OCSP response is for certificate serial {serial_in_staple}, not for this certificate (serial {leaf_serial}); the server is stapling a stale or wrong response"
            ),
            StapleFault::WrongCertificate { leaf_serial, .. } => format!(
                "the stapled OCSP response is for serial {leaf_serial} from another issuer than this certificate's; the server is stapling a response for a certificate from another CA"
            ),
            StapleFault::Unreadable { why } => match why {
                Unreadable::Read(ReadError::Malformed(part)) => format!(
                    "the stapled OCSP response cannot be read: its {part} is malformed; the server is stapling something that is not a DER OCSP response"
                ),
                Unreadable::Read(ReadError::NotSuccessful(status)) => format!(
                    "the stapled OCSP response is the responder's error ({}) rather than a certificate status; the server should fetch a fresh response, or staple nothing until it has one",
                    status.name()
                ),
                Unreadable::Read(ReadError::NotBasic(oid)) => format!(
                    "the stapled OCSP response is of type {oid}, not a basic OCSP response, the only type clients accept"
                ),
                Unreadable::UnsupportedHash(oid) => format!(
                    "the stapled OCSP response names the certificate with a hash tlsprobe does not compute ({oid}; SHA-1 and SHA-2 are supported), so it cannot tell whether the response is for this certificate"
                ),
                Unreadable::UnsupportedSignature(algorithm) => format!(
                    "a signature on the stapled OCSP response uses {algorithm}, which tlsprobe cannot verify, so it cannot tell whether the response is genuine"
                ),
            },
            StapleFault::IssuerUnknown => "the stapled OCSP response cannot be checked: the certificate of the leaf's issuer is neither served nor in the trust store".to_string(),
        }
    }
}

/// Whether `staple_der` (an OCSPResponse) proves the status of `leaf_der`, issued by
/// `issuer_der` (the served intermediate, or the trust anchor's certificate), at `now` (Unix
/// seconds). Says nothing of the status itself: a genuine `revoked` passes.
///
/// The CertID is checked first: a staple meant for another certificate (often one from
/// another CA, kept after a renewal) is then named as such rather than as badly signed.
pub fn check(
    staple_der: &[u8],
    leaf_der: &[u8],
    issuer_der: Option<&[u8]>,
    now: i64,
) -> Result<(), StapleFault> {
    let basic = ocsp::read(staple_der).map_err(|e| unreadable(Unreadable::Read(e)))?;
    let (Some(leaf), Some(issuer)) = (certificate(leaf_der), issuer_der.and_then(certificate))
    else {
        return Err(StapleFault::IssuerUnknown);
    };
    names_the_leaf(&basic, &Identity::new(&leaf, &issuer))?;
    signed_with_authority(&basic, &issuer, now)
}

fn certificate(der: &[u8]) -> Option<X509Certificate<'_>> {
    X509Certificate::from_der(der).ok().map(|(_, c)| c)
}

fn unreadable(why: Unreadable) -> StapleFault {
    StapleFault::Unreadable { why }
}

/// Some SingleResponse's CertID is the leaf's.
fn names_the_leaf(basic: &BasicResponse<'_>, leaf: &Identity<'_>) -> Result<(), StapleFault> {
    let mut cannot_tell = None;
    for single in &basic.responses {
        match single.cert_id.names(leaf) {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            // A hash we cannot compute only matters where the serial is the leaf's.
            Err(UnsupportedHash(oid)) if single.cert_id.has_serial(leaf.serial) => {
                cannot_tell = Some(oid);
            }
            Err(_) => {}
        }
    }
    if let Some(oid) = cannot_tell {
        return Err(unreadable(Unreadable::UnsupportedHash(oid)));
    }
    // Name the closest miss: the leaf's serial under another issuer, else the first response.
    let same_serial = basic
        .responses
        .iter()
        .find(|s| s.cert_id.has_serial(leaf.serial));
    let shown = same_serial.or(basic.responses.first());
    Err(StapleFault::WrongCertificate {
        serial_in_staple: shown.map_or_else(String::new, |s| s.cert_id.serial_hex()),
        leaf_serial: serial_hex(leaf.serial),
        other_issuer: same_serial.is_some(),
    })
}

/// Signed by the issuer's key, or by a responder certificate in `certs` that the issuer
/// authorised. The responderID is not consulted: whichever key verifies the signature is the
/// signer, and trying every key costs a few verifications at most.
fn signed_with_authority(
    basic: &BasicResponse<'_>,
    issuer: &X509Certificate<'_>,
    now: i64,
) -> Result<(), StapleFault> {
    let Ok((_, algorithm)) = AlgorithmIdentifier::from_der(basic.signature_algorithm) else {
        return Err(unreadable(Unreadable::Read(ReadError::Malformed(
            "signatureAlgorithm",
        ))));
    };
    let verify =
        |key: &SubjectPublicKeyInfo<'_>| check_signed(basic.tbs, &algorithm, basic.signature, key);
    let mut cannot_tell = false;
    match verify(issuer.public_key()) {
        SignatureCheck::Valid => return Ok(()),
        SignatureCheck::Unsupported => cannot_tell = true,
        SignatureCheck::Invalid => {}
    }
    for der in &basic.certs {
        // A certificate that does not parse cannot be the signer we could trust.
        let Some(responder) = certificate(der) else {
            continue;
        };
        match verify(responder.public_key()) {
            SignatureCheck::Valid => return authorised(&responder, issuer, now),
            SignatureCheck::Unsupported => cannot_tell = true,
            SignatureCheck::Invalid => {}
        }
    }
    let name = signature_algorithm_name(&algorithm);
    if cannot_tell {
        return Err(unreadable(Unreadable::UnsupportedSignature(name)));
    }
    Err(StapleFault::BadSignature {
        algorithm: name,
        issuer: issuer.subject().to_string(),
        certs: basic.certs.len(),
    })
}

/// RFC 6960 §4.2.2.2's delegated responder: issued by the leaf's issuer (its name and its
/// key), with id-kp-OCSPSigning, and valid now: what OpenSSL's OCSP_basic_verify and
/// mozilla::pkix (Firefox) insist on too.
fn authorised(
    responder: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
    now: i64,
) -> Result<(), StapleFault> {
    let refuse = |why| StapleFault::UnauthorisedResponder {
        responder: responder.subject().to_string(),
        issuer: issuer.subject().to_string(),
        why,
    };
    if responder.issuer().as_raw() != issuer.subject().as_raw() {
        return Err(refuse(Unauthorised::NotIssuedByIssuer));
    }
    let issued = check_signed(
        responder.tbs_certificate.as_ref(),
        &responder.signature_algorithm,
        &responder.signature_value.data,
        issuer.public_key(),
    );
    match issued {
        SignatureCheck::Valid => {}
        SignatureCheck::Invalid => return Err(refuse(Unauthorised::NotIssuedByIssuer)),
        SignatureCheck::Unsupported => {
            let name = signature_algorithm_name(&responder.signature_algorithm);
            return Err(unreadable(Unreadable::UnsupportedSignature(name)));
        }
    }
    // A malformed or duplicated extendedKeyUsage grants nothing.
    if !matches!(responder.extended_key_usage(), Ok(Some(eku)) if eku.value.ocsp_signing) {
        return Err(refuse(Unauthorised::NoOcspSigning));
    }
    let validity = responder.validity();
    let (not_before, not_after) = (
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    );
    if now < not_before {
        return Err(refuse(Unauthorised::NotYetValid { not_before }));
    }
    if now > not_after {
        return Err(refuse(Unauthorised::Expired { not_after }));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
