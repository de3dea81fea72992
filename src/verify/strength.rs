//! Algorithms too weak to trust: SHA-1 or MD5 signatures, RSA and RSA-PSS keys under 2048 bits, EC keys
//! under 256 bits. webpki refuses these with a generic error; this names them.

use super::faults::Fault;
use crate::report::{Certificate, KeyType, VerifyCode};

/// The weak_signature and weak_key findings for the certificates at `indices` (the served
/// path below the trust anchor).
pub fn weaknesses(described: &[Certificate], indices: &[usize]) -> Vec<Fault> {
    let mut out = Vec::new();
    for &i in indices {
        let Some(c) = described.get(i) else { continue };
        // A self-signed root's own signature is never checked, so its hash does not matter.
        if c.broken_signature_hash && !c.self_signed {
            out.push(Fault::new(
                VerifyCode::WeakSignature,
                Some(i),
                format!(
                    "certificate {i} ({}) is signed with {}, which is broken and refused by current clients",
                    c.subject, c.signature_algorithm
                ),
            ));
        }
        if let Some(why) = weak_key(c) {
            out.push(Fault::new(
                VerifyCode::WeakKey,
                Some(i),
                format!("certificate {i} ({}) has {why}", c.subject),
            ));
        }
    }
    out
}

/// Why a certificate's key is too weak to trust, if it is.
pub fn weak_key(c: &Certificate) -> Option<String> {
    match (&c.key.kind, c.key.bits) {
        // An RSA-PSS key is an RSA key with a padding restriction: the same size rule holds.
        (kind @ (KeyType::Rsa | KeyType::RsaPss), Some(bits)) if bits < 2048 => Some(format!(
            "a {bits}-bit {kind} key; at least 2048 bits are required"
        )),
        (KeyType::Rsa, Some(bits)) if bits % 8 != 0 => Some(format!(
            "a {bits}-bit RSA key; clients refuse moduli that are not a whole number of bytes"
        )),
        (KeyType::Ec, None) if c.key.curve.is_none() => {
            Some("an EC key with explicit curve parameters, which clients refuse".to_string())
        }
        (KeyType::Ec, Some(bits)) if bits < 256 => Some(format!(
            "a {bits}-bit EC key; at least 256 bits are required"
        )),
        (KeyType::Dsa, _) => Some("a DSA key, which current clients do not accept".to_string()),
        _ => None,
    }
}
