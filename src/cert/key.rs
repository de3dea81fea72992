//! What kind of public key a certificate holds, and how strong it is.

use x509_parser::asn1_rs::Tag;
use x509_parser::der_parser::der::parse_der_integer;
use x509_parser::objects::{oid2sn, oid_registry};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::RSAPublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::report::{KeyType, PublicKey};

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const ED25519: &str = "1.3.101.112";
const ED448: &str = "1.3.101.113";
const DSA: &str = "1.2.840.10040.4.1";

/// A subject public key, classified once for both the report and signature checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Key {
    /// rsaEncryption.
    Rsa {
        bits: Option<u32>,
    },
    /// id-RSASSA-PSS: an RSA key that signs with RSASSA-PSS only (RFC 4055), with or without
    /// parameters restricting its hash. The modulus is read as for rsaEncryption: the
    /// subjectPublicKey holds the same PKCS #1 RSAPublicKey.
    RsaPss {
        bits: Option<u32>,
    },
    /// `curve` is `P-256`-style for the NIST curves, else a registry name or the OID; null
    /// for explicit (unnamed) curve parameters.
    Ec {
        curve: Option<String>,
        bits: Option<u32>,
    },
    Ed25519,
    Ed448,
    Dsa {
        bits: Option<u32>,
    },
    /// FIPS 204 ML-DSA: `ML-DSA-44`, `ML-DSA-65` or `ML-DSA-87`.
    MlDsa(&'static str),
    /// Any other algorithm, by OID.
    Other(String),
}

impl Key {
    pub(super) fn read(spki: &SubjectPublicKeyInfo<'_>) -> Key {
        let oid = spki.algorithm.algorithm.to_id_string();
        let key_bytes: &[u8] = &spki.subject_public_key.data;
        match oid.as_str() {
            RSA_ENCRYPTION => Key::Rsa {
                bits: modulus_bits(key_bytes),
            },
            RSASSA_PSS => Key::RsaPss {
                bits: modulus_bits(key_bytes),
            },
            EC_PUBLIC_KEY => {
                // asn1-rs reads any contents as an OID when asked, so check the tag first:
                // explicit curve parameters are a SEQUENCE.
                let named = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .filter(|p| p.tag() == Tag::Oid)
                    .and_then(|p| p.as_oid().ok());
                let (curve, bits) = match named {
                    Some(curve_oid) => {
                        let dotted = curve_oid.to_id_string();
                        match named_curve(&dotted) {
                            Some((name, bits)) => (Some(name.to_string()), Some(bits)),
                            None => {
                                let name = oid2sn(&curve_oid, oid_registry())
                                    .map_or(dotted, str::to_string);
                                (Some(name), point_bits(key_bytes))
                            }
                        }
                    }
                    None => (None, point_bits(key_bytes)),
                };
                Key::Ec { curve, bits }
            }
            ED25519 => Key::Ed25519,
            ED448 => Key::Ed448,
            DSA => Key::Dsa {
                // Dss-Parms ::= SEQUENCE { p, q, g }: the key size is that of the prime p.
                bits: spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|params| parse_der_integer(params.data).ok())
                    .and_then(|(_, p)| p.as_slice().ok().and_then(significant_bits)),
            },
            "2.16.840.1.101.3.4.3.17" => Key::MlDsa("ML-DSA-44"),
            "2.16.840.1.101.3.4.3.18" => Key::MlDsa("ML-DSA-65"),
            "2.16.840.1.101.3.4.3.19" => Key::MlDsa("ML-DSA-87"),
            _ => Key::Other(oid),
        }
    }

    /// The report's view of the key.
    pub(super) fn describe(&self) -> PublicKey {
        let (kind, bits, curve) = match self {
            Key::Rsa { bits } => (KeyType::Rsa, *bits, None),
            Key::RsaPss { bits } => (KeyType::RsaPss, *bits, None),
            Key::Ec { curve, bits } => (KeyType::Ec, *bits, curve.clone()),
            // Key sizes as `openssl x509 -text` prints them.
            Key::Ed25519 => (KeyType::Ed25519, Some(256), None),
            Key::Ed448 => (KeyType::Ed448, Some(456), None),
            Key::Dsa { bits } => (KeyType::Dsa, *bits, None),
            // A lattice key has no size in bits; the parameter set is in the name.
            Key::MlDsa(name) => (KeyType::MlDsa(name), None, None),
            Key::Other(oid) => (KeyType::Other(oid.clone()), None, None),
        };
        PublicKey { kind, bits, curve }
    }
}

/// The curves met in practice, by OID: name and field size in bits.
fn named_curve(oid: &str) -> Option<(&'static str, u32)> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => ("P-256", 256),
        "1.3.132.0.34" => ("P-384", 384),
        "1.3.132.0.35" => ("P-521", 521),
        "1.3.132.0.33" => ("P-224", 224),
        "1.2.840.10045.3.1.1" => ("P-192", 192),
        "1.3.132.0.10" => ("secp256k1", 256),
        "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
        "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
        "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
        _ => return None,
    })
}

/// Field size of an unknown curve, estimated from its point: whole bytes, so a 521-bit field
/// reads as 528.
fn point_bits(point: &[u8]) -> Option<u32> {
    let coordinate = match point.first()? {
        0x04 => (point.len() - 1) / 2,
        0x02 | 0x03 => point.len() - 1,
        _ => return None,
    };
    u32::try_from(coordinate * 8).ok().filter(|&b| b > 0)
}

/// Size of a PKCS #1 RSAPublicKey's modulus.
fn modulus_bits(rsa_public_key: &[u8]) -> Option<u32> {
    RSAPublicKey::from_der(rsa_public_key)
        .ok()
        .and_then(|(_, k)| significant_bits(k.modulus))
}

/// Bits of a big-endian unsigned integer, leading zeros (DER's sign padding) ignored.
/// x509-parser's own `key_size` counts whole bytes and drops a byte for padding it assumes.
fn significant_bits(be: &[u8]) -> Option<u32> {
    let start = be.iter().position(|&b| b != 0)?;
    let bytes = u32::try_from(be.len() - start).ok()?;
    let top = be.get(start)?;
    Some(bytes * 8 - top.leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_ignore_padding_and_leading_zeros() {
        assert_eq!(significant_bits(&[0x00, 0x80, 0x00]), Some(16));
        assert_eq!(significant_bits(&[0x7f, 0xff]), Some(15));
        assert_eq!(significant_bits(&[0x00, 0x00, 0x01]), Some(1));
        assert_eq!(significant_bits(&[0x00]), None);
        assert_eq!(significant_bits(&[]), None);
    }

    #[test]
    fn point_sizes() {
        assert_eq!(point_bits(&[4; 65]), Some(256));
        assert_eq!(point_bits(&[2; 33]), Some(256));
        assert_eq!(point_bits(&[4]), None);
        assert_eq!(point_bits(&[]), None);
        assert_eq!(point_bits(&[9, 1, 2]), None);
    }
}
