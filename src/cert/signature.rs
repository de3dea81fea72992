//! Whether a certificate's signature verifies under a key, with aws-lc-rs.
//!
//! x509-parser's `verify_signature` knows fewer algorithms than aws-lc-rs offers (no P-521, no
//! SHA-512 ECDSA, no RSA keys under 2048 bits), and says "invalid" where it means "cannot
//! tell". A chain inspector must tell those apart: a 1024-bit root is still self-signed, and
//! weak keys are exactly what it should be able to show.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use super::key::{Curve, Key, MlDsa, NamedCurve};
use super::oids;

/// The outcome of checking a signature under a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The signature verifies under the key.
    Valid,
    /// It does not: wrong signature, a key of another type than the algorithm needs, or a
    /// certificate or key that does not parse.
    Invalid,
    /// We cannot check this combination: an algorithm aws-lc-rs lacks (Ed448, DSA, MD5,
    /// RSASSA-PSS with SHA-1 or an unusual salt length), or a key size outside what it accepts
    /// (RSA outside 1024..=8192 bits; 2048 for SHA-384 and PSS).
    Unsupported,
}

/// Whether the certificate `child_der` is signed by the key of the certificate `issuer_der`.
/// False when either does not parse or the algorithm is one we cannot check.
pub fn signed_by(child_der: &[u8], issuer_der: &[u8]) -> bool {
    match X509Certificate::from_der(issuer_der) {
        Ok((_, issuer)) => check_under_key(child_der, issuer.public_key()) == SignatureCheck::Valid,
        Err(_) => false,
    }
}

/// Check the signature of the certificate `child_der` under a DER SubjectPublicKeyInfo
/// (a trust anchor's key, for instance).
pub fn check_signature(child_der: &[u8], spki_der: &[u8]) -> SignatureCheck {
    match SubjectPublicKeyInfo::from_der(spki_der) {
        Ok((_, spki)) => check_under_key(child_der, &spki),
        Err(_) => SignatureCheck::Invalid,
    }
}

fn check_under_key(child_der: &[u8], spki: &SubjectPublicKeyInfo<'_>) -> SignatureCheck {
    match X509Certificate::from_der(child_der) {
        Ok((_, child)) => check(&child, spki),
        Err(_) => SignatureCheck::Invalid,
    }
}

/// Check `cert`'s signature under `spki`.
pub(super) fn check(cert: &X509Certificate<'_>, spki: &SubjectPublicKeyInfo<'_>) -> SignatureCheck {
    check_signed(
        cert.tbs_certificate.as_ref(),
        &cert.signature_algorithm,
        &cert.signature_value.data,
        spki,
    )
}

/// Check a signature over `message` made with `algorithm` under `spki`, with the same
/// algorithms as certificate signatures: for other signed X.509-style structures (OCSP
/// responses sign their tbsResponseData the same way).
pub fn check_signed(
    message: &[u8],
    algorithm: &AlgorithmIdentifier<'_>,
    signature: &[u8],
    spki: &SubjectPublicKeyInfo<'_>,
) -> SignatureCheck {
    let alg = match self::algorithm(algorithm, &Key::read(spki)) {
        Ok(alg) => alg,
        Err(outcome) => return outcome,
    };
    let key = &spki.subject_public_key.data;
    let parameters = algorithm.parameters.as_ref().map_or(&[][..], |p| p.data);
    let parts = [
        algorithm.algorithm.as_bytes(),
        parameters,
        spki.raw,
        message,
        signature,
    ];
    // The same certificate under the same key is checked once a run (verify::signature_cache).
    let good = crate::verify::signature_cache::verdict(&parts, || {
        UnparsedPublicKey::new(alg, key)
            .verify(message, signature)
            .is_ok()
    });
    if good {
        SignatureCheck::Valid
    } else {
        SignatureCheck::Invalid
    }
}

/// The aws-lc-rs algorithm for a certificate signature algorithm and the signer's key, or why
/// there is none.
fn algorithm(
    sig: &AlgorithmIdentifier<'_>,
    key: &Key,
) -> Result<&'static dyn VerificationAlgorithm, SignatureCheck> {
    use SignatureCheck::{Invalid, Unsupported};
    let oid = sig.algorithm.as_bytes();
    match oid {
        // PKCS #1 v1.5. The legacy variants accept 1024..=8192-bit keys, so one table serves
        // weak and strong keys alike; SHA-384 only exists from 2048 bits.
        oids::SHA1_WITH_RSA | oids::SHA1_WITH_RSA_OIW => rsa(
            pkcs1_key(key)?,
            1024,
            &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        ),
        oids::SHA256_WITH_RSA => rsa(
            pkcs1_key(key)?,
            1024,
            &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        ),
        oids::SHA384_WITH_RSA => rsa(
            pkcs1_key(key)?,
            2048,
            &signature::RSA_PKCS1_2048_8192_SHA384,
        ),
        oids::SHA512_WITH_RSA => rsa(
            pkcs1_key(key)?,
            1024,
            &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        ),
        oids::RSASSA_PSS => {
            let bits = match key {
                Key::Rsa { bits } | Key::RsaPss { bits } => *bits,
                _ => return Err(Invalid),
            };
            match pss_hash_bits(sig) {
                Some(256) => rsa(bits, 2048, &signature::RSA_PSS_2048_8192_SHA256),
                Some(384) => rsa(bits, 2048, &signature::RSA_PSS_2048_8192_SHA384),
                Some(512) => rsa(bits, 2048, &signature::RSA_PSS_2048_8192_SHA512),
                _ => Err(Unsupported),
            }
        }
        oids::ECDSA_WITH_SHA1
        | oids::ECDSA_WITH_SHA224
        | oids::ECDSA_WITH_SHA256
        | oids::ECDSA_WITH_SHA384
        | oids::ECDSA_WITH_SHA512 => {
            let Key::Ec { curve, .. } = key else {
                return Err(Invalid);
            };
            ecdsa(oid, curve.as_ref()).ok_or(Unsupported)
        }
        oids::ED25519 => match key {
            Key::Ed25519 => Ok(&signature::ED25519),
            _ => Err(Invalid),
        },
        // ML-DSA: the signature OID names the parameter set, which the key must share.
        oids::ML_DSA_44 | oids::ML_DSA_65 | oids::ML_DSA_87 => match (oid, key) {
            (oids::ML_DSA_44, Key::MlDsa(MlDsa::Ml44)) => Ok(&signature::ML_DSA_44),
            (oids::ML_DSA_65, Key::MlDsa(MlDsa::Ml65)) => Ok(&signature::ML_DSA_65),
            (oids::ML_DSA_87, Key::MlDsa(MlDsa::Ml87)) => Ok(&signature::ML_DSA_87),
            _ => Err(Invalid),
        },
        _ => Err(Unsupported),
    }
}

/// The modulus size of a key that may make PKCS #1 v1.5 signatures: rsaEncryption only, as
/// an id-RSASSA-PSS key signs with PSS alone (RFC 4055 section 1.2).
fn pkcs1_key(key: &Key) -> Result<Option<u32>, SignatureCheck> {
    match key {
        Key::Rsa { bits } => Ok(*bits),
        _ => Err(SignatureCheck::Invalid),
    }
}

fn rsa(
    bits: Option<u32>,
    min_bits: u32,
    alg: &'static signature::RsaParameters,
) -> Result<&'static dyn VerificationAlgorithm, SignatureCheck> {
    match bits {
        // aws-lc-rs refuses keys outside its range with the same error as a wrong signature.
        Some(bits) if (min_bits..=8192).contains(&bits) => Ok(alg),
        _ => Err(SignatureCheck::Unsupported),
    }
}

/// ECDSA by signature OID and the signer's curve.
fn ecdsa(sig_oid: &[u8], curve: Option<&Curve>) -> Option<&'static dyn VerificationAlgorithm> {
    let hash = match sig_oid {
        oids::ECDSA_WITH_SHA1 => 1,
        oids::ECDSA_WITH_SHA224 => 224,
        oids::ECDSA_WITH_SHA256 => 256,
        oids::ECDSA_WITH_SHA384 => 384,
        oids::ECDSA_WITH_SHA512 => 512,
        _ => return None,
    };
    ecdsa_with(curve, hash)
}

/// The ECDSA algorithm for a signature made with `hash` (its bits; 1 for SHA-1) under the
/// key of `spki`, whose named curve decides the rest (a TLS 1.2 ServerKeyExchange names the
/// hash alone). `None` when the key is no ECDSA key on a curve aws-lc-rs verifies with.
pub fn ecdsa_for_key(
    spki: &SubjectPublicKeyInfo<'_>,
    hash: u32,
) -> Option<&'static dyn VerificationAlgorithm> {
    match Key::read(spki) {
        Key::Ec { curve, .. } => ecdsa_with(curve.as_ref(), hash),
        _ => None,
    }
}

/// ECDSA by hash bits and the signer's curve.
fn ecdsa_with(curve: Option<&Curve>, hash: u32) -> Option<&'static dyn VerificationAlgorithm> {
    let Curve::Named(curve) = curve? else {
        return None;
    };
    Some(match (curve, hash) {
        (NamedCurve::P256, 1) => &signature::ECDSA_P256_SHA1_ASN1,
        (NamedCurve::P256, 256) => &signature::ECDSA_P256_SHA256_ASN1,
        (NamedCurve::P256, 384) => &signature::ECDSA_P256_SHA384_ASN1,
        (NamedCurve::P256, 512) => &signature::ECDSA_P256_SHA512_ASN1,
        (NamedCurve::P384, 256) => &signature::ECDSA_P384_SHA256_ASN1,
        (NamedCurve::P384, 384) => &signature::ECDSA_P384_SHA384_ASN1,
        (NamedCurve::P384, 512) => &signature::ECDSA_P384_SHA512_ASN1,
        (NamedCurve::P521, 1) => &signature::ECDSA_P521_SHA1_ASN1,
        (NamedCurve::P521, 224) => &signature::ECDSA_P521_SHA224_ASN1,
        (NamedCurve::P521, 256) => &signature::ECDSA_P521_SHA256_ASN1,
        (NamedCurve::P521, 384) => &signature::ECDSA_P521_SHA384_ASN1,
        (NamedCurve::P521, 512) => &signature::ECDSA_P521_SHA512_ASN1,
        (NamedCurve::Secp256k1, 256) => &signature::ECDSA_P256K1_SHA256_ASN1,
        _ => return None,
    })
}

/// The SHA-2 size of an RSASSA-PSS signature, when its parameters are ones aws-lc-rs
/// verifies: MGF1 with that same hash and a salt as long as the digest (what TLS 1.3 and the
/// Web PKI use). Absent parameters mean SHA-1, which it does not verify.
fn pss_hash_bits(sig: &AlgorithmIdentifier<'_>) -> Option<u32> {
    let params = RsaSsaPssParams::try_from(sig.parameters.as_ref()?).ok()?;
    use x509_parser::oid_registry::{
        OID_NIST_HASH_SHA256, OID_NIST_HASH_SHA384, OID_NIST_HASH_SHA512,
    };
    let hash = params.hash_algorithm_oid();
    let (_, bits) = [
        (OID_NIST_HASH_SHA256, 256),
        (OID_NIST_HASH_SHA384, 384),
        (OID_NIST_HASH_SHA512, 512),
    ]
    .into_iter()
    .find(|(oid, _)| oid == hash)?;
    let mgf = params.mask_gen_algorithm().ok()?;
    let mgf1_same_hash = mgf.mgf.as_bytes() == oids::MGF1 && mgf.hash == *hash;
    (mgf1_same_hash && params.salt_length() == bits / 8 && params.trailer_field() == 1)
        .then_some(bits)
}

/// Issuer equals subject (byte for byte, as chain building compares names) and the signature
/// verifies with the certificate's own key. Where the algorithm cannot be checked, agreeing
/// key identifiers stand in for the signature, as OpenSSL's own self-signed test does.
pub(super) fn is_self_signed(cert: &X509Certificate<'_>) -> bool {
    if cert.subject().as_raw() != cert.issuer().as_raw() {
        return false;
    }
    match check(cert, cert.public_key()) {
        SignatureCheck::Valid => true,
        SignatureCheck::Invalid => false,
        SignatureCheck::Unsupported => key_ids_agree(cert),
    }
}

/// The authority key identifier, when present, names the certificate's own key.
fn key_ids_agree(cert: &X509Certificate<'_>) -> bool {
    let ids = super::facts::key_ids(cert);
    match (ids.subject, ids.authority) {
        (Some(subject), Some(authority)) => subject == authority,
        _ => true,
    }
}
