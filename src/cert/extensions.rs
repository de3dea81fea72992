//! A certificate's extensions for the report: the list of all of them, and the typed values of
//! those people ask about, from x509-parser's decoding of each.

use x509_parser::asn1_rs::{oid, Any, FromDer};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{
    DistributionPointName, GeneralName, GeneralSubtree, ParsedExtension,
};
use x509_parser::oid_registry::{
    OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS, OID_PKIX_ACCESS_DESCRIPTOR_OCSP,
};

use super::encoding::hex;
use crate::report::{
    AuthorityInfoAccess, BasicConstraints, Extension, ExtensionName, ExtensionValues, KeyPurpose,
    KeyUsageBit, NameConstraints, Policy, Scts,
};

/// Every extension of `cert` in order, and the typed values.
pub(super) fn read(cert: &X509Certificate<'_>) -> (Vec<Extension>, ExtensionValues) {
    let mut list = Vec::new();
    let mut values = ExtensionValues::default();
    let mut seen: Vec<&[u8]> = Vec::new();
    for ext in cert.extensions() {
        let raw = ext.oid.as_bytes();
        let name = name_of(raw);
        let repeated = seen.contains(&raw);
        seen.push(raw);
        let parsed = ext.parsed_extension();
        let undecoded = matches!(parsed, ParsedExtension::ParseError { .. });
        if !repeated && !undecoded {
            fill(&mut values, parsed);
        }
        list.push(Extension {
            oid: ext.oid.to_id_string(),
            name,
            critical: ext.critical,
            malformed: name.is_some() && (repeated || undecoded),
        });
    }
    (list, values)
}

/// The typed value of one decoded extension, if it is one the report carries.
fn fill(values: &mut ExtensionValues, parsed: &ParsedExtension<'_>) {
    match parsed {
        ParsedExtension::KeyUsage(ku) => {
            let bits = KeyUsageBit::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| ku.flags & (1 << i) != 0)
                .map(|(_, bit)| bit)
                .collect();
            values.key_usage = Some(bits);
        }
        ParsedExtension::ExtendedKeyUsage(eku) => {
            let mut purposes = Vec::new();
            for (set, purpose) in [
                (eku.server_auth, KeyPurpose::ServerAuth),
                (eku.client_auth, KeyPurpose::ClientAuth),
                (eku.code_signing, KeyPurpose::CodeSigning),
                (eku.email_protection, KeyPurpose::EmailProtection),
                (eku.time_stamping, KeyPurpose::TimeStamping),
                (eku.ocsp_signing, KeyPurpose::OcspSigning),
                (eku.any, KeyPurpose::Any),
            ] {
                if set {
                    purposes.push(purpose);
                }
            }
            purposes.extend(
                eku.other
                    .iter()
                    .map(|oid| KeyPurpose::Other(oid.to_id_string())),
            );
            values.extended_key_usage = Some(purposes);
        }
        ParsedExtension::BasicConstraints(bc) => {
            values.basic_constraints = Some(BasicConstraints {
                ca: bc.ca,
                path_len: bc.path_len_constraint,
            });
        }
        ParsedExtension::AuthorityInfoAccess(aia) => {
            let mut access = AuthorityInfoAccess::default();
            for desc in aia.iter() {
                let location = location(&desc.access_location);
                if desc.access_method == OID_PKIX_ACCESS_DESCRIPTOR_OCSP {
                    access.ocsp.push(location);
                } else if desc.access_method == OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS {
                    access.ca_issuers.push(location);
                } else {
                    access
                        .other
                        .push(format!("{} {location}", desc.access_method.to_id_string()));
                }
            }
            values.authority_info_access = Some(access);
        }
        ParsedExtension::CRLDistributionPoints(points) => {
            let mut out = Vec::new();
            for point in points.iter() {
                match &point.distribution_point {
                    Some(DistributionPointName::FullName(names)) => {
                        out.extend(names.iter().map(location));
                    }
                    Some(DistributionPointName::NameRelativeToCRLIssuer(rdn)) => {
                        let attrs: Vec<String> =
                            rdn.iter().map(|a| a.attr_type().to_id_string()).collect();
                        out.push(format!("relative:{}", attrs.join("+")));
                    }
                    None => {}
                }
            }
            values.crl_distribution_points = Some(out);
        }
        ParsedExtension::SubjectKeyIdentifier(id) => values.subject_key_id = Some(hex(id.0)),
        ParsedExtension::AuthorityKeyIdentifier(aki) => {
            values.authority_key_id = aki.key_identifier.as_ref().map(|id| hex(id.0));
        }
        ParsedExtension::CertificatePolicies(policies) => {
            let list = policies
                .iter()
                .map(|p| Policy {
                    oid: p.policy_id.to_id_string(),
                    cps: p
                        .policy_qualifiers
                        .iter()
                        .flatten()
                        .filter(|q| q.policy_qualifier_id.as_bytes() == ID_QT_CPS)
                        .filter_map(|q| Any::from_der(q.qualifier).ok())
                        .map(|(_, any)| String::from_utf8_lossy(any.data).into_owned())
                        .collect(),
                })
                .collect();
            values.certificate_policies = Some(list);
        }
        ParsedExtension::SCT(scts) => {
            values.scts = Some(Scts {
                count: scts.len(),
                log_ids: scts
                    .iter()
                    .map(|s| data_encoding::BASE64.encode(s.id.key_id))
                    .collect(),
            });
        }
        ParsedExtension::NameConstraints(nc) => {
            let subtrees = |s: &Option<Vec<GeneralSubtree<'_>>>| -> Vec<String> {
                s.iter().flatten().map(|t| subtree(&t.base)).collect()
            };
            values.name_constraints = Some(NameConstraints {
                permitted: subtrees(&nc.permitted_subtrees),
                excluded: subtrees(&nc.excluded_subtrees),
            });
        }
        _ => {}
    }
}

/// id-qt-cps: a policy qualifier that is the URL of the practice statement.
const ID_QT_CPS: &[u8] = &oid!(raw 1.3.6.1.5.5.7.2.1);

/// An access location or distribution point: a URL plain, any other name as `sans` has it.
fn location(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::URI(u) => (*u).to_string(),
        other => super::fields::general_name(other),
    }
}

/// A name constraint's base: an iPAddress is an address and a mask (8 or 32 bytes), shown
/// as `address/prefix`; other names as in `sans`.
fn subtree(base: &GeneralName<'_>) -> String {
    match base {
        GeneralName::IPAddress(bytes) => ip_range(bytes),
        other => super::fields::general_name(other),
    }
}

fn ip_range(bytes: &[u8]) -> String {
    let half = bytes.len() / 2;
    let (addr, mask) = bytes.split_at(half);
    let addr = match super::fields::ip_address(addr) {
        Some(a) if bytes.len().is_multiple_of(2) => a,
        _ => return format!("IP:{}", hex(bytes)),
    };
    match prefix_len(mask) {
        Some(p) => format!("{addr}/{p}"),
        None => {
            let mask = super::fields::ip_address(mask).map_or_else(|| hex(mask), |m| m.to_string());
            format!("{addr}/{mask}")
        }
    }
}

/// The prefix length of a mask of leading ones, or None when the ones are not contiguous.
fn prefix_len(mask: &[u8]) -> Option<u32> {
    let ones: u32 = mask.iter().map(|b| b.count_ones()).sum();
    let full = ones / 8;
    let expected = mask.iter().enumerate().all(|(i, &b)| {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        match i.cmp(&full) {
            std::cmp::Ordering::Less => b == 0xff,
            std::cmp::Ordering::Equal if ones.is_multiple_of(8) => b == 0,
            std::cmp::Ordering::Equal => b == 0xff_u8 << (8 - ones % 8),
            std::cmp::Ordering::Greater => b == 0,
        }
    });
    expected.then_some(ones)
}

/// The extensions known by name, by OID.
fn name_of(oid: &[u8]) -> Option<ExtensionName> {
    use ExtensionName as N;
    const TABLE: &[(&[u8], ExtensionName)] = &[
        (&oid!(raw 2.5.29.9), N::SubjectDirectoryAttributes),
        (&oid!(raw 2.5.29.14), N::SubjectKeyIdentifier),
        (&oid!(raw 2.5.29.15), N::KeyUsage),
        (&oid!(raw 2.5.29.17), N::SubjectAltName),
        (&oid!(raw 2.5.29.18), N::IssuerAltName),
        (&oid!(raw 2.5.29.19), N::BasicConstraints),
        (&oid!(raw 2.5.29.30), N::NameConstraints),
        (&oid!(raw 2.5.29.31), N::CrlDistributionPoints),
        (&oid!(raw 2.5.29.32), N::CertificatePolicies),
        (&oid!(raw 2.5.29.33), N::PolicyMappings),
        (&oid!(raw 2.5.29.35), N::AuthorityKeyIdentifier),
        (&oid!(raw 2.5.29.36), N::PolicyConstraints),
        (&oid!(raw 2.5.29.37), N::ExtendedKeyUsage),
        (&oid!(raw 2.5.29.46), N::FreshestCrl),
        (&oid!(raw 2.5.29.54), N::InhibitAnyPolicy),
        (&oid!(raw 1.3.6.1.5.5.7.1.1), N::AuthorityInfoAccess),
        (&oid!(raw 1.3.6.1.5.5.7.1.11), N::SubjectInfoAccess),
        (&oid!(raw 1.3.6.1.5.5.7.1.24), N::TlsFeature),
        (&oid!(raw 1.3.6.1.5.5.7.48.1.5), N::OcspNoCheck),
        (
            &oid!(raw 1.3.6.1.4.1.11129.2.4.2),
            N::SignedCertificateTimestamps,
        ),
        (&oid!(raw 1.3.6.1.4.1.11129.2.4.3), N::PrecertificatePoison),
        (&oid!(raw 2.16.840.1.113730.1.1), N::NetscapeCertType),
        (&oid!(raw 2.16.840.1.113730.1.13), N::NetscapeComment),
    ];
    TABLE
        .iter()
        .find(|(raw, _)| *raw == oid)
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_become_prefixes_when_they_are_prefixes() {
        assert_eq!(prefix_len(&[255, 0, 0, 0]), Some(8));
        assert_eq!(prefix_len(&[255, 255, 240, 0]), Some(20));
        assert_eq!(prefix_len(&[0, 0, 0, 0]), Some(0));
        assert_eq!(prefix_len(&[255, 255, 255, 255]), Some(32));
        assert_eq!(prefix_len(&[255, 0, 255, 0]), None);
        assert_eq!(prefix_len(&[0x0f, 0, 0, 0]), None);
        assert_eq!(ip_range(&[10, 0, 0, 0, 255, 0, 0, 0]), "10.0.0.0/8");
        assert_eq!(
            ip_range(&[10, 0, 0, 0, 255, 0, 255, 0]),
            "10.0.0.0/255.0.255.0"
        );
        assert_eq!(ip_range(&[1, 2, 3]), "IP:010203");
    }
}
