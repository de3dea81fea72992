//! The report's certificate fields that take more than a lookup: SANs, serial, algorithm names.

use std::net::IpAddr;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::x509::AlgorithmIdentifier;

use super::encoding::hex;

/// Subject alternative names in certificate order: DNS names and IP addresses plain (IPv6 in
/// RFC 5952 form), other kinds prefixed (`email:`, `URI:`, `DirName:`, ...).
pub(super) fn sans(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ext)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    ext.value.general_names.iter().map(general_name).collect()
}

fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(d) => (*d).to_string(),
        GeneralName::IPAddress(b) => ip(b),
        GeneralName::RFC822Name(e) => format!("email:{e}"),
        GeneralName::URI(u) => format!("URI:{u}"),
        GeneralName::DirectoryName(dn) => format!("DirName:{dn}"),
        GeneralName::RegisteredID(oid) => format!("RID:{oid}"),
        GeneralName::OtherName(oid, _) => format!("othername:{oid}"),
        GeneralName::X400Address(_) => "X400Name:<unsupported>".to_string(),
        GeneralName::EDIPartyName(_) => "EdiPartyName:<unsupported>".to_string(),
        // E.g. a DNS name that is not valid text: show the bytes rather than drop the name.
        GeneralName::Invalid(_, bytes) => format!("invalid:{}", hex(bytes)),
    }
}

/// An iPAddress SAN: 4 or 16 bytes; anything else (address/mask pairs belong in name
/// constraints, not here) as `IP:` and hex.
fn ip(bytes: &[u8]) -> String {
    ip_address(bytes).map_or_else(|| format!("IP:{}", hex(bytes)), |a| a.to_string())
}

/// The address an iPAddress SAN holds: 4 bytes IPv4, 16 bytes IPv6; None for another length.
pub fn ip_address(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        Some(IpAddr::from(v4))
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        Some(IpAddr::from(v6))
    } else {
        None
    }
}

/// The serial as `openssl x509 -serial` prints it, lowercased: the integer's magnitude in hex,
/// without DER's leading zero padding but keeping at least one byte (serial 0 is `00`).
pub(super) fn serial(cert: &X509Certificate<'_>) -> String {
    let raw = cert.raw_serial();
    let start = raw
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(raw.len().saturating_sub(1));
    hex(raw.get(start..).unwrap_or(raw))
}

/// OpenSSL's names for the signature algorithms met in practice (but RFC 4055's `RSASSA-PSS`
/// rather than `rsassaPss`), else the dotted OID. A fixed table rather than the OID registry:
/// these strings are part of the JSON contract and [`crate::verify`] matches on them, so a
/// dependency update must not rename them.
pub(super) fn signature_algorithm(cert: &X509Certificate<'_>) -> String {
    signature_algorithm_name(&cert.signature_algorithm)
}

/// Whether a certificate signature algorithm's hash is broken for certificates: MD2, MD5 and
/// SHA-1 with RSA, ECDSA with SHA-1, DSA with SHA-1.
pub(super) fn broken_hash(algorithm: &AlgorithmIdentifier<'_>) -> bool {
    use x509_parser::oid_registry::{
        OID_PKCS1_MD2WITHRSAENC, OID_PKCS1_MD5WITHRSAENC, OID_PKCS1_SHA1WITHRSA,
        OID_SIG_DSA_WITH_SHA1,
    };
    /// ecdsa-with-SHA1 (RFC 5758), which the OID registry does not name.
    const ECDSA_WITH_SHA1: x509_parser::oid_registry::Oid<'static> =
        x509_parser::asn1_rs::oid!(1.2.840 .10045 .4 .1);
    [
        OID_PKCS1_MD5WITHRSAENC,
        OID_PKCS1_SHA1WITHRSA,
        ECDSA_WITH_SHA1,
        OID_SIG_DSA_WITH_SHA1,
        OID_PKCS1_MD2WITHRSAENC,
    ]
    .contains(&algorithm.algorithm)
}

/// [`signature_algorithm`]'s name for any signature's AlgorithmIdentifier (an OCSP
/// response's, say).
pub fn signature_algorithm_name(algorithm: &AlgorithmIdentifier<'_>) -> String {
    let oid = algorithm.algorithm.to_id_string();
    let name = match oid.as_str() {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.3.14.3.2.29" => "sha1WithRSA",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa_with_SHA256",
        "2.16.840.1.101.3.4.3.17" => "ML-DSA-44",
        "2.16.840.1.101.3.4.3.18" => "ML-DSA-65",
        "2.16.840.1.101.3.4.3.19" => "ML-DSA-87",
        // md2WithRSAEncryption (1.2.840.113549.1.1.2) stays an OID: verify::strength lists it so.
        _ => return oid,
    };
    name.to_string()
}
