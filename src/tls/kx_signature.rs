//! The signature of a ServerKeyExchange read outside rustls (from a legacy server's first
//! flight), checked with the leaf's key: TLS 1.2's schemes (RFC 5246 section 7.4.1.4.1), and
//! TLS 1.0/1.1's implied ones (RFC 4346 section 7.4.3): RSA PKCS#1 v1.5 over the MD5 and
//! SHA-1 digests side by side with no DigestInfo, and ECDSA with SHA-1 (RFC 4492 section 5.4).
//!
//! The signed message is `client_random + server_random + params`.

use aws_lc_rs::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY};
use aws_lc_rs::signature::{self as sig, UnparsedPublicKey, VerificationAlgorithm};
use md5::{Digest, Md5};
use num_bigint::BigUint;
use rustls::pki_types::CertificateDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::RSAPublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::capture::SignatureCheck;
use super::pss_schemes;
use crate::cert::oids;
use crate::wire::code_points::SignatureScheme;

/// The leaf's key, as far as the check needs it.
enum Key<'a> {
    Rsa {
        spki: &'a [u8],
    },
    Ec {
        point: &'a [u8],
    },
    Ed25519 {
        point: &'a [u8],
    },
    /// DSA, RSA-PSS with a TLS 1.0-1.2 scheme that is not PSS, and others: not checked here.
    Other,
}

/// Check the signature `signature` over `message` with the key of `leaf`. `scheme` is the
/// TLS 1.2 scheme the server named; `None` for TLS 1.0 and 1.1, where the key implies it.
/// `None` when it cannot be checked here (a DSA key, an unknown scheme): nothing is claimed.
pub fn check(
    leaf: &[u8],
    scheme: Option<SignatureScheme>,
    message: &[u8],
    signature: &[u8],
) -> Option<SignatureCheck> {
    let rustls_scheme = scheme.map(|s| rustls::SignatureScheme::from(s.0));
    if let Some(s) = rustls_scheme {
        if let Some(result) =
            pss_schemes::verify(s, message, &CertificateDer::from(leaf), signature)
        {
            return Some(SignatureCheck {
                scheme: Some(s),
                error: result.err(),
            });
        }
    }
    // A leaf that cannot be read is the verifier's finding (`malformed`), not this one's.
    let (_, cert) = X509Certificate::from_der(leaf).ok()?;
    let error = verify(cert.public_key(), scheme, message, signature)?.err();
    Some(SignatureCheck {
        scheme: rustls_scheme,
        error,
    })
}

fn key<'a>(spki: &'a SubjectPublicKeyInfo<'a>) -> Key<'a> {
    let point: &[u8] = &spki.subject_public_key.data;
    match spki.algorithm.algorithm.as_bytes() {
        oids::RSA_ENCRYPTION => Key::Rsa { spki: point },
        oids::EC_PUBLIC_KEY => Key::Ec { point },
        oids::ED25519 => Key::Ed25519 { point },
        _ => Key::Other,
    }
}

/// `None` when the combination cannot be checked here; otherwise whether it verified.
fn verify(
    spki: &SubjectPublicKeyInfo<'_>,
    scheme: Option<SignatureScheme>,
    message: &[u8],
    signature: &[u8],
) -> Option<Result<(), String>> {
    type Alg = &'static dyn VerificationAlgorithm;
    let (alg, point, what): (Alg, &[u8], &str) = match (key(spki), scheme) {
        (Key::Rsa { spki }, None) => return Some(rsa_md5_sha1(spki, message, signature)),
        (Key::Rsa { spki }, Some(s)) => {
            let alg: Alg = match s {
                SignatureScheme::RSA_PKCS1_SHA1 => {
                    &sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
                }
                SignatureScheme::RSA_PKCS1_SHA256 => {
                    &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
                }
                SignatureScheme::RSA_PKCS1_SHA384 => &sig::RSA_PKCS1_2048_8192_SHA384,
                SignatureScheme::RSA_PKCS1_SHA512 => {
                    &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
                }
                SignatureScheme::RSA_PSS_RSAE_SHA256 => &sig::RSA_PSS_2048_8192_SHA256,
                SignatureScheme::RSA_PSS_RSAE_SHA384 => &sig::RSA_PSS_2048_8192_SHA384,
                SignatureScheme::RSA_PSS_RSAE_SHA512 => &sig::RSA_PSS_2048_8192_SHA512,
                _ => return Some(Err(format!("{s} is not a signature an RSA key makes"))),
            };
            (alg, spki, "RSA")
        }
        (Key::Ec { point }, scheme) => {
            // TLS 1.2's ECDSA schemes name the hash; the curve is the key's own. TLS 1.0 and
            // 1.1 sign with SHA-1.
            let hash = match scheme {
                None | Some(SignatureScheme::ECDSA_SHA1) => 1,
                Some(SignatureScheme::ECDSA_SECP256R1_SHA256) => 256,
                Some(SignatureScheme::ECDSA_SECP384R1_SHA384) => 384,
                Some(SignatureScheme::ECDSA_SECP521R1_SHA512) => 512,
                Some(s) => return Some(Err(format!("{s} is not a signature an ECDSA key makes"))),
            };
            (crate::cert::ecdsa_for_key(spki, hash)?, point, "ECDSA")
        }
        (Key::Ed25519 { point }, Some(SignatureScheme::ED25519)) => {
            (&sig::ED25519, point, "Ed25519")
        }
        (Key::Ed25519 { .. }, Some(s)) => {
            return Some(Err(format!("{s} is not a signature an Ed25519 key makes")))
        }
        (Key::Ed25519 { .. } | Key::Other, _) => return None,
    };
    Some(
        UnparsedPublicKey::new(alg, point)
            .verify(message, signature)
            .map_err(|_| format!("the {what} signature does not verify")),
    )
}

/// 8192 bits.
const MAX_MODULUS_BYTES: usize = 1024;

/// TLS 1.0/1.1's RSA signature: PKCS#1 v1.5 type 1 padding around MD5(m) || SHA-1(m), with
/// no DigestInfo (RFC 4346 section 7.4.3). Checked as RFC 8017 section 8.2.2 says: the
/// expected encoding is rebuilt and compared whole.
fn rsa_md5_sha1(spki: &[u8], message: &[u8], signature: &[u8]) -> Result<(), String> {
    let Ok((_, key)) = RSAPublicKey::from_der(spki) else {
        return Err("the leaf's RSA key cannot be read".into());
    };
    let n = BigUint::from_bytes_be(key.modulus);
    let e = BigUint::from_bytes_be(key.exponent);
    let k = key.modulus.iter().skip_while(|b| **b == 0).count();
    let e_len = key.exponent.iter().skip_while(|b| **b == 0).count();
    // The sizes any RSA library accepts (aws-lc: 8192 bits, a 33-bit exponent), which also
    // bound the work a hostile certificate can ask of us.
    if k > MAX_MODULUS_BYTES || e_len > 5 {
        return Err("the leaf's RSA key is larger than any TLS library verifies with".into());
    }
    let s = BigUint::from_bytes_be(signature);
    if signature.len() != k || s >= n || k < 36 + 11 {
        return Err("the RSA signature has the wrong length for the key".into());
    }
    let m = s.modpow(&e, &n).to_bytes_be();
    let mut expected = vec![0xff; k];
    expected[0] = 0;
    expected[1] = 1;
    expected[k - 37] = 0;
    expected[k - 36..k - 20].copy_from_slice(&Md5::digest(message));
    expected[k - 20..].copy_from_slice(digest(&SHA1_FOR_LEGACY_USE_ONLY, message).as_ref());
    // `m` has no leading zero bytes: compare it with the encoding's tail past its zeros.
    let unpadded = &expected[expected.iter().take_while(|b| **b == 0).count()..];
    if m == unpadded {
        Ok(())
    } else {
        Err("the RSA signature (PKCS#1 with MD5 and SHA-1) does not verify".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cannot_be_read_claims_nothing_and_oversized_keys_are_refused_at_once() {
        assert!(check(b"not a certificate", None, b"m", &[0; 256]).is_none());
        // A 64 KiB modulus with a 64 KiB exponent: refused before any arithmetic.
        let mut der = vec![0x30, 0x84];
        let int = |len: usize| {
            let mut v = vec![0x02, 0x83];
            v.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes()[1..]);
            v.push(0x7f);
            v.resize(5 + len, 0xff);
            v
        };
        let body = [int(65536), int(65536)].concat();
        der.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
        der.extend_from_slice(&body);
        let started = std::time::Instant::now();
        let refused = rsa_md5_sha1(&der, b"m", &vec![1; 65536]);
        assert_eq!(
            refused.unwrap_err(),
            "the leaf's RSA key is larger than any TLS library verifies with"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
