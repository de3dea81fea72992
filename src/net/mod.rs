//! Reaching the server: resolve every address, then connect with a deadline.

mod connect;
mod dial;
mod proxy;
mod resolve;
pub mod starttls;

pub use connect::connect;
pub use dial::Dialer;
pub use proxy::{tunnel, Proxy};
pub use resolve::resolve;

use crate::report::ErrorKind;

/// A failure before TLS began, with the contract's kind and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}
