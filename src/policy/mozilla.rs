//! The built-in policies: Mozilla's Server Side TLS recommendations, version 5.7
//! (<https://ssl-config.mozilla.org/guidelines/5.7.json>, the file ssl-config-generator serves
//! and sslyze ships as `mozilla_tls_profile/5.7.json`), its three configurations `modern`,
//! `intermediate` and `old` as `mozilla-modern`, `mozilla-intermediate`, `mozilla-old`.
//!
//! Taken from it, spelt as the report spells them: `tls_versions` (`TLSv1` is `TLSv1.0`),
//! `ciphers.iana` (TLS 1.2 and earlier) and `ciphersuites` (TLS 1.3), `tls_curves`
//! (`prime256v1` is `secp256r1`), `certificate_types`, `certificate_curves` (`prime256v1` is
//! `P-256`, `secp384r1` is `P-384`), `rsa_key_size`, `maximum_certificate_lifespan`,
//! `hsts_min_age` and `dh_param_size`. Not taken: the OpenSSL, Go
//! and Caddy spellings of the same suites, `certificate_signatures`, `ecdh_param_size`,
//! `ocsp_staple`, `server_preferred_order`, `recommended_certificate_lifespan`.
//!
//! One addition of ours: `mozilla-modern` requires TLS 1.3, its only version (a server that
//! accepts nothing of it does not follow it); the other two require no particular version.

use super::{CertificateKeys, KeyKind, Policy, Versions};
use crate::report::ProtocolVersion;
use crate::wire::code_points::{CipherSuite, NamedGroup};
use crate::wire::names::{cipher_suite_by_name, group_by_name};

/// The names `--policy` knows without a file.
pub const NAMES: [&str; 3] = ["mozilla-modern", "mozilla-intermediate", "mozilla-old"];

/// 5.7's `ciphersuites`, the same in the three.
const TLS13_SUITES: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];

/// 5.7's `tls_curves`, the same in the three.
const GROUPS: &[&str] = &["X25519", "secp256r1", "secp384r1"];

/// 5.7's `certificate_curves`, the same in the three.
const CERTIFICATE_CURVES: &[&str] = &["P-256", "P-384"];

/// 5.7's `hsts_min_age`, the same in the three: two years.
const HSTS_MIN_AGE: u64 = 63_072_000;

/// `intermediate`'s `ciphers.iana`, in Mozilla's order.
const INTERMEDIATE_SUITES: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

/// `old`'s `ciphers.iana`, in Mozilla's order.
const OLD_SUITES: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];

/// The built-in policy of that name, if it is one of [`NAMES`].
pub fn named(name: &str) -> Option<Policy> {
    use ProtocolVersion as V;
    let (versions, required, suites, types, rsa_min_bits, lifespan, dh) = match name {
        "mozilla-modern" => (
            vec![V::TLS1_3],
            vec![V::TLS1_3],
            &[][..],
            vec![KeyKind::Ecdsa],
            None,
            90,
            None,
        ),
        "mozilla-intermediate" => (
            vec![V::TLS1_2, V::TLS1_3],
            vec![],
            INTERMEDIATE_SUITES,
            vec![KeyKind::Ecdsa, KeyKind::Rsa],
            Some(2048),
            366,
            Some(2048),
        ),
        "mozilla-old" => (
            vec![V::TLS1_0, V::TLS1_1, V::TLS1_2, V::TLS1_3],
            vec![],
            OLD_SUITES,
            vec![KeyKind::Rsa],
            Some(2048),
            366,
            Some(1024),
        ),
        _ => return None,
    };
    Some(Policy {
        name: name.to_string(),
        versions: Some(Versions {
            allowed: versions,
            required,
        }),
        cipher_suites: Some(suites_named(suites)),
        tls13_cipher_suites: Some(suites_named(TLS13_SUITES)),
        groups: Some(
            GROUPS
                .iter()
                .filter_map(|g| group_by_name(g))
                .map(NamedGroup)
                .collect(),
        ),
        certificate: Some(CertificateKeys {
            types,
            curves: CERTIFICATE_CURVES.iter().map(|c| c.to_string()).collect(),
            rsa_min_bits,
        }),
        max_lifespan_days: Some(lifespan),
        hsts_min_age: Some(HSTS_MIN_AGE),
        dh_param_size: dh,
    })
}

/// The suites of these IANA names (a test checks that every name above is one).
fn suites_named(names: &[&str]) -> Vec<CipherSuite> {
    names
        .iter()
        .filter_map(|n| cipher_suite_by_name(n))
        .map(CipherSuite)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_of_the_guidelines_is_a_code_point_we_know() {
        for list in [TLS13_SUITES, INTERMEDIATE_SUITES, OLD_SUITES] {
            assert_eq!(suites_named(list).len(), list.len(), "{list:?}");
        }
        assert_eq!(
            GROUPS.iter().filter_map(|g| group_by_name(g)).count(),
            GROUPS.len()
        );
        for name in NAMES {
            let p = named(name).expect("a built-in policy");
            assert_eq!(p.name, name);
            assert_eq!(p.groups.as_ref().map(Vec::len), Some(3));
        }
        assert!(named("mozilla").is_none());
    }

    #[test]
    fn the_three_configurations_of_5_7() {
        let modern = named("mozilla-modern").unwrap();
        let intermediate = named("mozilla-intermediate").unwrap();
        let old = named("mozilla-old").unwrap();
        assert_eq!(modern.cipher_suites, Some(vec![]));
        assert_eq!(modern.max_lifespan_days, Some(90));
        assert_eq!(intermediate.cipher_suites.as_ref().map(Vec::len), Some(9));
        assert_eq!(old.cipher_suites.as_ref().map(Vec::len), Some(26));
        assert_eq!(
            intermediate.versions.unwrap().allowed,
            vec![ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_3]
        );
        assert_eq!(old.certificate.unwrap().types, vec![KeyKind::Rsa]);
        assert_eq!(modern.hsts_min_age, Some(63_072_000));
    }
}
