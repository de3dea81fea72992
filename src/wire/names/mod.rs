//! IANA names of TLS code points. A code point we do not know (or a GREASE value) is shown as
//! its number, `0x%04x` (`0x%02x` for one-byte registries), so lists stay all strings and every
//! function here returns a name for every input.

mod cipher_suites;
mod registries;

use std::borrow::Cow;

use cipher_suites::CIPHER_SUITES;
use registries::{
    ALERTS, CERTIFICATE_TYPES, CONTENT_TYPES, EXTENSIONS, GROUPS, HANDSHAKE_TYPES,
    SIGNATURE_SCHEMES, VERSIONS,
};

/// The tables are sorted by code point (a test checks it), so a lookup is a binary search.
fn lookup<T: Ord + Copy>(table: &[(T, &'static str)], v: T) -> Option<&'static str> {
    table
        .binary_search_by_key(&v, |(k, _)| *k)
        .ok()
        .and_then(|i| table.get(i))
        .map(|(_, n)| *n)
}

fn or_number16(name: Option<&'static str>, v: u16) -> Cow<'static, str> {
    name.map_or_else(|| Cow::Owned(format!("0x{v:04x}")), Cow::Borrowed)
}

fn or_number8(name: Option<&'static str>, v: u8) -> Cow<'static, str> {
    name.map_or_else(|| Cow::Owned(format!("0x{v:02x}")), Cow::Borrowed)
}

/// `SSLv3`, `TLSv1.0` .. `TLSv1.3` (and the DTLS ones).
pub fn version_name(v: u16) -> Cow<'static, str> {
    or_number16(lookup(VERSIONS, v), v)
}

/// The IANA name, `TLS_...`, of any assigned cipher suite.
pub fn cipher_suite_name(v: u16) -> Cow<'static, str> {
    or_number16(lookup(CIPHER_SUITES, v), v)
}

/// `secp256r1`, `X25519`, `ffdhe2048`, `X25519MLKEM768`, ...
pub fn group_name(v: u16) -> Cow<'static, str> {
    or_number16(lookup(GROUPS, v), v)
}

/// `ecdsa_secp256r1_sha256`, `rsa_pss_rsae_sha256`, `ed25519`, ...
pub fn signature_scheme_name(v: u16) -> Cow<'static, str> {
    or_number16(lookup(SIGNATURE_SCHEMES, v), v)
}

/// `server_name`, `supported_groups`, `key_share`, ...
pub fn extension_name(v: u16) -> Cow<'static, str> {
    or_number16(lookup(EXTENSIONS, v), v)
}

/// `change_cipher_spec`, `alert`, `handshake`, `application_data`, `heartbeat`.
pub fn content_type_name(v: u8) -> Cow<'static, str> {
    or_number8(lookup(CONTENT_TYPES, v), v)
}

/// `handshake_failure`, `certificate_required`, `unrecognized_name`, ...
pub fn alert_name(v: u8) -> Cow<'static, str> {
    or_number8(lookup(ALERTS, v), v)
}

/// `warning` or `fatal`.
pub fn alert_level_name(v: u8) -> Cow<'static, str> {
    match v {
        1 => Cow::Borrowed("warning"),
        2 => Cow::Borrowed("fatal"),
        _ => or_number8(None, v),
    }
}

/// `ClientHello`, `ServerHello`, ...; `Unknown(N)` for others.
pub fn handshake_name(v: u8) -> Cow<'static, str> {
    lookup(HANDSHAKE_TYPES, v).map_or_else(|| Cow::Owned(format!("Unknown({v})")), Cow::Borrowed)
}

/// A TLS 1.2 CertificateRequest's certificate type: `rsa_sign`, `ecdsa_sign`, ...
pub fn certificate_type_name(v: u8) -> Cow<'static, str> {
    or_number8(lookup(CERTIFICATE_TYPES, v), v)
}

/// The code point named `name` in a table, the reverse of [`lookup`]: names are unique in
/// each registry (a test checks it), so the first match is the one.
fn code_of<T: Copy>(table: &[(T, &'static str)], name: &str) -> Option<T> {
    table.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
}

/// The version named `name` as [`version_name`] writes it (`TLSv1.2`), if any.
pub fn version_by_name(name: &str) -> Option<u16> {
    code_of(VERSIONS, name)
}

/// The cipher suite named `name` as [`cipher_suite_name`] writes it (IANA's `TLS_...`), if any.
pub fn cipher_suite_by_name(name: &str) -> Option<u16> {
    code_of(CIPHER_SUITES, name)
}

/// The group named `name` as [`group_name`] writes it (`X25519`, `secp256r1`), if any.
pub fn group_by_name(name: &str) -> Option<u16> {
    code_of(GROUPS, name)
}

/// Every cipher suite we have a name for, except the signalling values (SCSVs) and the null
/// suite, in code-point order. Includes the TLS 1.3 suites (see [`is_tls13_suite`]).
pub fn known_cipher_suites() -> impl Iterator<Item = u16> {
    CIPHER_SUITES
        .iter()
        .map(|(code, _)| *code)
        .filter(|c| !matches!(c, 0x0000 | 0x00ff | 0x5600))
}

/// A suite only TLS 1.3 uses (it names no key exchange: `TLS_AES_128_GCM_SHA256`, the SM4,
/// GOST MGM and integrity-only ones), as opposed to one for TLS 1.2 and earlier.
pub fn is_tls13_suite(v: u16) -> bool {
    matches!(v, 0x1301..=0x1307 | 0x00c6 | 0x00c7 | 0xc0b4 | 0xc0b5 | 0xc103..=0xc106)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lead_back_to_their_code_points() {
        assert_eq!(version_by_name("TLSv1.2"), Some(0x0303));
        assert_eq!(
            cipher_suite_by_name("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Some(0xc02b)
        );
        assert_eq!(cipher_suite_by_name("TLS_AES_128_GCM_SHA256"), Some(0x1301));
        assert_eq!(group_by_name("secp256r1"), Some(23));
        assert_eq!(group_by_name("X25519"), Some(29));
        assert_eq!(group_by_name("prime256v1"), None);
        assert_eq!(cipher_suite_by_name("0xc02b"), None);
        for table in [VERSIONS, GROUPS, CIPHER_SUITES] {
            for (code, name) in table {
                assert_eq!(code_of(table, name), Some(*code), "{name} is not unique");
            }
        }
    }

    #[test]
    fn names_and_numbers() {
        assert_eq!(version_name(0x0304), "TLSv1.3");
        assert_eq!(version_name(0x0300), "SSLv3");
        assert_eq!(
            cipher_suite_name(0xc02b),
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        );
        assert_eq!(cipher_suite_name(0x0000), "TLS_NULL_WITH_NULL_NULL");
        assert_eq!(
            cipher_suite_name(0xd005),
            "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256"
        );
        assert_eq!(
            cipher_suite_name(0xc050),
            "TLS_RSA_WITH_ARIA_128_GCM_SHA256"
        );
        assert_eq!(cipher_suite_name(0x0a0a), "0x0a0a");
        assert_eq!(cipher_suite_name(0xffff), "0xffff");
        assert_eq!(group_name(0x11ec), "X25519MLKEM768");
        assert_eq!(group_name(23), "secp256r1");
        assert_eq!(group_name(29), "X25519");
        assert_eq!(group_name(0x2a2a), "0x2a2a");
        assert_eq!(signature_scheme_name(0x0403), "ecdsa_secp256r1_sha256");
        assert_eq!(alert_name(112), "unrecognized_name");
        assert_eq!(alert_name(116), "certificate_required");
        assert_eq!(alert_name(200), "0xc8");
        assert_eq!(alert_level_name(2), "fatal");
        assert_eq!(alert_level_name(9), "0x09");
        assert_eq!(handshake_name(99), "Unknown(99)");
        assert_eq!(handshake_name(20), "Finished");
        assert_eq!(extension_name(16), "application_layer_protocol_negotiation");
        assert_eq!(extension_name(0xfe0d), "encrypted_client_hello");
        assert_eq!(certificate_type_name(64), "ecdsa_sign");
        assert_eq!(certificate_type_name(0), "0x00");
    }

    #[test]
    fn tables_are_sorted_without_duplicates() {
        fn strictly_sorted<T: Ord + Copy>(t: &[(T, &str)]) -> bool {
            t.windows(2).all(|w| w[0].0 < w[1].0)
        }
        assert!(strictly_sorted(CIPHER_SUITES));
        assert!(strictly_sorted(GROUPS) && strictly_sorted(SIGNATURE_SCHEMES));
        assert!(strictly_sorted(EXTENSIONS) && strictly_sorted(VERSIONS));
        assert!(strictly_sorted(ALERTS) && strictly_sorted(HANDSHAKE_TYPES));
        assert!(strictly_sorted(CERTIFICATE_TYPES) && strictly_sorted(CONTENT_TYPES));
    }

    #[test]
    fn every_cipher_suite_of_the_registry() {
        // 352 assigned code points as of the registry this table was written from.
        assert_eq!(CIPHER_SUITES.len(), 352);
        assert!(CIPHER_SUITES.iter().all(|(_, n)| n.starts_with("TLS_")));
        // Every TLS 1.2-and-earlier suite names its key exchange before `_WITH_` (the GOST
        // TLS 1.3 suites have one too, though they name no key exchange).
        for (code, name) in CIPHER_SUITES
            .iter()
            .filter(|(c, _)| !(0xc103..=0xc106).contains(c))
        {
            assert_eq!(
                is_tls13_suite(*code) || matches!(code, 0x00ff | 0x5600),
                !name.contains("_WITH_"),
                "{name}"
            );
        }
        assert!(known_cipher_suites().all(|c| !matches!(c, 0x00ff | 0x5600)));
    }
}
