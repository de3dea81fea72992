//! The report's certificate fields that take more than a lookup: SANs, serial, algorithm names.

use std::net::IpAddr;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::x509::AlgorithmIdentifier;

use super::encoding::hex;
use super::oids;

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
    matches!(
        algorithm.algorithm.as_bytes(),
        oids::MD5_WITH_RSA
            | oids::SHA1_WITH_RSA
            | oids::ECDSA_WITH_SHA1
            | oids::DSA_WITH_SHA1
            | oids::MD2_WITH_RSA
    )
}

/// [`signature_algorithm`]'s name for any signature's AlgorithmIdentifier (an OCSP
/// response's, say).
pub fn signature_algorithm_name(algorithm: &AlgorithmIdentifier<'_>) -> String {
    let name = match algorithm.algorithm.as_bytes() {
        oids::MD5_WITH_RSA => "md5WithRSAEncryption",
        oids::SHA1_WITH_RSA => "sha1WithRSAEncryption",
        oids::SHA1_WITH_RSA_OIW => "sha1WithRSA",
        oids::SHA224_WITH_RSA => "sha224WithRSAEncryption",
        oids::SHA256_WITH_RSA => "sha256WithRSAEncryption",
        oids::SHA384_WITH_RSA => "sha384WithRSAEncryption",
        oids::SHA512_WITH_RSA => "sha512WithRSAEncryption",
        oids::RSASSA_PSS => "RSASSA-PSS",
        oids::ECDSA_WITH_SHA1 => "ecdsa-with-SHA1",
        oids::ECDSA_WITH_SHA224 => "ecdsa-with-SHA224",
        oids::ECDSA_WITH_SHA256 => "ecdsa-with-SHA256",
        oids::ECDSA_WITH_SHA384 => "ecdsa-with-SHA384",
        oids::ECDSA_WITH_SHA512 => "ecdsa-with-SHA512",
        oids::ED25519 => "ED25519",
        oids::ED448 => "ED448",
        oids::DSA_WITH_SHA1 => "dsa-with-SHA1",
        oids::DSA_WITH_SHA256 => "dsa_with_SHA256",
        oids::ML_DSA_44 => "ML-DSA-44",
        oids::ML_DSA_65 => "ML-DSA-65",
        oids::ML_DSA_87 => "ML-DSA-87",
        // md2WithRSAEncryption stays an OID, as it always has in the report.
        _ => return algorithm.algorithm.to_id_string(),
    };
    name.to_string()
}
