//! The OIDs certificate reading dispatches on, as the content bytes of their DER encoding
//! (asn1-rs's `oid!(raw ..)`, made at compile time), so that a `match` compares OIDs and
//! never their dotted spelling. Each is named as its RFC names it.

use x509_parser::asn1_rs::oid;

// Public-key algorithms.
pub const RSA_ENCRYPTION: &[u8] = &oid!(raw 1.2.840.113549.1.1.1);
pub const RSASSA_PSS: &[u8] = &oid!(raw 1.2.840.113549.1.1.10);
pub const EC_PUBLIC_KEY: &[u8] = &oid!(raw 1.2.840.10045.2.1);
pub const ED25519: &[u8] = &oid!(raw 1.3.101.112);
pub const ED448: &[u8] = &oid!(raw 1.3.101.113);
pub const DSA: &[u8] = &oid!(raw 1.2.840.10040.4.1);
/// FIPS 204: the same OID names the key and its signature algorithm.
pub const ML_DSA_44: &[u8] = &oid!(raw 2.16.840.1.101.3.4.3.17);
pub const ML_DSA_65: &[u8] = &oid!(raw 2.16.840.1.101.3.4.3.18);
pub const ML_DSA_87: &[u8] = &oid!(raw 2.16.840.1.101.3.4.3.19);

// Signature algorithms.
pub const MD2_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.2);
pub const MD5_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.4);
pub const SHA1_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.5);
/// The OIW's older OID for SHA-1 with RSA.
pub const SHA1_WITH_RSA_OIW: &[u8] = &oid!(raw 1.3.14.3.2.29);
pub const SHA224_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.14);
pub const SHA256_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.11);
pub const SHA384_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.12);
pub const SHA512_WITH_RSA: &[u8] = &oid!(raw 1.2.840.113549.1.1.13);
pub const ECDSA_WITH_SHA1: &[u8] = &oid!(raw 1.2.840.10045.4.1);
pub const ECDSA_WITH_SHA224: &[u8] = &oid!(raw 1.2.840.10045.4.3.1);
pub const ECDSA_WITH_SHA256: &[u8] = &oid!(raw 1.2.840.10045.4.3.2);
pub const ECDSA_WITH_SHA384: &[u8] = &oid!(raw 1.2.840.10045.4.3.3);
pub const ECDSA_WITH_SHA512: &[u8] = &oid!(raw 1.2.840.10045.4.3.4);
pub const DSA_WITH_SHA1: &[u8] = &oid!(raw 1.2.840.10040.4.3);
pub const DSA_WITH_SHA256: &[u8] = &oid!(raw 2.16.840.1.101.3.4.3.2);

/// id-mgf1 (RFC 8017), the mask generation function of RSASSA-PSS.
pub const MGF1: &[u8] = &oid!(raw 1.2.840.113549.1.1.8);

// Named elliptic curves.
pub const SECP256R1: &[u8] = &oid!(raw 1.2.840.10045.3.1.7);
pub const SECP384R1: &[u8] = &oid!(raw 1.3.132.0.34);
pub const SECP521R1: &[u8] = &oid!(raw 1.3.132.0.35);
pub const SECP224R1: &[u8] = &oid!(raw 1.3.132.0.33);
pub const SECP192R1: &[u8] = &oid!(raw 1.2.840.10045.3.1.1);
pub const SECP256K1: &[u8] = &oid!(raw 1.3.132.0.10);
pub const BRAINPOOL_P256R1: &[u8] = &oid!(raw 1.3.36.3.3.2.8.1.1.7);
pub const BRAINPOOL_P384R1: &[u8] = &oid!(raw 1.3.36.3.3.2.8.1.1.11);
pub const BRAINPOOL_P512R1: &[u8] = &oid!(raw 1.3.36.3.3.2.8.1.1.13);

#[cfg(test)]
mod tests {
    use x509_parser::oid_registry::Oid;

    #[test]
    fn the_bytes_are_the_oids_they_are_named_for() {
        let dotted = |raw: &'static [u8]| Oid::new(raw.into()).to_id_string();
        assert_eq!(dotted(super::RSA_ENCRYPTION), "1.2.840.113549.1.1.1");
        assert_eq!(dotted(super::SHA1_WITH_RSA_OIW), "1.3.14.3.2.29");
        assert_eq!(dotted(super::BRAINPOOL_P512R1), "1.3.36.3.3.2.8.1.1.13");
        assert_eq!(dotted(super::ML_DSA_87), "2.16.840.1.101.3.4.3.19");
    }
}
