use serde::Serialize;

use super::{Certificate, Verification};

/// `tlsprobe verify CHAIN...`: the certificates given, judged by the probe's verifier.
#[derive(Debug, Clone, Serialize)]
pub struct ChainReport {
    pub schema_version: u32,
    /// The CHAIN files, then the `--untrusted` files, as given.
    pub files: Vec<String>,
    /// The name the leaf was checked for (`--host`), or null when no name was checked.
    pub host: Option<String>,
    /// `server` or `client` (`--purpose`).
    pub purpose: &'static str,
    /// The validation time, RFC 3339 UTC (`--at`, default now).
    pub at: String,
    /// Leaf first, then the rest of the CHAIN files, then `--untrusted`, in file order.
    pub certificates: Vec<Certificate>,
    /// Null only when the input could not be read (then `error` says why).
    pub verification: Option<Verification>,
    /// The checks asked for (`--pin`: a key on the verified path has one of the pins); empty
    /// when none was.
    pub checks: Vec<super::Check>,
    /// Why the input could not be used (exit 2), or null.
    pub error: Option<String>,
}
