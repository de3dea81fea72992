//! What kind of public key a certificate holds, and how strong it is.

use x509_parser::asn1_rs::Tag;
use x509_parser::der_parser::der::parse_der_integer;
use x509_parser::objects::{oid2sn, oid_registry};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::RSAPublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::oids;
use crate::report::{KeyType, PublicKey};

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
    /// `curve` is null for explicit (unnamed) curve parameters.
    Ec {
        curve: Option<Curve>,
        bits: Option<u32>,
    },
    Ed25519,
    Ed448,
    Dsa {
        bits: Option<u32>,
    },
    /// FIPS 204 ML-DSA.
    MlDsa(MlDsa),
    /// Any other algorithm, by OID.
    Other(String),
}

impl Key {
    pub(super) fn read(spki: &SubjectPublicKeyInfo<'_>) -> Key {
        let key_bytes: &[u8] = &spki.subject_public_key.data;
        match spki.algorithm.algorithm.as_bytes() {
            oids::RSA_ENCRYPTION => Key::Rsa {
                bits: modulus_bits(key_bytes),
            },
            oids::RSASSA_PSS => Key::RsaPss {
                bits: modulus_bits(key_bytes),
            },
            oids::EC_PUBLIC_KEY => {
                // asn1-rs reads any contents as an OID when asked, so check the tag first:
                // explicit curve parameters are a SEQUENCE.
                let named = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .filter(|p| p.tag() == Tag::Oid)
                    .and_then(|p| p.as_oid().ok());
                let (curve, bits) = match named {
                    Some(curve_oid) => match NamedCurve::from_oid(curve_oid.as_bytes()) {
                        Some(c) => (Some(Curve::Named(c)), Some(c.bits())),
                        None => match super::curves::named_curve(curve_oid.as_bytes()) {
                            Some((name, bits)) => {
                                (Some(Curve::Other(name.to_string())), Some(bits))
                            }
                            // A curve OpenSSL does not know either: its registry name or
                            // OID, and a size estimated from the point.
                            None => {
                                let name = oid2sn(&curve_oid, oid_registry())
                                    .map_or_else(|_| curve_oid.to_id_string(), str::to_string);
                                (Some(Curve::Other(name)), point_bits(key_bytes))
                            }
                        },
                    },
                    None => (None, point_bits(key_bytes)),
                };
                Key::Ec { curve, bits }
            }
            oids::ED25519 => Key::Ed25519,
            oids::ED448 => Key::Ed448,
            oids::DSA => Key::Dsa {
                // Dss-Parms ::= SEQUENCE { p, q, g }: the key size is that of the prime p.
                bits: spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|params| parse_der_integer(params.data).ok())
                    .and_then(|(_, p)| p.as_slice().ok().and_then(significant_bits)),
            },
            oids::ML_DSA_44 => Key::MlDsa(MlDsa::Ml44),
            oids::ML_DSA_65 => Key::MlDsa(MlDsa::Ml65),
            oids::ML_DSA_87 => Key::MlDsa(MlDsa::Ml87),
            _ => Key::Other(spki.algorithm.algorithm.to_id_string()),
        }
    }

    /// The report's view of the key.
    pub(super) fn describe(&self) -> PublicKey {
        let (kind, bits, curve) = match self {
            Key::Rsa { bits } => (KeyType::Rsa, *bits, None),
            Key::RsaPss { bits } => (KeyType::RsaPss, *bits, None),
            Key::Ec { curve, bits } => (KeyType::Ec, *bits, curve.as_ref().map(Curve::name)),
            // Key sizes as `openssl x509 -text` prints them.
            Key::Ed25519 => (KeyType::Ed25519, Some(256), None),
            Key::Ed448 => (KeyType::Ed448, Some(456), None),
            Key::Dsa { bits } => (KeyType::Dsa, *bits, None),
            // A lattice key has no size in bits; the parameter set is in the name.
            Key::MlDsa(set) => (KeyType::MlDsa(set.name()), None, None),
            Key::Other(oid) => (KeyType::Other(oid.clone()), None, None),
        };
        PublicKey { kind, bits, curve }
    }
}

/// An EC key's curve: one met in practice, or another by its registry name or OID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Curve {
    Named(NamedCurve),
    Other(String),
}

impl Curve {
    /// `P-256`-style for the NIST curves, else the registry name or the dotted OID.
    fn name(&self) -> String {
        match self {
            Curve::Named(c) => c.name().to_string(),
            Curve::Other(name) => name.clone(),
        }
    }
}

/// The curves met in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NamedCurve {
    P256,
    P384,
    P521,
    P224,
    P192,
    Secp256k1,
    BrainpoolP256r1,
    BrainpoolP384r1,
    BrainpoolP512r1,
}

impl NamedCurve {
    fn from_oid(oid: &[u8]) -> Option<NamedCurve> {
        Some(match oid {
            oids::SECP256R1 => NamedCurve::P256,
            oids::SECP384R1 => NamedCurve::P384,
            oids::SECP521R1 => NamedCurve::P521,
            oids::SECP224R1 => NamedCurve::P224,
            oids::SECP192R1 => NamedCurve::P192,
            oids::SECP256K1 => NamedCurve::Secp256k1,
            oids::BRAINPOOL_P256R1 => NamedCurve::BrainpoolP256r1,
            oids::BRAINPOOL_P384R1 => NamedCurve::BrainpoolP384r1,
            oids::BRAINPOOL_P512R1 => NamedCurve::BrainpoolP512r1,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            NamedCurve::P256 => "P-256",
            NamedCurve::P384 => "P-384",
            NamedCurve::P521 => "P-521",
            NamedCurve::P224 => "P-224",
            NamedCurve::P192 => "P-192",
            NamedCurve::Secp256k1 => "secp256k1",
            NamedCurve::BrainpoolP256r1 => "brainpoolP256r1",
            NamedCurve::BrainpoolP384r1 => "brainpoolP384r1",
            NamedCurve::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// The field size in bits.
    fn bits(self) -> u32 {
        match self {
            NamedCurve::P256 | NamedCurve::Secp256k1 | NamedCurve::BrainpoolP256r1 => 256,
            NamedCurve::P384 | NamedCurve::BrainpoolP384r1 => 384,
            NamedCurve::P521 => 521,
            NamedCurve::P224 => 224,
            NamedCurve::P192 => 192,
            NamedCurve::BrainpoolP512r1 => 512,
        }
    }
}

/// The FIPS 204 ML-DSA parameter sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MlDsa {
    Ml44,
    Ml65,
    Ml87,
}

impl MlDsa {
    fn name(self) -> &'static str {
        match self {
            MlDsa::Ml44 => "ML-DSA-44",
            MlDsa::Ml65 => "ML-DSA-65",
            MlDsa::Ml87 => "ML-DSA-87",
        }
    }
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
