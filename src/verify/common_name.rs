//! A leaf's common name against its subjectAltNames (CA/Browser Forum 7.1.4.3).

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;

use super::quote::quoted;

/// CA/Browser Forum 7.1.4.3: a leaf's common name, if present, must be one of its
/// subjectAltNames character for character. Clients ignore the CN, so what matters is a CN
/// that spells one of the SANs differently (other case, a Unicode rather than punycode form,
/// an IP address written in hex, with leading zeros or not in RFC 5952 form): a sign of an
/// issuer that does not encode names canonically. A CN naming another host entirely is left
/// alone (see `tests/conformance/departures.txt`).
pub fn outside_sans(cert: &X509Certificate<'_>) -> Option<String> {
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return None;
    };
    let names = &san.value.general_names;
    for cn in cert.subject().iter_common_name() {
        let text = match cn.as_str() {
            Ok(t) => t.to_string(),
            Err(_) => String::from_utf8_lossy(cn.attr_value().data).into_owned(),
        };
        if text.chars().any(char::is_whitespace) {
            continue; // a display name, not a host
        }
        let exact = names.iter().any(|n| match n {
            GeneralName::DNSName(d) => *d == text,
            GeneralName::IPAddress(b) => {
                crate::cert::ip_address(b).is_some_and(|a| a.to_string() == text)
            }
            _ => false,
        });
        if exact {
            continue;
        }
        let respelled = names.iter().find_map(|n| match n {
            GeneralName::DNSName(d)
                if d.eq_ignore_ascii_case(&text) || (!text.is_ascii() && d.contains("xn--")) =>
            {
                Some(d.to_string())
            }
            GeneralName::IPAddress(b) => {
                let ours = lenient_ip(&text)?;
                (crate::cert::ip_address(b) == Some(ours)).then(|| ours.to_string())
            }
            _ => None,
        });
        if let Some(san) = respelled {
            return Some(format!(
                "has the common name {}, another spelling of its subject alternative name {san}; the CA/Browser Forum requires the CN to be one of them exactly",
                quoted(&text)
            ));
        }
    }
    None
}

/// An IP address as people (and sloppy CAs) write one: dotted decimal with leading zeros, a
/// single hex number, or any IPv6 form.
fn lenient_ip(text: &str) -> Option<std::net::IpAddr> {
    if let Ok(ip) = text.parse::<std::net::IpAddr>() {
        return Some(ip);
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16)
            .ok()
            .map(|n| std::net::Ipv4Addr::from(n).into());
    }
    let parts: Vec<u8> = text
        .split('.')
        .map(|p| p.parse::<u8>().ok())
        .collect::<Option<_>>()?;
    <[u8; 4]>::try_from(parts)
        .ok()
        .map(|a| std::net::Ipv4Addr::from(a).into())
}
