//! Unit tests of `cert` on certificates made at test time: rcgen for the common kinds, the
//! `openssl` command for the kinds rcgen cannot make (RSA-PSS, Ed448, DSA, other curves).

mod chain;
mod describe;
mod garbage;
mod openssl;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{CertificateParams, DnType, KeyPair, SignatureAlgorithm};

/// A fresh key for `alg`.
fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(alg).expect("generate key")
}

/// Parameters with subject `CN=<cn>` and nothing else (no SANs, rcgen's default validity).
fn params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CommonName, cn);
    p
}

fn self_signed(p: &CertificateParams, key: &KeyPair) -> Vec<u8> {
    p.self_signed(key).expect("self-sign").der().to_vec()
}

/// `p` for `key`, signed by the issuer described by `issuer_params` with `issuer_key`.
fn issued(
    p: &CertificateParams,
    key: &KeyPair,
    issuer_params: &CertificateParams,
    issuer_key: &KeyPair,
) -> Vec<u8> {
    let issuer = rcgen::Issuer::from_params(issuer_params, issuer_key);
    p.signed_by(key, &issuer).expect("sign").der().to_vec()
}

/// Midnight UTC of a calendar day, as a `SystemTime`.
fn day(year: i32, month: u8, d: u8) -> SystemTime {
    let t = rcgen::date_time_ymd(year, month, d).unix_timestamp();
    UNIX_EPOCH + Duration::from_secs(u64::try_from(t).expect("after 1970"))
}

const HOUR: Duration = Duration::from_secs(3600);

/// `KIND BITS CURVE SIGNATURE_ALGORITHM`, `-` for null: one comparable line per key case.
fn key_summary(c: &crate::report::Certificate) -> String {
    let bits = c.key.bits.map_or("-".to_string(), |b| b.to_string());
    let curve = c.key.curve.as_deref().unwrap_or("-");
    format!("{} {bits} {curve} {}", c.key.kind, c.signature_algorithm)
}
