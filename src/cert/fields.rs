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

pub(super) fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(d) => (*d).to_string(),
        GeneralName::IPAddress(b) => ip(b),
        GeneralName::RFC822Name(e) => format!("email:{e}"),
        GeneralName::URI(u) => format!("URI:{u}"),
        GeneralName::DirectoryName(dn) => format!("DirName:{}", super::name::name_text(dn)),
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

/// The serial as `openssl x509 -serial` prints it, lowercased: see [`serial_text`].
pub(super) fn serial(cert: &X509Certificate<'_>) -> String {
    serial_text(cert.raw_serial())
}

/// The contents of a DER INTEGER as `openssl x509 -serial` prints it, lowercased: the hex of
/// its magnitude in whole bytes, without DER's leading zero padding but keeping at least one
/// byte (serial 0 is `00`), with a `-` before a negative one (top bit set, which RFC 5280
/// forbids but CAs have issued): `fbce996c13` is `-04316693ed`.
pub fn serial_text(raw: &[u8]) -> String {
    let negative = raw.first().is_some_and(|&b| b & 0x80 != 0);
    if !negative {
        return hex(minimal(raw));
    }
    // Two's complement: invert, add one, from the last byte up.
    let mut magnitude: Vec<u8> = raw.iter().map(|b| !b).collect();
    for byte in magnitude.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    format!("-{}", hex(minimal(&magnitude)))
}

/// Big-endian bytes without leading zeros, keeping the last byte.
fn minimal(be: &[u8]) -> &[u8] {
    let start = be
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(be.len().saturating_sub(1));
    be.get(start..).unwrap_or(be)
}

/// The SPKI pin: base64 of the SHA-256 of the DER SubjectPublicKeyInfo, as curl's
/// `--pinnedpubkey sha256//...` and HPKP's `pin-sha256` write it.
pub(super) fn pin_sha256(cert: &X509Certificate<'_>) -> String {
    pin_of_spki(cert.public_key().raw)
}

/// The pin of a DER SubjectPublicKeyInfo (SEQUENCE included): base64 of its SHA-256.
pub fn pin_of_spki(spki: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, spki);
    data_encoding::BASE64.encode(digest.as_ref())
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

#[cfg(test)]
mod tests {
    use super::serial_text;

    #[test]
    fn serials_as_openssl_prints_them() {
        assert_eq!(serial_text(&[0x00]), "00");
        assert_eq!(serial_text(&[]), "");
        assert_eq!(serial_text(&[0x00, 0x80]), "80");
        assert_eq!(serial_text(&[0x01, 0x02]), "0102");
        assert_eq!(serial_text(&[0xfb, 0xce, 0x99, 0x6c, 0x13]), "-04316693ed");
        assert_eq!(serial_text(&[0xff]), "-01");
        assert_eq!(serial_text(&[0x80]), "-80");
        assert_eq!(serial_text(&[0xff, 0x00]), "-0100");
        assert_eq!(serial_text(&[0xff, 0xff, 0x01]), "-ff");
    }
}
