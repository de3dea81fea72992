//! Reaching the server: resolve every address, then connect with a deadline.

mod connect;
mod dial;
mod no_proxy;
mod proxy;
mod proxy_url;
mod resolv_conf;
mod resolve;
mod socks5;
pub mod starttls;

pub use connect::connect;
pub use dial::Dialer;
pub use no_proxy::NoProxy;
pub use proxy::tunnel;
pub use proxy_url::{Credentials, Proxy, ProxyError, Scheme};
pub use resolve::resolve;

use crate::report::ErrorKind;
use crate::shortage::Shortage;

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
