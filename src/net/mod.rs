//! Reaching the server: resolve every address, then connect with a deadline.

mod connect;
mod dial;
mod eyeballs;
mod hosts_file;
mod no_proxy;
mod proxy;
mod proxy_url;
mod resolv_conf;
mod resolve;
mod socks5;
pub mod starttls;

pub use connect::{connect, connect_reporting};
pub use dial::Dialer;
pub use no_proxy::NoProxy;
pub use proxy::tunnel;
pub use proxy_url::{Credentials, Proxy, ProxyError, Scheme};
pub use resolve::resolve;

use crate::report::ErrorKind;
use crate::shortage::Shortage;

/// `-4` / `-6`: only this address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn admits(self, ip: std::net::IpAddr) -> bool {
        match self {
            Family::V4 => ip.is_ipv4(),
            Family::V6 => ip.is_ipv6(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }

    pub fn option(self) -> &'static str {
        match self {
            Family::V4 => "-4",
            Family::V6 => "-6",
        }
    }

    /// The addresses of `host` this family admits; none is a DNS error that names what the
    /// name does have.
    pub fn filter(
        self,
        host: &str,
        addrs: Vec<std::net::SocketAddr>,
    ) -> Result<Vec<std::net::SocketAddr>, NetError> {
        let (kept, other): (Vec<_>, Vec<_>) = addrs.into_iter().partition(|a| self.admits(a.ip()));
        if !kept.is_empty() {
            return Ok(kept);
        }
        let had: Vec<String> = other.iter().map(|a| a.ip().to_string()).collect();
        Err(NetError {
            kind: ErrorKind::Dns,
            message: format!(
                "{host} has no {} address ({} asked for one; it has {})",
                self.name(),
                self.option(),
                had.join(", ")
            ),
            hint: Some(format!(
                "drop {} to connect over {}, or check the name's DNS records",
                self.option(),
                if self == Family::V4 { "IPv6" } else { "IPv4" }
            )),
        })
    }

    /// An IP literal of the other family: nothing to connect.
    pub fn refuses(self, ip: std::net::IpAddr) -> Option<NetError> {
        (!self.admits(ip)).then(|| NetError {
            kind: ErrorKind::Other,
            message: format!(
                "{ip} is not an {} address, and {} allows no other",
                self.name(),
                self.option()
            ),
            hint: Some(format!(
                "drop {}, or give an {} address",
                self.option(),
                self.name()
            )),
        })
    }
}

/// A failure before TLS began, with the contract's kind and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl NetError {
    /// This machine ran out of `what`: a local error, not the server's.
    pub fn shortage(what: Shortage) -> NetError {
        NetError {
            kind: ErrorKind::Local,
            message: what.message().to_string(),
            hint: Some(what.hint().to_string()),
        }
    }
}
