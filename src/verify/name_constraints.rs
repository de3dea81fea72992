//! Name constraints of the forms webpki refuses outright: directoryName and rfc822Name
//! (RFC 5280 4.2.1.10, 6.1.3 b-c). webpki treats any such constraint as violated, so a CA
//! constrained to `O=Example Corp` or to `@example.com` mailboxes fails every path; OpenSSL
//! and Go process them. When a path carries one, this evaluator decides the path's name
//! constraints instead, for every name form (DNS and IP as webpki does them).

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, NameConstraints, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

use super::quote::quoted;

/// The constraining certificates and the constrained ones, leaf first, anchor last: the DER
/// of each certificate on a path.
pub fn involves_forms_webpki_refuses(path: &[&[u8]]) -> bool {
    path.iter().any(|der| {
        parse(der).is_some_and(|c| {
            constraints(&c).is_some_and(|nc| {
                subtrees(&nc).any(|g| {
                    matches!(
                        g,
                        GeneralName::DirectoryName(_) | GeneralName::RFC822Name(_)
                    )
                })
            })
        })
    })
}

/// Check every certificate of `path` (leaf first, the anchor's certificate last if known)
/// against the constraints of the CAs above it. `Err` names the violation.
pub fn check(path: &[&[u8]]) -> Result<(), Violation> {
    let certs: Vec<X509Certificate<'_>> = path.iter().filter_map(|d| parse(d)).collect();
    if certs.len() != path.len() {
        return Err(Violation {
            below: 0,
            above: 0,
            what: "a certificate that does not parse".into(),
        });
    }
    for (above, ca) in certs.iter().enumerate().skip(1) {
        let Some(nc) = constraints(ca) else { continue };
        for (below, cert) in certs.iter().enumerate().take(above) {
            let self_issued = cert.subject().as_raw() == cert.issuer().as_raw();
            if below != 0 && self_issued {
                continue; // RFC 5280 6.1.4: self-issued intermediates are not constrained
            }
            if let Err(what) = names_fit(cert, &nc) {
                return Err(Violation { below, above, what });
            }
        }
    }
    Ok(())
}

/// A name of the certificate at `below` is outside the constraints of the one at `above`
/// (positions on the path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub below: usize,
    pub above: usize,
    pub what: String,
}

fn parse<'a>(der: &'a [u8]) -> Option<X509Certificate<'a>> {
    X509Certificate::from_der(der).ok().map(|(_, c)| c)
}

fn constraints<'a>(c: &'a X509Certificate<'_>) -> Option<NameConstraints<'a>> {
    c.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::NameConstraints(nc) => Some(nc.clone()),
            _ => None,
        })
}

fn subtrees<'b, 'a>(nc: &'b NameConstraints<'a>) -> impl Iterator<Item = &'b GeneralName<'a>> {
    nc.permitted_subtrees
        .iter()
        .flatten()
        .chain(nc.excluded_subtrees.iter().flatten())
        .map(|s| &s.base)
}

/// The names a certificate presents: its subject (when not empty), emailAddress attributes of
/// the subject, and every subjectAltName entry.
fn names_fit(cert: &X509Certificate<'_>, nc: &NameConstraints<'_>) -> Result<(), String> {
    let mut names: Vec<GeneralName<'_>> = Vec::new();
    if cert.subject().iter().next().is_some() {
        names.push(GeneralName::DirectoryName(cert.subject().clone()));
        for email in cert.subject().iter_email() {
            if let Ok(m) = email.as_str() {
                names.push(GeneralName::RFC822Name(m));
            }
        }
    }
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        names.extend(san.value.general_names.iter().cloned());
    }
    for name in &names {
        fit(name, nc)?;
    }
    Ok(())
}

fn fit(name: &GeneralName<'_>, nc: &NameConstraints<'_>) -> Result<(), String> {
    let same_form = |g: &GeneralName<'_>| std::mem::discriminant(g) == std::mem::discriminant(name);
    let permitted: Vec<&GeneralName<'_>> = nc
        .permitted_subtrees
        .iter()
        .flatten()
        .map(|s| &s.base)
        .filter(|g| same_form(g))
        .collect();
    let excluded: Vec<&GeneralName<'_>> = nc
        .excluded_subtrees
        .iter()
        .flatten()
        .map(|s| &s.base)
        .filter(|g| same_form(g))
        .collect();
    for base in permitted.iter().chain(&excluded) {
        if !valid_base(base) {
            return Err(format!("the constraint {} is malformed", show(base)));
        }
    }
    if permitted.is_empty() && excluded.is_empty() {
        return Ok(());
    }
    let within = |base: &GeneralName<'_>| -> Result<bool, String> { matches(name, base) };
    for base in &excluded {
        if within(base)? {
            return Err(format!("{} is excluded ({})", show(name), show(base)));
        }
    }
    if !permitted.is_empty() {
        let mut any = false;
        for base in &permitted {
            any |= within(base)?;
        }
        if !any {
            let list: Vec<String> = permitted.iter().map(|b| show(b)).collect();
            return Err(format!(
                "{} is not within the permitted {}",
                show(name),
                list.join(", ")
            ));
        }
    }
    Ok(())
}

/// Why a name-constraint base is malformed (RFC 5280 4.2.1.10), if it is: a DNS base with a
/// wildcard or a leading period, a bad mailbox or host, an IP base that is not an address
/// and a contiguous mask.
pub fn malformed_base(base: &GeneralName<'_>) -> Option<String> {
    (!valid_base(base)).then(|| format!("{} is not a valid constraint of its form", show(base)))
}

fn valid_base(base: &GeneralName<'_>) -> bool {
    match base {
        GeneralName::DNSName(d) => {
            d.is_empty() || super::rfc5280::valid_dns_name(d) && !d.starts_with('*')
        }
        GeneralName::RFC822Name(m) => {
            if m.contains('@') {
                super::identity::valid_mailbox(m)
            } else {
                let host = m.strip_prefix('.').unwrap_or(m);
                super::rfc5280::valid_dns_name(host) && !host.starts_with('*')
            }
        }
        GeneralName::IPAddress(b) => {
            (b.len() == 8 || b.len() == 32) && contiguous_mask(&b[b.len() / 2..])
        }
        _ => true,
    }
}

/// Whether `name` lies within the subtree `base` (same form). An unsupported form, or a name
/// that is itself malformed, is an error: the path cannot be shown to fit.
fn matches(name: &GeneralName<'_>, base: &GeneralName<'_>) -> Result<bool, String> {
    match (name, base) {
        (GeneralName::DNSName(n), GeneralName::DNSName(b)) => {
            if !super::rfc5280::valid_dns_name(n) {
                return Err(format!("the DNS name {} is malformed", quoted(n)));
            }
            Ok(dns_within(n, b))
        }
        (GeneralName::IPAddress(n), GeneralName::IPAddress(b)) => {
            if n.len() * 2 != b.len() {
                return Ok(false);
            }
            let (addr, mask) = b.split_at(n.len());
            Ok(n.iter()
                .zip(addr)
                .zip(mask)
                .all(|((x, a), m)| x & m == a & m))
        }
        (GeneralName::RFC822Name(n), GeneralName::RFC822Name(b)) => {
            if !super::identity::valid_mailbox(n) {
                return Err(format!("the email address {} is malformed", quoted(n)));
            }
            let (local, host) = n.rsplit_once('@').unwrap_or(("", n));
            Ok(if let Some((bl, bh)) = b.rsplit_once('@') {
                local == bl && host.eq_ignore_ascii_case(bh)
            } else if let Some(suffix) = b.strip_prefix('.') {
                host.len() > suffix.len()
                    && host
                        .to_ascii_lowercase()
                        .ends_with(&format!(".{}", suffix.to_ascii_lowercase()))
            } else {
                host.eq_ignore_ascii_case(b)
            })
        }
        (GeneralName::DirectoryName(n), GeneralName::DirectoryName(b)) => Ok(dn_within(n, b)),
        _ => Err(format!(
            "{} is of a form whose constraints cannot be checked",
            show(name)
        )),
    }
}

/// RFC 5280: a DNS name is within `base` when it is `base` with zero or more labels added on
/// the left.
fn dns_within(name: &str, base: &str) -> bool {
    if base.is_empty() {
        return true;
    }
    let n = name.to_ascii_lowercase();
    let b = base.to_ascii_lowercase();
    n == b || n.ends_with(&format!(".{b}"))
}

/// The base's RDNs are the first RDNs of the name, compared attribute by attribute (strings
/// case-insensitively with spaces collapsed, as RFC 5280 7.1's caseIgnoreMatch, other values
/// byte for byte).
fn dn_within(name: &X509Name<'_>, base: &X509Name<'_>) -> bool {
    let n: Vec<_> = name.iter().collect();
    let b: Vec<_> = base.iter().collect();
    if b.len() > n.len() {
        return false;
    }
    b.iter().zip(&n).all(|(br, nr)| {
        let ba: Vec<_> = br.iter().collect();
        let na: Vec<_> = nr.iter().collect();
        ba.len() == na.len()
            && ba.iter().all(|x| {
                na.iter().any(|y| {
                    x.attr_type() == y.attr_type()
                        && match (x.as_str(), y.as_str()) {
                            (Ok(p), Ok(q)) => fold(p) == fold(q),
                            _ => x.attr_value().data == y.attr_value().data,
                        }
                })
            })
    })
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn contiguous_mask(mask: &[u8]) -> bool {
    let bits: Vec<bool> = mask
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect();
    bits.windows(2).all(|w| w[0] || !w[1])
}

fn show(g: &GeneralName<'_>) -> String {
    match g {
        GeneralName::DNSName(d) => format!("DNS:{d}"),
        GeneralName::RFC822Name(m) => format!("email:{m}"),
        GeneralName::DirectoryName(n) => format!("DirName:{n}"),
        GeneralName::IPAddress(b) => format!("IP:{}", crate::cert::hex(b)),
        GeneralName::URI(u) => format!("URI:{u}"),
        // As the report's SANs spell them (`cert::fields`).
        GeneralName::RegisteredID(oid) => format!("RID:{oid}"),
        GeneralName::OtherName(oid, _) => format!("othername:{oid}"),
        GeneralName::X400Address(_) => "X400Name:<unsupported>".to_string(),
        GeneralName::EDIPartyName(_) => "EdiPartyName:<unsupported>".to_string(),
        GeneralName::Invalid(_, bytes) => format!("invalid:{}", crate::cert::hex(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_and_mask_rules() {
        assert!(dns_within("a.example.com", "example.com"));
        assert!(dns_within("example.com", "EXAMPLE.com"));
        assert!(!dns_within("badexample.com", "example.com"));
        assert!(contiguous_mask(&[255, 255, 0, 0]));
        assert!(!contiguous_mask(&[255, 0, 255, 0]));
    }

    #[test]
    fn mailbox_constraints() {
        let m = |n: &'static str, b: &'static str| {
            matches(&GeneralName::RFC822Name(n), &GeneralName::RFC822Name(b))
        };
        assert_eq!(m("foo@example.com", "example.com"), Ok(true));
        assert_eq!(m("foo@sub.example.com", "example.com"), Ok(false));
        assert_eq!(m("foo@sub.example.com", ".example.com"), Ok(true));
        assert_eq!(m("foo@example.com", "foo@EXAMPLE.com"), Ok(true));
        assert_eq!(m("foo@example.com", "*@example.com"), Ok(false));
        assert_eq!(m("*@example.com", "*@example.com"), Ok(true));
        assert!(m("not-a-mailbox", "example.com").is_err());
    }

    #[test]
    fn garbage_paths_never_panic() {
        assert!(check(&[&[0x30, 0x00][..], &[1, 2, 3][..]]).is_err());
        assert!(!involves_forms_webpki_refuses(&[&[0xff][..]]));
    }
}
