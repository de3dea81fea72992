//! The named elliptic curves OpenSSL knows (`openssl ecparam -list_curves`, OpenSSL 3.0), by
//! OID, with the size OpenSSL gives their keys: the bits of the group order, which is what
//! `openssl x509 -text` prints as `Public-Key: (N bit)` (sect571r1 is 570, secp224k1 225). A
//! table rather than the OID registry so that a curve outside [`super::key`]'s own list still
//! gets its name and its true size, not one estimated from the point's length.

use x509_parser::asn1_rs::oid;

/// `(OID contents, OpenSSL's name, key bits)`.
const CURVES: &[(&[u8], &str, u32)] = &[
    (&oid!(raw 1.3.132.0.6), "secp112r1", 112),
    (&oid!(raw 1.3.132.0.7), "secp112r2", 110),
    (&oid!(raw 1.3.132.0.28), "secp128r1", 128),
    (&oid!(raw 1.3.132.0.29), "secp128r2", 126),
    (&oid!(raw 1.3.132.0.9), "secp160k1", 161),
    (&oid!(raw 1.3.132.0.8), "secp160r1", 161),
    (&oid!(raw 1.3.132.0.30), "secp160r2", 161),
    (&oid!(raw 1.3.132.0.31), "secp192k1", 192),
    (&oid!(raw 1.3.132.0.32), "secp224k1", 225),
    (&oid!(raw 1.3.132.0.33), "secp224r1", 224),
    (&oid!(raw 1.3.132.0.10), "secp256k1", 256),
    (&oid!(raw 1.3.132.0.34), "secp384r1", 384),
    (&oid!(raw 1.3.132.0.35), "secp521r1", 521),
    (&oid!(raw 1.2.840.10045.3.1.1), "prime192v1", 192),
    (&oid!(raw 1.2.840.10045.3.1.2), "prime192v2", 192),
    (&oid!(raw 1.2.840.10045.3.1.3), "prime192v3", 192),
    (&oid!(raw 1.2.840.10045.3.1.4), "prime239v1", 239),
    (&oid!(raw 1.2.840.10045.3.1.5), "prime239v2", 239),
    (&oid!(raw 1.2.840.10045.3.1.6), "prime239v3", 239),
    (&oid!(raw 1.2.840.10045.3.1.7), "prime256v1", 256),
    (&oid!(raw 1.3.132.0.4), "sect113r1", 113),
    (&oid!(raw 1.3.132.0.5), "sect113r2", 113),
    (&oid!(raw 1.3.132.0.22), "sect131r1", 131),
    (&oid!(raw 1.3.132.0.23), "sect131r2", 131),
    (&oid!(raw 1.3.132.0.1), "sect163k1", 163),
    (&oid!(raw 1.3.132.0.2), "sect163r1", 162),
    (&oid!(raw 1.3.132.0.15), "sect163r2", 163),
    (&oid!(raw 1.3.132.0.24), "sect193r1", 193),
    (&oid!(raw 1.3.132.0.25), "sect193r2", 193),
    (&oid!(raw 1.3.132.0.26), "sect233k1", 232),
    (&oid!(raw 1.3.132.0.27), "sect233r1", 233),
    (&oid!(raw 1.3.132.0.3), "sect239k1", 238),
    (&oid!(raw 1.3.132.0.16), "sect283k1", 281),
    (&oid!(raw 1.3.132.0.17), "sect283r1", 282),
    (&oid!(raw 1.3.132.0.36), "sect409k1", 407),
    (&oid!(raw 1.3.132.0.37), "sect409r1", 409),
    (&oid!(raw 1.3.132.0.38), "sect571k1", 570),
    (&oid!(raw 1.3.132.0.39), "sect571r1", 570),
    (&oid!(raw 1.2.840.10045.3.0.1), "c2pnb163v1", 163),
    (&oid!(raw 1.2.840.10045.3.0.2), "c2pnb163v2", 162),
    (&oid!(raw 1.2.840.10045.3.0.3), "c2pnb163v3", 162),
    (&oid!(raw 1.2.840.10045.3.0.4), "c2pnb176v1", 161),
    (&oid!(raw 1.2.840.10045.3.0.5), "c2tnb191v1", 191),
    (&oid!(raw 1.2.840.10045.3.0.6), "c2tnb191v2", 190),
    (&oid!(raw 1.2.840.10045.3.0.7), "c2tnb191v3", 189),
    (&oid!(raw 1.2.840.10045.3.0.10), "c2pnb208w1", 193),
    (&oid!(raw 1.2.840.10045.3.0.11), "c2tnb239v1", 238),
    (&oid!(raw 1.2.840.10045.3.0.12), "c2tnb239v2", 237),
    (&oid!(raw 1.2.840.10045.3.0.13), "c2tnb239v3", 236),
    (&oid!(raw 1.2.840.10045.3.0.16), "c2pnb272w1", 257),
    (&oid!(raw 1.2.840.10045.3.0.17), "c2pnb304w1", 289),
    (&oid!(raw 1.2.840.10045.3.0.18), "c2tnb359v1", 353),
    (&oid!(raw 1.2.840.10045.3.0.19), "c2pnb368w1", 353),
    (&oid!(raw 1.2.840.10045.3.0.20), "c2tnb431r1", 418),
    (&oid!(raw 2.23.43.1.4.1), "wap-wsg-idm-ecid-wtls1", 112),
    (&oid!(raw 2.23.43.1.4.3), "wap-wsg-idm-ecid-wtls3", 163),
    (&oid!(raw 2.23.43.1.4.4), "wap-wsg-idm-ecid-wtls4", 113),
    (&oid!(raw 2.23.43.1.4.5), "wap-wsg-idm-ecid-wtls5", 163),
    (&oid!(raw 2.23.43.1.4.6), "wap-wsg-idm-ecid-wtls6", 112),
    (&oid!(raw 2.23.43.1.4.7), "wap-wsg-idm-ecid-wtls7", 161),
    (&oid!(raw 2.23.43.1.4.8), "wap-wsg-idm-ecid-wtls8", 113),
    (&oid!(raw 2.23.43.1.4.9), "wap-wsg-idm-ecid-wtls9", 161),
    (&oid!(raw 2.23.43.1.4.10), "wap-wsg-idm-ecid-wtls10", 232),
    (&oid!(raw 2.23.43.1.4.11), "wap-wsg-idm-ecid-wtls11", 233),
    (&oid!(raw 2.23.43.1.4.12), "wap-wsg-idm-ecid-wtls12", 224),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.1), "brainpoolP160r1", 160),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.2), "brainpoolP160t1", 160),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.3), "brainpoolP192r1", 192),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.4), "brainpoolP192t1", 192),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.5), "brainpoolP224r1", 224),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.6), "brainpoolP224t1", 224),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.7), "brainpoolP256r1", 256),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.8), "brainpoolP256t1", 256),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.9), "brainpoolP320r1", 320),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.10), "brainpoolP320t1", 320),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.11), "brainpoolP384r1", 384),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.12), "brainpoolP384t1", 384),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.13), "brainpoolP512r1", 512),
    (&oid!(raw 1.3.36.3.3.2.8.1.1.14), "brainpoolP512t1", 512),
    (&oid!(raw 1.2.156.10197.1.301), "SM2", 256),
];

/// OpenSSL's name and key size for the curve with this OID, if it knows it.
pub(super) fn named_curve(oid: &[u8]) -> Option<(&'static str, u32)> {
    CURVES
        .iter()
        .find(|(raw, _, _)| *raw == oid)
        .map(|&(_, name, bits)| (name, bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_outside_the_main_list_have_their_order_size() {
        assert_eq!(
            named_curve(&oid!(raw 1.3.132.0.39)),
            Some(("sect571r1", 570))
        );
        assert_eq!(
            named_curve(&oid!(raw 1.3.132.0.32)),
            Some(("secp224k1", 225))
        );
        assert_eq!(
            named_curve(&oid!(raw 1.3.36.3.3.2.8.1.1.9)),
            Some(("brainpoolP320r1", 320))
        );
        assert_eq!(named_curve(&oid!(raw 1.2.3.4)), None);
    }
}
