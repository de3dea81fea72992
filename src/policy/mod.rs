//! `--policy NAME|FILE`: a compliance gate. A policy says which versions, suites, groups,
//! certificate keys, certificate lifespans and HSTS a server may have; [`rules::judge`] holds
//! what a probe saw (its scan, chain and `--http` answer) against it and makes one
//! [`crate::report::Check`] per rule. A failed rule makes the status `checks_failed`.
//!
//! The built-in policies are Mozilla's ([`mozilla`]); a FILE is the JSON form of [`file`].

mod file;
pub mod mozilla;
pub mod rules;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::time::Duration;

use crate::report::ProtocolVersion;
use crate::wire::code_points::{CipherSuite, NamedGroup};

pub use rules::{judge, Http, Seen};

/// What a server may have. A rule whose field is `None` is not judged (a FILE may leave any
/// out); the built-in policies set them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `mozilla-intermediate`, or the FILE's `name` (else its path): the messages say it.
    pub name: String,
    pub versions: Option<Versions>,
    /// The suites allowed in TLS 1.2 and earlier; `None`: those are not judged.
    pub cipher_suites: Option<Vec<CipherSuite>>,
    /// The suites allowed in TLS 1.3; `None`: those are not judged.
    pub tls13_cipher_suites: Option<Vec<CipherSuite>>,
    /// The elliptic-curve (and hybrid) groups allowed. Finite-field groups (RFC 7919) are
    /// left to a DH parameter size rule, which is to come: see [`rules`].
    pub groups: Option<Vec<NamedGroup>>,
    pub certificate: Option<CertificateKeys>,
    /// The longest a leaf may be valid, notAfter - notBefore, in days.
    pub max_lifespan_days: Option<u32>,
    /// The least Strict-Transport-Security max-age, in seconds; judged only with `--http`.
    pub hsts_min_age: Option<u64>,
    /// The least DHE prime, in bits (Mozilla's `dh_param_size`). Recorded for the built-in
    /// policies, not judged yet: the scan does not yet tell each DHE suite's size.
    pub dh_param_size: Option<u32>,
}

/// The versions rule: every accepted version among `allowed`, every one of `required`
/// accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    pub allowed: Vec<ProtocolVersion>,
    pub required: Vec<ProtocolVersion>,
}

/// The certificate_type rule: the leaf's key is one of `types`; an EC key on one of
/// `curves`; an RSA key of at least `rsa_min_bits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateKeys {
    pub types: Vec<KeyKind>,
    /// As the report names them (`certificates[].key.curve`): `P-256`, `P-384`, ...
    pub curves: Vec<String>,
    pub rsa_min_bits: Option<u32>,
}

/// A kind of certificate key, as Mozilla's `certificate_types` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Ecdsa,
    /// rsaEncryption, and id-RSASSA-PSS keys too.
    Rsa,
    Ed25519,
    Ed448,
}

impl KeyKind {
    pub const ALL: [KeyKind; 4] = [
        KeyKind::Ecdsa,
        KeyKind::Rsa,
        KeyKind::Ed25519,
        KeyKind::Ed448,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Ecdsa => "ecdsa",
            KeyKind::Rsa => "rsa",
            KeyKind::Ed25519 => "ed25519",
            KeyKind::Ed448 => "ed448",
        }
    }

    pub fn from_name(name: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl Policy {
    /// `--policy NAME|FILE`: a built-in policy's name ([`mozilla::NAMES`]), else a file of the
    /// JSON form (read within the local-file bounds, waiting at most `wait` for a FIFO). The
    /// error is one line, naming the option and the file.
    pub fn load(given: &str, wait: Duration) -> Result<Policy, String> {
        if let Some(policy) = mozilla::named(given) {
            return Ok(policy);
        }
        let path = Path::new(given);
        let bytes = crate::local_file::read(path, wait).map_err(|e| {
            format!(
                "--policy {given}: {e} (give {} or a policy file)",
                mozilla::NAMES.join(", ")
            )
        })?;
        file::parse(&bytes, given).map_err(|e| format!("--policy {given}: {e}"))
    }
}
