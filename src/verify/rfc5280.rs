//! The certificate profile that webpki does not enforce: RFC 5280's MUSTs for conforming CAs,
//! and the CA/Browser Forum's for roots, checked on each certificate of a candidate path.
//!
//! webpki checks what it needs to build a path safely and little more: a leaf without an
//! authorityKeyIdentifier, a root without basicConstraints, a critical subjectKeyIdentifier or
//! a negative serial number all pass it. OpenSSL, Go and the x509-limbo suite refuse them, and
//! a server whose chain some clients refuse is exactly what a chain inspector must report.
//! Each rule here is one that the limbo suite or a real client enforces; the ones tlsprobe
//! deliberately does not enforce are listed in `tests/conformance/departures.txt`.

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Version;

use super::faults::Fault;
use super::quote::quoted;
use crate::report::VerifyCode;

/// Where a certificate sits on the path: the rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leaf,
    Intermediate,
    /// The trust anchor's own certificate (from `--ca-file` or the system store).
    Anchor,
}

const OID_AKI: &str = "2.5.29.35";
const OID_SKI: &str = "2.5.29.14";
const OID_BC: &str = "2.5.29.19";
const OID_KU: &str = "2.5.29.15";
const OID_EKU: &str = "2.5.29.37";
const OID_SAN: &str = "2.5.29.17";
const OID_NC: &str = "2.5.29.30";
const OID_PC: &str = "2.5.29.36";
const OID_AIA: &str = "1.3.6.1.5.5.7.1.1";

/// Extensions whose meaning a client is expected to know (a critical one outside this list
/// makes the certificate unusable, RFC 5280 4.2).
const KNOWN: [&str; 15] = [
    OID_AKI,
    OID_SKI,
    OID_BC,
    OID_KU,
    OID_EKU,
    OID_SAN,
    OID_NC,
    OID_PC,
    OID_AIA,
    "2.5.29.32",               // certificatePolicies
    "2.5.29.33",               // policyMappings
    "2.5.29.54",               // inhibitAnyPolicy
    "2.5.29.31",               // cRLDistributionPoints
    "2.5.29.18",               // issuerAltName
    "1.3.6.1.4.1.11129.2.4.2", // SCT list
];

/// The profile violations of one certificate. `who` names it in messages; `index` is its
/// place in `certificates[]` (None for a trust anchor that was not served).
pub fn check(der: &[u8], role: Role, who: &str, index: Option<usize>) -> Vec<Fault> {
    let mut out = Vec::new();
    let mut bad = |code, message: String| out.push(Fault::new(code, index, message));
    let cert = match X509Certificate::from_der(der) {
        Ok((_, c)) => c,
        Err(e) => {
            bad(
                VerifyCode::Malformed,
                format!("{who} is not a valid X.509 certificate ({e})"),
            );
            return out;
        }
    };
    let self_signed = cert.subject().as_raw() == cert.issuer().as_raw();
    let is_ca_role = role != Role::Leaf;

    // Serial number: positive, at most 20 octets (RFC 5280 4.1.2.2).
    let serial = cert.raw_serial();
    if serial.len() > 21 || (serial.len() == 21 && serial.first() != Some(&0)) {
        bad(
            VerifyCode::Malformed,
            format!("{who} has a serial number longer than the 20 octets RFC 5280 allows"),
        );
    } else if serial.first().is_some_and(|b| b & 0x80 != 0) {
        bad(
            VerifyCode::Malformed,
            format!("{who} has a negative serial number"),
        );
    } else if serial.iter().all(|&b| b == 0) {
        bad(
            VerifyCode::Malformed,
            format!("{who} has serial number zero, which RFC 5280 forbids"),
        );
    }
    if cert.tbs_certificate.signature != cert.signature_algorithm {
        bad(VerifyCode::Malformed, format!("{who}'s signature algorithm differs between its signed part and its outer signature"));
    }
    if cert.validity().not_before > cert.validity().not_after {
        bad(
            VerifyCode::Malformed,
            format!("{who}'s validity period ends before it starts"),
        );
    }
    if role != Role::Anchor && cert.version() != X509Version::V3 {
        bad(
            VerifyCode::Malformed,
            format!(
                "{who} is an X.509 version {} certificate; version 3 is required",
                cert.version().0.saturating_add(1)
            ),
        );
    }
    if cert.issuer().as_raw().len() <= 2 {
        bad(
            VerifyCode::Malformed,
            format!("{who} has an empty issuer name"),
        );
    }
    if is_ca_role && cert.subject().as_raw().len() <= 2 {
        bad(
            VerifyCode::Malformed,
            format!("{who} is a CA with an empty subject name"),
        );
    }

    let ext = |oid: &str| {
        cert.extensions()
            .iter()
            .find(|e| e.oid.to_id_string() == oid)
    };
    for e in cert.extensions() {
        if let ParsedExtension::ParseError { .. } = e.parsed_extension() {
            bad(
                VerifyCode::BadExtension,
                format!(
                    "{who} has a malformed {} extension",
                    ext_name(&e.oid.to_id_string())
                ),
            );
        }
        if e.critical && !KNOWN.contains(&e.oid.to_id_string().as_str()) {
            bad(
                VerifyCode::BadExtension,
                format!(
                    "{who} has an unknown critical extension ({})",
                    e.oid.to_id_string()
                ),
            );
        }
    }

    // Key identifiers (4.2.1.1, 4.2.1.2).
    match ext(OID_AKI) {
        Some(e) => {
            if e.critical {
                bad(VerifyCode::BadExtension, format!("{who} marks authorityKeyIdentifier critical, which RFC 5280 forbids"));
            }
            if let ParsedExtension::AuthorityKeyIdentifier(aki) = e.parsed_extension() {
                if aki.key_identifier.is_none() {
                    bad(VerifyCode::BadExtension, format!("{who}'s authorityKeyIdentifier has no keyIdentifier"));
                }
                if self_signed && role == Role::Anchor {
                    if aki.authority_cert_issuer.is_some() || aki.authority_cert_serial.is_some() {
                        bad(VerifyCode::BadExtension, format!("{who} is a root whose authorityKeyIdentifier names an issuer and serial, which roots must not"));
                    }
                    let ski = subject_key_id(&cert);
                    if let (Some(a), Some(s)) = (aki.key_identifier.as_ref(), ski) {
                        if a.0 != s {
                            bad(VerifyCode::BadExtension, format!("{who} is a root whose authorityKeyIdentifier does not match its own subjectKeyIdentifier"));
                        }
                    }
                }
            }
        }
        None if !self_signed => bad(
            VerifyCode::BadExtension,
            format!("{who} has no authorityKeyIdentifier, which RFC 5280 requires of every certificate that is not self-signed"),
        ),
        None => {}
    }
    match ext(OID_SKI) {
        Some(e) if e.critical => bad(
            VerifyCode::BadExtension,
            format!("{who} marks subjectKeyIdentifier critical, which RFC 5280 forbids"),
        ),
        None if is_ca_role => bad(
            VerifyCode::BadExtension,
            format!("{who} is a CA without a subjectKeyIdentifier, which RFC 5280 requires"),
        ),
        _ => {}
    }

    // basicConstraints and keyUsage (4.2.1.9, 4.2.1.3).
    let bc = ext(OID_BC);
    let ca_flag = matches!(bc.map(|e| e.parsed_extension()), Some(ParsedExtension::BasicConstraints(b)) if b.ca);
    let cert_sign = matches!(ext(OID_KU).map(|e| e.parsed_extension()), Some(ParsedExtension::KeyUsage(k)) if k.key_cert_sign());
    if is_ca_role {
        match bc {
            None => bad(VerifyCode::NotACa, format!("{who} is used as a CA but has no basicConstraints extension")),
            Some(_) if !ca_flag => bad(VerifyCode::NotACa, format!("{who} is used as a CA but its basicConstraints say CA:FALSE")),
            Some(e) if !e.critical => bad(VerifyCode::BadExtension, format!("{who} is a CA whose basicConstraints are not marked critical, as RFC 5280 requires")),
            Some(_) => {}
        }
        if let Some(ParsedExtension::KeyUsage(k)) = ext(OID_KU).map(|e| e.parsed_extension()) {
            if !k.key_cert_sign() {
                bad(
                    VerifyCode::BadUsage,
                    format!("{who} is used as a CA but its keyUsage does not include keyCertSign"),
                );
            }
        }
    } else if cert_sign && !ca_flag {
        bad(
            VerifyCode::BadUsage,
            format!("{who} has keyUsage keyCertSign but is not a CA"),
        );
    }

    // Extensions that must (not) be critical, or must (not) be there.
    if ext(OID_AIA).is_some_and(|e| e.critical) {
        bad(
            VerifyCode::BadExtension,
            format!("{who} marks authorityInfoAccess critical, which RFC 5280 forbids"),
        );
    }
    if ext(OID_PC).is_some_and(|e| !e.critical) {
        bad(
            VerifyCode::BadExtension,
            format!("{who} has policyConstraints not marked critical, as RFC 5280 requires"),
        );
    }
    if let Some(e) = ext(OID_NC) {
        if role == Role::Leaf {
            bad(
                VerifyCode::BadExtension,
                format!("{who} is not a CA but has name constraints, which only CAs may carry"),
            );
        } else if let ParsedExtension::NameConstraints(nc) = e.parsed_extension() {
            let empty = |s: &Option<Vec<_>>| s.as_ref().is_none_or(Vec::is_empty);
            if empty(&nc.permitted_subtrees) && empty(&nc.excluded_subtrees) {
                bad(VerifyCode::NameConstraints, format!("{who} has a name constraints extension with no permitted or excluded subtrees"));
            }
            let bases = nc
                .permitted_subtrees
                .iter()
                .flatten()
                .chain(nc.excluded_subtrees.iter().flatten());
            for base in bases {
                if let Some(why) = super::name_constraints::malformed_base(&base.base) {
                    bad(
                        VerifyCode::NameConstraints,
                        format!("{who} has a malformed name constraint: {why}"),
                    );
                }
            }
        }
    }
    if let Some(e) = ext(OID_EKU) {
        if role == Role::Leaf && e.critical {
            bad(VerifyCode::BadExtension, format!("{who} marks extendedKeyUsage critical, which the CA/Browser Forum forbids for server certificates"));
        }
        if let ParsedExtension::ExtendedKeyUsage(eku) = e.parsed_extension() {
            if role == Role::Leaf && eku.any {
                bad(VerifyCode::BadExtension, format!("{who} allows anyExtendedKeyUsage, which the CA/Browser Forum forbids in a leaf"));
            }
        }
        if role == Role::Anchor && self_signed {
            bad(VerifyCode::BadExtension, format!("{who} is a root with an extendedKeyUsage extension, which roots must not carry"));
        }
    }
    let subject_empty = cert.subject().as_raw().len() <= 2;
    if let Some(e) = ext(OID_SAN) {
        if subject_empty && !e.critical {
            bad(
                VerifyCode::BadExtension,
                format!("{who} has an empty subject, so its subjectAltName must be critical"),
            );
        }
        if role == Role::Leaf && !subject_empty && e.critical {
            bad(
                VerifyCode::BadExtension,
                format!("{who} marks subjectAltName critical although its subject is not empty"),
            );
        }
        if role == Role::Leaf {
            if let ParsedExtension::SubjectAlternativeName(san) = e.parsed_extension() {
                for name in &san.general_names {
                    if let Some(why) = bad_san(name) {
                        bad(VerifyCode::BadExtension, format!("{who} has {why}"));
                    }
                }
            }
        }
    } else if subject_empty {
        bad(
            VerifyCode::BadExtension,
            format!("{who} has neither a subject nor a subjectAltName"),
        );
    }
    if role == Role::Leaf {
        if let Some(why) = super::common_name::outside_sans(&cert) {
            bad(VerifyCode::BadExtension, format!("{who} {why}"));
        }
    }
    out
}

fn subject_key_id<'a>(cert: &'a X509Certificate<'_>) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0),
            _ => None,
        })
}

/// Why a subjectAltName entry of a leaf is malformed.
fn bad_san(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::DNSName(d) if !valid_dns_name(d) => Some(format!(
            "a malformed DNS name in its subjectAltName ({})",
            quoted(d)
        )),
        GeneralName::IPAddress(ip) if ip.len() != 4 && ip.len() != 16 => Some(format!(
            "an IP address of {} bytes in its subjectAltName",
            ip.len()
        )),
        GeneralName::RFC822Name(m) if !super::identity::valid_mailbox(m) => Some(format!(
            "a malformed email address in its subjectAltName ({})",
            quoted(m)
        )),
        GeneralName::Invalid(..) => Some("an undecodable subjectAltName entry".to_string()),
        _ => None,
    }
}

/// A DNS name as a certificate may present it: LDH labels of 1 to 63 characters, at most 253
/// in all, optionally a `*.` wildcard as the whole first label; no trailing dot, no IP
/// address in dotted form.
pub fn valid_dns_name(name: &str) -> bool {
    let body = name.strip_prefix("*.").unwrap_or(name);
    if body.is_empty() || name.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = body.split('.').collect();
    let ok = labels.iter().all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let numeric = labels
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    ok && !numeric
}

fn ext_name(oid: &str) -> String {
    ext_known_name(oid).map_or_else(|| oid.to_string(), str::to_string)
}

fn ext_known_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        OID_AKI => "authorityKeyIdentifier",
        OID_SKI => "subjectKeyIdentifier",
        OID_BC => "basicConstraints",
        OID_KU => "keyUsage",
        OID_EKU => "extendedKeyUsage",
        OID_SAN => "subjectAltName",
        OID_NC => "nameConstraints",
        OID_PC => "policyConstraints",
        OID_AIA => "authorityInfoAccess",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.31" => "cRLDistributionPoints",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        for ok in [
            "example.com",
            "*.example.com",
            "a-b.c",
            "xn--n3h.com",
            "localhost",
        ] {
            assert!(valid_dns_name(ok), "{ok}");
        }
        for bad in [
            "",
            "foo_bar.example.com",
            "*",
            "a.*.com",
            "-a.com",
            "a..b",
            "8.8.8.8",
            "example.com.",
            "f*o.example.com",
        ] {
            assert!(!valid_dns_name(bad), "{bad}");
        }
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        let faults = check(
            &[0x30, 0x03, 0x02, 0x01, 0x00],
            Role::Leaf,
            "certificate 0",
            Some(0),
        );
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].code, VerifyCode::Malformed);
    }
}
