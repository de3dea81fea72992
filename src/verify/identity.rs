//! Whether the leaf is valid for the name asked for: a DNS name or IP address (webpki's
//! matching, which follows RFC 6125: subjectAltName only, no CN fallback), or an email
//! address for a client certificate (RFC 822 names, which webpki does not match).
//!
//! On top of webpki, a wildcard whose remainder is a public suffix (`*.com`, `*.co.uk`,
//! `*.s3.amazonaws.com`) matches nothing, as in browsers: no CA may issue one, and a
//! certificate that has one is valid for none of the names it seems to cover.

use std::net::IpAddr;

use rustls::pki_types::ServerName;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;

use crate::report::Certificate;

/// The name a leaf must be valid for.
#[derive(Debug, Clone)]
pub enum Identity {
    /// Not checked (`tlsprobe verify` without `--host`).
    None,
    /// A server's DNS name or IP address.
    Server(ServerName<'static>),
    /// A client's email address (`--purpose client --host user@example.com`).
    Email(String),
}

impl Identity {
    /// Parse `--host`: an IP address, an email address (with `@`), else a DNS name.
    pub fn parse(host: &str) -> Result<Identity, String> {
        if host.contains('@') {
            return if valid_mailbox(host) {
                Ok(Identity::Email(host.to_string()))
            } else {
                Err(format!("invalid email address '{host}'"))
            };
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(Identity::Server(ServerName::IpAddress(ip.into())));
        }
        let invalid = || format!("invalid host name '{host}'");
        // An internationalised name is checked in its A-label form, as certificates carry it.
        let name = match host.is_ascii() {
            true => host.to_string(),
            false => crate::target::a_label_form(host).map_err(|_| invalid())?,
        };
        ServerName::try_from(name)
            .map(Identity::Server)
            .map_err(|_| invalid())
    }

    /// The name as shown in messages.
    pub fn shown(&self) -> String {
        match self {
            Identity::None => String::new(),
            Identity::Server(ServerName::DnsName(d)) => d.as_ref().to_string(),
            Identity::Server(ServerName::IpAddress(ip)) => IpAddr::from(*ip).to_string(),
            Identity::Server(_) => "the target".to_string(),
            Identity::Email(m) => m.clone(),
        }
    }
}

/// Whether the leaf (`der`, parsed by webpki as `leaf`) is valid for `identity`; `None` when
/// nothing was to be checked. `Err` carries the reason when it is not.
pub fn matches(
    leaf: &webpki::EndEntityCert<'_>,
    der: &[u8],
    identity: &Identity,
) -> Option<Result<(), Mismatch>> {
    match identity {
        Identity::None => None,
        Identity::Server(name) => Some(match leaf.verify_is_valid_for_subject_name(name) {
            Err(_) => Err(Mismatch::NotListed),
            Ok(()) => match name {
                ServerName::DnsName(d) => dns_beyond_webpki(der, d.as_ref()),
                _ => Ok(()),
            },
        }),
        Identity::Email(m) => Some(if email_listed(der, m) {
            Ok(())
        } else {
            Err(Mismatch::NotListed)
        }),
    }
}

/// Why the leaf is not valid for the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    NotListed,
    /// Only a wildcard over a public suffix seemed to cover it.
    PublicSuffixWildcard(String),
}

/// webpki matched `name`; it does not know public suffixes, so check that the match is not
/// only through a wildcard that covers a whole suffix.
fn dns_beyond_webpki(der: &[u8], name: &str) -> Result<(), Mismatch> {
    let sans = dns_sans(der);
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let mut via_public_wildcard = None;
    for san in &sans {
        let san = san.to_ascii_lowercase();
        if san == name {
            return Ok(());
        }
        if let Some(base) = san.strip_prefix("*.") {
            let covers = name.split_once('.').is_some_and(|(_, rest)| rest == base);
            if covers {
                if is_public_suffix(base) {
                    via_public_wildcard = Some(san.clone());
                } else {
                    return Ok(());
                }
            }
        }
    }
    match via_public_wildcard {
        Some(w) => Err(Mismatch::PublicSuffixWildcard(w)),
        None => Ok(()), // webpki's own reasons (it found a match we do not see): trust it
    }
}

/// `base` is on the Public Suffix List (ICANN or private section), so `*.base` covers names
/// of many unrelated owners.
fn is_public_suffix(base: &str) -> bool {
    psl::suffix(base.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == base.as_bytes())
}

fn dns_sans(der: &[u8]) -> Vec<String> {
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return Vec::new();
    };
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    san.value
        .general_names
        .iter()
        .filter_map(|n| match n {
            GeneralName::DNSName(d) => Some(d.to_string()),
            _ => None,
        })
        .collect()
}

/// An RFC 822 name in the leaf's subjectAltName equals `mailbox` (local part exact, domain
/// case-insensitive).
fn email_listed(der: &[u8], mailbox: &str) -> bool {
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return false;
    };
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return false;
    };
    let want = split_mailbox(mailbox);
    san.value.general_names.iter().any(|n| match n {
        GeneralName::RFC822Name(m) => {
            let got = split_mailbox(m);
            matches!((got, want), (Some((gl, gd)), Some((wl, wd))) if gl == wl && gd.eq_ignore_ascii_case(wd))
        }
        _ => false,
    })
}

fn split_mailbox(m: &str) -> Option<(&str, &str)> {
    m.rsplit_once('@')
}

/// `local@domain` with a non-empty local part of printable ASCII without spaces or a second
/// unquoted `@`, and a valid DNS domain.
pub fn valid_mailbox(m: &str) -> bool {
    let Some((local, domain)) = m.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && local.bytes().all(|b| b.is_ascii_graphic())
        && super::rfc5280::valid_dns_name(domain)
        && !domain.starts_with("*.")
}

/// The hostname_mismatch message.
pub fn message(
    identity: &Identity,
    why: &Mismatch,
    leaf: Option<&Certificate>,
    sni_sent: bool,
) -> String {
    let wanted = identity.shown();
    let mut message = match (why, leaf) {
        (Mismatch::PublicSuffixWildcard(w), _) => format!(
            "the certificate covers {wanted} only through the wildcard {w}, and {} is a public suffix: no client accepts a wildcard over a whole suffix",
            w.trim_start_matches("*.")
        ),
        (Mismatch::NotListed, Some(c)) if !c.sans.is_empty() => {
            format!("the certificate is for {}, not for {wanted}", c.sans.join(", "))
        }
        (Mismatch::NotListed, Some(c)) => format!(
            "the certificate has no subject alternative names ({}), so it is not valid for {wanted}",
            c.subject
        ),
        (Mismatch::NotListed, None) => format!("the certificate is not valid for {wanted}"),
    };
    if !sni_sent && matches!(identity, Identity::Server(_)) {
        message.push_str(
            "; no server name (SNI) was sent, and servers often present a default certificate without one: try --sni NAME",
        );
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_suffixes() {
        for s in ["com", "co.uk", "s3.amazonaws.com"] {
            assert!(is_public_suffix(s), "{s}");
        }
        for s in ["example.com", "example.co.uk", "internal.example"] {
            assert!(!is_public_suffix(s), "{s}");
        }
    }

    #[test]
    fn host_forms() {
        assert!(matches!(
            Identity::parse("192.0.2.1"),
            Ok(Identity::Server(ServerName::IpAddress(_)))
        ));
        assert!(matches!(
            Identity::parse("[::1]"),
            Ok(Identity::Server(ServerName::IpAddress(_)))
        ));
        assert!(matches!(
            Identity::parse("example.com"),
            Ok(Identity::Server(ServerName::DnsName(_)))
        ));
        assert!(matches!(
            Identity::parse("me@example.com"),
            Ok(Identity::Email(_))
        ));
        assert!(Identity::parse("me@@x").is_err());
        assert!(Identity::parse("bad name").is_err());
        assert_eq!(
            Identity::parse("bücher.example").unwrap().shown(),
            "xn--bcher-kva.example"
        );
    }
}
