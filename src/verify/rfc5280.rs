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
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};
use x509_parser::oid_registry::{self as oids, Oid};
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

const OID_AKI: Oid<'static> = oids::OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER;
const OID_SKI: Oid<'static> = oids::OID_X509_EXT_SUBJECT_KEY_IDENTIFIER;
const OID_BC: Oid<'static> = oids::OID_X509_EXT_BASIC_CONSTRAINTS;
const OID_KU: Oid<'static> = oids::OID_X509_EXT_KEY_USAGE;
const OID_EKU: Oid<'static> = oids::OID_X509_EXT_EXTENDED_KEY_USAGE;
const OID_SAN: Oid<'static> = oids::OID_X509_EXT_SUBJECT_ALT_NAME;
const OID_NC: Oid<'static> = oids::OID_X509_EXT_NAME_CONSTRAINTS;
const OID_PC: Oid<'static> = oids::OID_X509_EXT_POLICY_CONSTRAINTS;
const OID_AIA: Oid<'static> = oids::OID_PKIX_AUTHORITY_INFO_ACCESS;

/// Extensions whose meaning a client is expected to know (a critical one outside this list
/// makes the certificate unusable, RFC 5280 4.2), with the name messages give them (the
/// others are named by their dotted OID).
const KNOWN: [(Oid<'static>, Option<&str>); 15] = [
    (OID_AKI, Some("authorityKeyIdentifier")),
    (OID_SKI, Some("subjectKeyIdentifier")),
    (OID_BC, Some("basicConstraints")),
    (OID_KU, Some("keyUsage")),
    (OID_EKU, Some("extendedKeyUsage")),
    (OID_SAN, Some("subjectAltName")),
    (OID_NC, Some("nameConstraints")),
    (OID_PC, Some("policyConstraints")),
    (OID_AIA, Some("authorityInfoAccess")),
    (
        oids::OID_X509_EXT_CERTIFICATE_POLICIES,
        Some("certificatePolicies"),
    ),
    (oids::OID_X509_EXT_POLICY_MAPPINGS, None),
    (oids::OID_X509_EXT_INHIBIT_ANY_POLICY, None),
    (
        oids::OID_X509_EXT_CRL_DISTRIBUTION_POINTS,
        Some("cRLDistributionPoints"),
    ),
    (oids::OID_X509_EXT_ISSUER_ALT_NAME, None),
    (oids::OID_CT_LIST_SCT, None),
];

/// The profile violations of one certificate. `who` names it in messages; `index` is its
/// place in `certificates[]` (None for a trust anchor that was not served).
pub fn check(der: &[u8], role: Role, who: &str, index: Option<usize>) -> Vec<Fault> {
    let cert = match X509Certificate::from_der(der) {
        Ok((_, c)) => c,
        Err(e) => {
            return vec![Fault::new(
                VerifyCode::Malformed,
                index,
                format!("{who} is not a valid X.509 certificate ({e})"),
            )];
        }
    };
    let mut p = Profile {
        cert: &cert,
        role,
        who,
        index,
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        out: Vec::new(),
    };
    // The order of the stages is the order of the faults in the report.
    p.fields();
    p.extensions();
    p.key_identifiers();
    p.ca_usage();
    p.criticality();
    p.name_constraints();
    p.extended_key_usage();
    p.subject_alt_name();
    if role == Role::Leaf {
        if let Some(why) = super::common_name::outside_sans(&cert) {
            p.bad(VerifyCode::BadExtension, format!("{who} {why}"));
        }
    }
    p.out
}

/// One certificate under the profile's rules, and the faults found so far.
struct Profile<'c, 'a> {
    cert: &'c X509Certificate<'a>,
    role: Role,
    who: &'c str,
    index: Option<usize>,
    self_signed: bool,
    out: Vec<Fault>,
}

impl<'c, 'a> Profile<'c, 'a> {
    fn bad(&mut self, code: VerifyCode, message: String) {
        self.out.push(Fault::new(code, self.index, message));
    }

    fn ext(&self, oid: &Oid<'_>) -> Option<&'c X509Extension<'a>> {
        self.cert.extensions().iter().find(|e| e.oid == *oid)
    }

    fn is_ca_role(&self) -> bool {
        self.role != Role::Leaf
    }

    /// The basic fields: serial number (4.1.2.2), signature algorithm, validity, version, names.
    fn fields(&mut self) {
        let (cert, role, who) = (self.cert, self.role, self.who);
        // Serial number: positive, at most 20 octets (RFC 5280 4.1.2.2).
        let serial = cert.raw_serial();
        if serial.len() > 21 || (serial.len() == 21 && serial.first() != Some(&0)) {
            self.bad(
                VerifyCode::Malformed,
                format!("{who} has a serial number longer than the 20 octets RFC 5280 allows"),
            );
        } else if serial.first().is_some_and(|b| b & 0x80 != 0) {
            self.bad(
                VerifyCode::Malformed,
                format!("{who} has a negative serial number"),
            );
        } else if serial.iter().all(|&b| b == 0) {
            self.bad(
                VerifyCode::Malformed,
                format!("{who} has serial number zero, which RFC 5280 forbids"),
            );
        }
        if cert.tbs_certificate.signature != cert.signature_algorithm {
            self.bad(VerifyCode::Malformed, format!("{who}'s signature algorithm differs between its signed part and its outer signature"));
        }
        if cert.validity().not_before > cert.validity().not_after {
            self.bad(
                VerifyCode::Malformed,
                format!("{who}'s validity period ends before it starts"),
            );
        }
        if role != Role::Anchor && cert.version() != X509Version::V3 {
            self.bad(
                VerifyCode::Malformed,
                format!(
                    "{who} is an X.509 version {} certificate; version 3 is required",
                    cert.version().0.saturating_add(1)
                ),
            );
        }
        if cert.issuer().as_raw().len() <= 2 {
            self.bad(
                VerifyCode::Malformed,
                format!("{who} has an empty issuer name"),
            );
        }
        if self.is_ca_role() && cert.subject().as_raw().len() <= 2 {
            self.bad(
                VerifyCode::Malformed,
                format!("{who} is a CA with an empty subject name"),
            );
        }
    }

    /// Every extension: parseable, and understood where critical (4.2).
    fn extensions(&mut self) {
        let (cert, who) = (self.cert, self.who);
        for e in cert.extensions() {
            if let ParsedExtension::ParseError { .. } = e.parsed_extension() {
                self.bad(
                    VerifyCode::BadExtension,
                    format!("{who} has a malformed {} extension", ext_name(&e.oid)),
                );
            }
            if e.critical && !KNOWN.iter().any(|(oid, _)| *oid == e.oid) {
                self.bad(
                    VerifyCode::BadExtension,
                    format!(
                        "{who} has an unknown critical extension ({})",
                        e.oid.to_id_string()
                    ),
                );
            }
        }
    }

    /// Key identifiers (4.2.1.1, 4.2.1.2).
    fn key_identifiers(&mut self) {
        let (cert, role, who, self_signed) = (self.cert, self.role, self.who, self.self_signed);
        match self.ext(&OID_AKI) {
            Some(e) => {
                if e.critical {
                    self.bad(VerifyCode::BadExtension, format!("{who} marks authorityKeyIdentifier critical, which RFC 5280 forbids"));
                }
                if let ParsedExtension::AuthorityKeyIdentifier(aki) = e.parsed_extension() {
                    if aki.key_identifier.is_none() {
                        self.bad(VerifyCode::BadExtension, format!("{who}'s authorityKeyIdentifier has no keyIdentifier"));
                    }
                    if self_signed && role == Role::Anchor {
                        if aki.authority_cert_issuer.is_some() || aki.authority_cert_serial.is_some() {
                            self.bad(VerifyCode::BadExtension, format!("{who} is a root whose authorityKeyIdentifier names an issuer and serial, which roots must not"));
                        }
                        let ski = subject_key_id(cert);
                        if let (Some(a), Some(s)) = (aki.key_identifier.as_ref(), ski) {
                            if a.0 != s {
                                self.bad(VerifyCode::BadExtension, format!("{who} is a root whose authorityKeyIdentifier does not match its own subjectKeyIdentifier"));
                            }
                        }
                    }
                }
            }
            None if !self_signed => self.bad(
                VerifyCode::BadExtension,
                format!("{who} has no authorityKeyIdentifier, which RFC 5280 requires of every certificate that is not self-signed"),
            ),
            None => {}
        }
        match self.ext(&OID_SKI) {
            Some(e) if e.critical => self.bad(
                VerifyCode::BadExtension,
                format!("{who} marks subjectKeyIdentifier critical, which RFC 5280 forbids"),
            ),
            None if self.is_ca_role() => self.bad(
                VerifyCode::BadExtension,
                format!("{who} is a CA without a subjectKeyIdentifier, which RFC 5280 requires"),
            ),
            _ => {}
        }
    }

    /// basicConstraints and keyUsage (4.2.1.9, 4.2.1.3).
    fn ca_usage(&mut self) {
        let who = self.who;
        let bc = self.ext(&OID_BC);
        let ca_flag = matches!(bc.map(|e| e.parsed_extension()), Some(ParsedExtension::BasicConstraints(b)) if b.ca);
        let cert_sign = matches!(self.ext(&OID_KU).map(|e| e.parsed_extension()), Some(ParsedExtension::KeyUsage(k)) if k.key_cert_sign());
        if self.is_ca_role() {
            match bc {
                None => self.bad(VerifyCode::NotACa, format!("{who} is used as a CA but has no basicConstraints extension")),
                Some(_) if !ca_flag => self.bad(VerifyCode::NotACa, format!("{who} is used as a CA but its basicConstraints say CA:FALSE")),
                Some(e) if !e.critical => self.bad(VerifyCode::BadExtension, format!("{who} is a CA whose basicConstraints are not marked critical, as RFC 5280 requires")),
                Some(_) => {}
            }
            if let Some(ParsedExtension::KeyUsage(k)) =
                self.ext(&OID_KU).map(|e| e.parsed_extension())
            {
                if !k.key_cert_sign() {
                    self.bad(
                        VerifyCode::BadUsage,
                        format!(
                            "{who} is used as a CA but its keyUsage does not include keyCertSign"
                        ),
                    );
                }
            }
        } else if cert_sign && !ca_flag {
            self.bad(
                VerifyCode::BadUsage,
                format!("{who} has keyUsage keyCertSign but is not a CA"),
            );
        }
    }

    /// Extensions that must (not) be critical.
    fn criticality(&mut self) {
        let who = self.who;
        if self.ext(&OID_AIA).is_some_and(|e| e.critical) {
            self.bad(
                VerifyCode::BadExtension,
                format!("{who} marks authorityInfoAccess critical, which RFC 5280 forbids"),
            );
        }
        if self.ext(&OID_PC).is_some_and(|e| !e.critical) {
            self.bad(
                VerifyCode::BadExtension,
                format!("{who} has policyConstraints not marked critical, as RFC 5280 requires"),
            );
        }
    }

    /// Name constraints: only on CAs, and well formed (4.2.1.10).
    fn name_constraints(&mut self) {
        let (role, who) = (self.role, self.who);
        if let Some(e) = self.ext(&OID_NC) {
            if role == Role::Leaf {
                self.bad(
                    VerifyCode::BadExtension,
                    format!("{who} is not a CA but has name constraints, which only CAs may carry"),
                );
            } else if let ParsedExtension::NameConstraints(nc) = e.parsed_extension() {
                let empty = |s: &Option<Vec<_>>| s.as_ref().is_none_or(Vec::is_empty);
                if empty(&nc.permitted_subtrees) && empty(&nc.excluded_subtrees) {
                    self.bad(VerifyCode::NameConstraints, format!("{who} has a name constraints extension with no permitted or excluded subtrees"));
                }
                let bases = nc
                    .permitted_subtrees
                    .iter()
                    .flatten()
                    .chain(nc.excluded_subtrees.iter().flatten());
                for base in bases {
                    if let Some(why) = super::name_constraints::malformed_base(&base.base) {
                        self.bad(
                            VerifyCode::NameConstraints,
                            format!("{who} has a malformed name constraint: {why}"),
                        );
                    }
                }
            }
        }
    }

    /// extendedKeyUsage: the CA/Browser Forum rules for leaves and roots.
    fn extended_key_usage(&mut self) {
        let (role, who, self_signed) = (self.role, self.who, self.self_signed);
        if let Some(e) = self.ext(&OID_EKU) {
            if role == Role::Leaf && e.critical {
                self.bad(VerifyCode::BadExtension, format!("{who} marks extendedKeyUsage critical, which the CA/Browser Forum forbids for server certificates"));
            }
            if let ParsedExtension::ExtendedKeyUsage(eku) = e.parsed_extension() {
                if role == Role::Leaf && eku.any {
                    self.bad(VerifyCode::BadExtension, format!("{who} allows anyExtendedKeyUsage, which the CA/Browser Forum forbids in a leaf"));
                }
            }
            if role == Role::Anchor && self_signed {
                self.bad(VerifyCode::BadExtension, format!("{who} is a root with an extendedKeyUsage extension, which roots must not carry"));
            }
        }
    }

    /// subjectAltName and an empty subject (4.2.1.6).
    fn subject_alt_name(&mut self) {
        let (cert, role, who) = (self.cert, self.role, self.who);
        let subject_empty = cert.subject().as_raw().len() <= 2;
        if let Some(e) = self.ext(&OID_SAN) {
            if subject_empty && !e.critical {
                self.bad(
                    VerifyCode::BadExtension,
                    format!("{who} has an empty subject, so its subjectAltName must be critical"),
                );
            }
            if role == Role::Leaf && !subject_empty && e.critical {
                self.bad(
                    VerifyCode::BadExtension,
                    format!(
                        "{who} marks subjectAltName critical although its subject is not empty"
                    ),
                );
            }
            if role == Role::Leaf {
                if let ParsedExtension::SubjectAlternativeName(san) = e.parsed_extension() {
                    for name in &san.general_names {
                        if let Some(why) = bad_san(name) {
                            self.bad(VerifyCode::BadExtension, format!("{who} has {why}"));
                        }
                    }
                }
            }
        } else if subject_empty {
            self.bad(
                VerifyCode::BadExtension,
                format!("{who} has neither a subject nor a subjectAltName"),
            );
        }
    }
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

fn ext_name(oid: &Oid<'_>) -> String {
    KNOWN
        .iter()
        .find(|(known, _)| known == oid)
        .and_then(|(_, name)| *name)
        .map_or_else(|| oid.to_id_string(), str::to_string)
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
