//! The CertID that names the certificate a SingleResponse is about (RFC 6960 §4.1.1): a hash
//! of the issuer's name, a hash of the issuer's key, and the certificate's serial number.

use aws_lc_rs::digest;
use x509_parser::certificate::X509Certificate;

use crate::der::{self, Tlv};

/// The hash a CertID was computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertIdHash {
    /// What most responders use, and what `openssl ocsp` uses unless told otherwise.
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl CertIdHash {
    /// By the DER contents of the hashAlgorithm's OID; `None` for any other hash.
    fn from_oid(oid: &[u8]) -> Option<CertIdHash> {
        const SHA2: [u8; 8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
        match oid {
            [0x2b, 0x0e, 0x03, 0x02, 0x1a] => Some(CertIdHash::Sha1),
            [sha2 @ .., last] if *sha2 == SHA2 => match last {
                1 => Some(CertIdHash::Sha256),
                2 => Some(CertIdHash::Sha384),
                3 => Some(CertIdHash::Sha512),
                _ => None,
            },
            _ => None,
        }
    }

    fn digest(self, bytes: &[u8]) -> digest::Digest {
        let alg = match self {
            CertIdHash::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            CertIdHash::Sha256 => &digest::SHA256,
            CertIdHash::Sha384 => &digest::SHA384,
            CertIdHash::Sha512 => &digest::SHA512,
        };
        digest::digest(alg, bytes)
    }
}

/// A CertID as read; the hash algorithm is kept as its OID so that one we cannot compute can
/// still be named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId<'a> {
    /// The hashAlgorithm's OID, DER contents (`2b0e03021a` for SHA-1).
    pub hash_oid: &'a [u8],
    pub issuer_name_hash: &'a [u8],
    pub issuer_key_hash: &'a [u8],
    /// serialNumber's INTEGER contents as encoded.
    pub serial: &'a [u8],
}

/// A CertID that uses a hash we cannot compute, named by its dotted OID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedHash(pub String);

/// A certificate as a CertID names it: its serial, its issuer's subject Name (the whole DER
/// SEQUENCE) and its issuer's subjectPublicKey (the BIT STRING's bits, without tag, length
/// and unused-bits byte).
#[derive(Debug, Clone, Copy)]
pub struct Identity<'a> {
    pub serial: &'a [u8],
    pub issuer_name: &'a [u8],
    pub issuer_key: &'a [u8],
}

impl<'a> Identity<'a> {
    pub fn new(leaf: &X509Certificate<'a>, issuer: &'a X509Certificate<'_>) -> Identity<'a> {
        Identity {
            serial: leaf.raw_serial(),
            issuer_name: issuer.subject().as_raw(),
            issuer_key: &issuer.public_key().subject_public_key.data,
        }
    }
}

impl<'a> CertId<'a> {
    /// `CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }`
    pub(super) fn read(t: &Tlv<'a>) -> Option<CertId<'a>> {
        if t.tag != der::SEQUENCE {
            return None;
        }
        let (algorithm, rest) = der::expect(der::SEQUENCE, t.body)?;
        let (name_hash, rest) = der::expect(der::OCTET_STRING, rest)?;
        let (key_hash, rest) = der::expect(der::OCTET_STRING, rest)?;
        let (serial, rest) = der::expect(der::INTEGER, rest)?;
        let (oid, _parameters) = der::expect(der::OID, algorithm.body)?;
        rest.is_empty().then_some(CertId {
            hash_oid: oid.body,
            issuer_name_hash: name_hash.body,
            issuer_key_hash: key_hash.body,
            serial: serial.body,
        })
    }

    /// The hash it was computed with; `None` for one we cannot compute.
    pub fn hash(&self) -> Option<CertIdHash> {
        CertIdHash::from_oid(self.hash_oid)
    }

    /// The serial only: all that can be compared without the issuer.
    pub fn has_serial(&self, serial: &[u8]) -> bool {
        self.serial == serial
    }

    /// Whether this CertID names `who`: same serial, and the hashes of its issuer's name and
    /// key. Serials are compared as encoded: DER allows one encoding of each number.
    pub fn names(&self, who: &Identity<'_>) -> Result<bool, UnsupportedHash> {
        let hash = self.hash().ok_or_else(|| self.unsupported())?;
        Ok(self.has_serial(who.serial)
            && hash.digest(who.issuer_name).as_ref() == self.issuer_name_hash
            && hash.digest(who.issuer_key).as_ref() == self.issuer_key_hash)
    }

    fn unsupported(&self) -> UnsupportedHash {
        let oid = x509_parser::der_parser::oid::Oid::new(self.hash_oid.into());
        UnsupportedHash(oid.to_id_string())
    }

    /// The serial as the report shows certificate serials: lowercase hex, without DER's
    /// leading zero padding.
    pub fn serial_hex(&self) -> String {
        serial_hex(self.serial)
    }
}

/// An INTEGER's contents as the report shows serials (see `cert::fields::serial`).
pub fn serial_hex(raw: &[u8]) -> String {
    let start = raw
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(raw.len().saturating_sub(1));
    crate::cert::hex(raw.get(start..).unwrap_or(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_by_oid() {
        let sha2 = |n: u8| [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, n];
        assert_eq!(
            CertIdHash::from_oid(&[0x2b, 0x0e, 0x03, 0x02, 0x1a]),
            Some(CertIdHash::Sha1)
        );
        assert_eq!(CertIdHash::from_oid(&sha2(1)), Some(CertIdHash::Sha256));
        assert_eq!(CertIdHash::from_oid(&sha2(3)), Some(CertIdHash::Sha512));
        assert_eq!(CertIdHash::from_oid(&sha2(4)), None, "SHA-224");
        assert_eq!(CertIdHash::from_oid(&[]), None);
    }

    #[test]
    fn an_unknown_hash_is_named_by_its_oid() {
        // md5: 1.2.840.113549.2.5
        let md5 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05];
        let id = CertId {
            hash_oid: &md5,
            issuer_name_hash: &[],
            issuer_key_hash: &[],
            serial: &[1],
        };
        let who = Identity {
            serial: &[1],
            issuer_name: &[],
            issuer_key: &[],
        };
        assert_eq!(
            id.names(&who),
            Err(UnsupportedHash("1.2.840.113549.2.5".into()))
        );
    }

    #[test]
    fn serials_print_like_the_report() {
        assert_eq!(serial_hex(&[0x00, 0x9a, 0x01]), "9a01");
        assert_eq!(serial_hex(&[0x00]), "00");
        assert_eq!(serial_hex(&[]), "");
    }
}
