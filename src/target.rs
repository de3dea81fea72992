//! Parse what the user typed into a [`Target`]: `host`, `host:port`, `[v6]:port`, `v4:port`,
//! or an `https://host[:port]/path` URL.

use std::fmt;
use std::net::IpAddr;

/// The default port when none is given.
pub const DEFAULT_PORT: u16 = 443;

/// A host and port to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: Host,
    pub port: u16,
}

/// A DNS name (lowercased, without a trailing dot) or an IP literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    Ip(IpAddr),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl Host {
    /// The host as a URL or a `Host` header writes it: an IPv6 address in brackets.
    pub fn bracketed(&self) -> String {
        match self {
            Host::Ip(IpAddr::V6(ip)) => format!("[{ip}]"),
            h => h.to_string(),
        }
    }
}

/// `host:port`, `[v6]:port`: the one way a target is written, for the user, a CONNECT
/// request and the text view alike.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host.bracketed(), self.port)
    }
}

/// Why a target string was refused. The message is one line, for the user: the input is
/// repeated escaped and cut short (`printable::echo`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid target '{}': {reason}", crate::printable::echo(input))]
pub struct TargetError {
    pub input: String,
    pub reason: String,
}

impl Target {
    /// The target for a person: as [`Display`](fmt::Display) writes it, an internationalised
    /// name in Unicode (`bücher.example:443`).
    pub fn shown(&self) -> String {
        match self.host.unicode() {
            Some(u) => format!("{u}:{}", self.port),
            None => self.to_string(),
        }
    }

    /// Parse a target; `default_port` applies when the string carries none.
    pub fn parse(input: &str, default_port: u16) -> Result<Target, TargetError> {
        let fail = |reason: &str| TargetError {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(fail("empty"));
        }
        let s = match s.split_once("://") {
            Some((scheme, rest)) => {
                if !scheme.eq_ignore_ascii_case("https") {
                    return Err(fail(&format!(
                        "unsupported scheme '{scheme}' (only https:// URLs; for other protocols give host:port)"
                    )));
                }
                // Authority ends at the first '/', '?' or '#'; drop any userinfo.
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let authority = &rest[..end];
                authority.rsplit_once('@').map_or(authority, |(_, h)| h)
            }
            None => s,
        };

        let (host, port) = split_host_port(s).map_err(|r| fail(&r))?;
        let port = match port {
            None => default_port,
            Some(p) => parse_port(p).map_err(|r| fail(&r))?,
        };
        let host = parse_host(host).map_err(|r| fail(&r))?;
        Ok(Target { host, port })
    }
}

fn split_host_port(s: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or("missing ']' after an IPv6 address")?;
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err("expected ':port' after ']'".into()),
            },
        };
    }
    match s.matches(':').count() {
        0 => Ok((s, None)),
        1 => {
            let (h, p) = s.split_once(':').ok_or("bad host:port")?;
            Ok((h, Some(p)))
        }
        // A bare IPv6 address without brackets: no port possible.
        _ => Ok((s, None)),
    }
}

fn parse_port(p: &str) -> Result<u16, String> {
    match p.parse::<u32>() {
        Ok(n) if (1..=65535).contains(&n) => Ok(n as u16),
        Ok(_) => Err(format!("port {p} is out of range (1-65535)")),
        Err(_) => Err(format!("port '{p}' is not a number")),
    }
}

fn parse_host(h: &str) -> Result<Host, String> {
    if h.is_empty() {
        return Err("missing host".into());
    }
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Ok(Host::Ip(ip));
    }
    if h.contains(':') {
        return Err(format!("'{h}' is not a valid IPv6 address"));
    }
    let name = a_label_form(h)?;
    let name = name.strip_suffix('.').unwrap_or(&name).to_string();
    // "192.0.2.1." is the address with a root dot, not a name (the fuzzer found this).
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Ok(Host::Ip(ip));
    }
    if name.is_empty() || name.len() > 253 {
        return Err("host name length must be 1 to 253 characters".into());
    }
    for label in name.split('.') {
        let ok_chars = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if label.is_empty() || label.len() > 63 || !ok_chars {
            return Err(format!("'{h}' is not a valid host name"));
        }
    }
    Ok(Host::Name(name))
}

/// The name as DNS, SNI and certificates carry it: lowercase ASCII, an internationalised
/// name (`bücher.example`) converted to its A-labels (`xn--bcher-kva.example`) by UTS 46
/// (non-transitional processing, as browsers and curl do).
pub fn a_label_form(h: &str) -> Result<String, String> {
    if h.is_ascii() {
        return Ok(h.to_ascii_lowercase());
    }
    idna::domain_to_ascii(h)
        .map_err(|_| format!("'{h}' is not a valid international domain name (UTS 46)"))
}

impl Host {
    /// The Unicode form of a name that has A-labels (`xn--...`), when it differs from the
    /// name and every label decodes: what a person reads. `None` for an IP and an ASCII name.
    pub fn unicode(&self) -> Option<String> {
        let Host::Name(name) = self else {
            return None;
        };
        if !name.split('.').any(|l| l.starts_with("xn--")) {
            return None;
        }
        let (unicode, decoded) = idna::domain_to_unicode(name);
        (decoded.is_ok() && unicode != *name).then_some(unicode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn ok(s: &str) -> Target {
        Target::parse(s, DEFAULT_PORT).unwrap()
    }

    fn name(n: &str, port: u16) -> Target {
        Target {
            host: Host::Name(n.into()),
            port,
        }
    }

    #[test]
    fn forms() {
        assert_eq!(ok("example.com"), name("example.com", 443));
        assert_eq!(ok("Example.COM."), name("example.com", 443));
        assert_eq!(ok("example.com:8443"), name("example.com", 8443));
        assert_eq!(
            ok("127.0.0.1:4433"),
            Target {
                host: Host::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                port: 4433
            }
        );
        assert_eq!(
            ok("[::1]:4433"),
            Target {
                host: Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                port: 4433
            }
        );
        assert_eq!(ok("[::1]").port, 443);
        assert_eq!(ok("::1").host, Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(ok("https://example.com/a/b?c"), name("example.com", 443));
        assert_eq!(ok("HTTPS://example.com:8443"), name("example.com", 8443));
        assert_eq!(
            ok("https://user:pw@example.com:1/x"),
            name("example.com", 1)
        );
        assert_eq!(ok("https://[::1]:9/").to_string(), "[::1]:9");
        assert_eq!(
            ok("0.0.0.0.").host,
            Host::Ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
        );
    }

    #[test]
    fn international_names_become_a_labels() {
        for typed in [
            "bücher.example",
            "BÜCHER.example",
            "bücher.example.",
            "https://bücher.example/x",
            "xn--bcher-kva.example",
        ] {
            let t = ok(typed);
            assert_eq!(t, name("xn--bcher-kva.example", 443), "{typed}");
            assert_eq!(
                t.host.unicode().as_deref(),
                Some("bücher.example"),
                "{typed}"
            );
        }
        // Full-width dots and compatibility forms map as UTS 46 says.
        assert_eq!(
            ok("ｂücher。example:8443"),
            name("xn--bcher-kva.example", 8443)
        );
        assert_eq!(ok("faß.de").host, Host::Name("xn--fa-hia.de".into()));
        assert_eq!(
            ok("例え.テスト").host.unicode().as_deref(),
            Some("例え.テスト")
        );
        // An ASCII name or an IP has no other form; an A-label that does not decode keeps its own.
        assert_eq!(ok("example.com").host.unicode(), None);
        assert_eq!(ok("127.0.0.1").host.unicode(), None);
        assert_eq!(ok("xn--zz.example").host.unicode(), None);
    }

    #[test]
    fn errors_are_one_line() {
        for bad in [
            "",
            "example.com:",
            "example.com:0",
            "example.com:70000",
            "example.com:http",
            "http://example.com",
            "[::1",
            "[::1]x",
            "exa mple.com",
            "a..b",
            "1:2:3:zz",
            "https://",
            "a\u{fffd}b.example",
            "bad\u{0}name.example",
            "ü example",
        ] {
            let e = Target::parse(bad, DEFAULT_PORT).unwrap_err();
            assert!(!e.to_string().contains('\n'), "{e}");
            assert!(e.to_string().starts_with("invalid target"), "{e}");
        }
    }
}
