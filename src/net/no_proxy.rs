//! `NO_PROXY` / `--noproxy`, as curl reads them: a comma-separated list of hosts that are
//! reached directly. `*` alone is every host; a name matches itself and its subdomains (a
//! leading dot is allowed and changes nothing); an IP address matches itself and a CIDR range
//! (`10.0.0.0/8`, `fd00::/8`) the addresses in it; case does not matter. Names are not
//! resolved: an IP entry matches only a target given as an IP address.

use std::net::IpAddr;

/// The parsed list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoProxy {
    all: bool,
    names: Vec<String>,
    ranges: Vec<(IpAddr, u8)>,
}

impl NoProxy {
    /// Parse the list; entries that are neither a name, an address nor a range are ignored
    /// (as curl does).
    pub fn parse(list: &str) -> NoProxy {
        let mut out = NoProxy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                out.all = true;
                continue;
            }
            let (addr, bits) = match entry.split_once('/') {
                Some((a, b)) => (a, b.parse::<u8>().ok()),
                None => (entry, None),
            };
            let addr = addr
                .strip_prefix('[')
                .and_then(|a| a.strip_suffix(']'))
                .unwrap_or(addr);
            if let Ok(ip) = addr.parse::<IpAddr>() {
                let max = if ip.is_ipv4() { 32 } else { 128 };
                match (entry.contains('/'), bits) {
                    (false, _) => out.ranges.push((ip, max)),
                    (true, Some(b)) if b <= max => out.ranges.push((ip, b)),
                    _ => {}
                }
                continue;
            }
            let name = entry.trim_start_matches('.').trim_end_matches('.');
            if !name.is_empty() && !entry.contains('/') {
                out.names.push(name.to_ascii_lowercase());
            }
        }
        out
    }

    /// Whether `host` (a name, or an IP address, bracketed or not) is reached directly.
    pub fn matches(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return self
                .ranges
                .iter()
                .any(|&(net, bits)| in_range(ip, net, bits));
        }
        let host = bare.trim_end_matches('.').to_ascii_lowercase();
        self.names.iter().any(|n| {
            host == *n
                || host
                    .strip_suffix(n.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (ip, net, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b)), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    let bits = u32::from(bits);
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (ip >> shift) == (net >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_themselves_and_subdomains() {
        let n = NoProxy::parse("example.com, .Internal.Test ,localhost");
        assert!(n.matches("example.com"));
        assert!(n.matches("www.EXAMPLE.com"));
        assert!(n.matches("example.com."));
        assert!(!n.matches("notexample.com"));
        assert!(!n.matches("example.com.evil"));
        assert!(n.matches("internal.test"));
        assert!(n.matches("a.b.internal.test"));
        assert!(n.matches("LOCALHOST"));
        assert!(!n.matches("127.0.0.1"));
        assert!(!n.matches("other.test"));
    }

    #[test]
    fn star_is_everything_only_alone() {
        assert!(NoProxy::parse("*").matches("anything.example"));
        assert!(NoProxy::parse("a.test, *").matches("1.2.3.4"));
        assert!(!NoProxy::parse("*.example").matches("a.other"));
        assert!(!NoProxy::parse("").matches("a.test"));
        assert!(!NoProxy::parse(" , ,").matches("a.test"));
    }

    #[test]
    fn addresses_and_ranges() {
        let n = NoProxy::parse("127.0.0.1,10.0.0.0/8,[::1],fd00::/8,192.168.1.0/33");
        assert!(n.matches("127.0.0.1"));
        assert!(!n.matches("127.0.0.2"));
        assert!(n.matches("10.200.3.4"));
        assert!(!n.matches("11.0.0.1"));
        assert!(n.matches("::1"));
        assert!(n.matches("[::1]"));
        assert!(n.matches("fdab::1"));
        assert!(!n.matches("fe80::1"));
        assert!(!n.matches("192.168.1.1"), "a /33 is no range");
        assert!(NoProxy::parse("0.0.0.0/0").matches("8.8.8.8"));
        assert!(!NoProxy::parse("0.0.0.0/0").matches("::1"));
        assert!(NoProxy::parse("192.168.0.0/16").matches("192.168.77.1"));
    }
}
