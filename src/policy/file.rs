//! `--policy FILE`: a policy of one's own, a JSON object whose keys are the rules (see the
//! README, "Policies"). Every key may be left out, and then its rule is not judged; an
//! unknown key, a name that is not a version, suite, group or key type, or a file that names
//! no rule is an error, so that a typo cannot pass silently.

use serde::Deserialize;

use super::{CertificateKeys, KeyKind, Policy, Versions};
use crate::report::ProtocolVersion;
use crate::wire::code_points::{CipherSuite, NamedGroup};
use crate::wire::names::{cipher_suite_by_name, group_by_name, version_by_name};

/// The file as written: names, checked and made code points by [`parse`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    name: Option<String>,
    versions: Option<Vec<String>>,
    required_versions: Option<Vec<String>>,
    cipher_suites: Option<Vec<String>>,
    groups: Option<Vec<String>>,
    certificate_types: Option<Vec<String>>,
    certificate_curves: Option<Vec<String>>,
    rsa_key_size: Option<u32>,
    maximum_certificate_lifespan: Option<u32>,
    hsts_min_age: Option<u64>,
    dh_param_size: Option<u32>,
}

/// The policy in `bytes`, or what is wrong with it in one line; `shown` (the path) names it
/// when the file gives no `name`.
pub(super) fn parse(bytes: &[u8], shown: &str) -> Result<Policy, String> {
    let f: PolicyFile =
        serde_json::from_slice(bytes).map_err(|e| format!("not a policy file: {e}"))?;
    let versions = match (&f.versions, &f.required_versions) {
        (Some(allowed), required) => Some(Versions {
            allowed: each(allowed, "versions", version)?,
            required: each(
                required.as_deref().unwrap_or(&[]),
                "required_versions",
                version,
            )?,
        }),
        (None, Some(_)) => return Err("required_versions needs versions, the allowed ones".into()),
        (None, None) => None,
    };
    if let Some(v) = &versions {
        if let Some(r) = v.required.iter().find(|r| !v.allowed.contains(r)) {
            return Err(format!("required_versions: {r} is not among versions"));
        }
    }
    let suites = f
        .cipher_suites
        .as_deref()
        .map(|s| each(s, "cipher_suites", suite))
        .transpose()?;
    let (tls13, legacy): (Option<Vec<_>>, Option<Vec<_>>) = match suites {
        Some(all) => {
            let (tls13, legacy) = all.into_iter().partition(|s: &CipherSuite| s.is_tls13());
            (Some(tls13), Some(legacy))
        }
        None => (None, None),
    };
    let certificate = match &f.certificate_types {
        Some(types) => Some(CertificateKeys {
            types: each(types, "certificate_types", key_kind)?,
            curves: f
                .certificate_curves
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .map(|c| curve(c))
                .collect(),
            rsa_min_bits: f.rsa_key_size,
        }),
        None if f.certificate_curves.is_some() || f.rsa_key_size.is_some() => {
            return Err("certificate_curves and rsa_key_size need certificate_types".into())
        }
        None => None,
    };
    let policy = Policy {
        name: f.name.clone().unwrap_or_else(|| shown.to_string()),
        versions,
        cipher_suites: legacy,
        tls13_cipher_suites: tls13,
        groups: f
            .groups
            .as_deref()
            .map(|g| each(g, "groups", group))
            .transpose()?,
        certificate,
        max_lifespan_days: f.maximum_certificate_lifespan,
        hsts_min_age: f.hsts_min_age,
        dh_param_size: f.dh_param_size,
    };
    if policy.name.trim().is_empty() {
        return Err("name is empty".into());
    }
    let no_rule = policy.versions.is_none()
        && policy.cipher_suites.is_none()
        && policy.groups.is_none()
        && policy.certificate.is_none()
        && policy.max_lifespan_days.is_none()
        && policy.hsts_min_age.is_none()
        && policy.dh_param_size.is_none();
    if no_rule {
        return Err("it names no rule (versions, cipher_suites, groups, dh_param_size, certificate_types, maximum_certificate_lifespan, hsts_min_age)".into());
    }
    Ok(policy)
}

/// Each name of the list `key` made a value, or the first that is not one.
fn each<T>(
    names: &[String],
    key: &str,
    read: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    names
        .iter()
        .map(|n| read(n).map_err(|e| format!("{key}: {e}")))
        .collect()
}

fn version(name: &str) -> Result<ProtocolVersion, String> {
    // Mozilla's guidelines write TLS 1.0 as `TLSv1`.
    let name = if name == "TLSv1" { "TLSv1.0" } else { name };
    version_by_name(name)
        .map(ProtocolVersion)
        .filter(|v| (ProtocolVersion::SSL3..=ProtocolVersion::TLS1_3).contains(v))
        .ok_or_else(|| {
            format!("{name:?} is not a version: give SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3")
        })
}

fn suite(name: &str) -> Result<CipherSuite, String> {
    cipher_suite_by_name(name)
        .map(CipherSuite)
        .ok_or_else(|| format!("{name:?} is not a cipher suite's IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256, ...)"))
}

/// A group by its IANA name, or Mozilla's and OpenSSL's for the NIST curves.
fn group(name: &str) -> Result<NamedGroup, String> {
    let iana = match name {
        "prime256v1" | "P-256" => "secp256r1",
        "P-384" => "secp384r1",
        "P-521" => "secp521r1",
        other => other,
    };
    group_by_name(iana).map(NamedGroup).ok_or_else(|| {
        format!(
            "{name:?} is not a group's name (X25519, secp256r1, secp384r1, X25519MLKEM768, ...)"
        )
    })
}

fn key_kind(name: &str) -> Result<KeyKind, String> {
    KeyKind::from_name(name).ok_or_else(|| {
        let all: Vec<&str> = KeyKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("{name:?} is not a key type: give {}", all.join(", "))
    })
}

/// A certificate curve as the report names it (`P-256`), from that or Mozilla's and the SECG
/// names of the NIST curves.
fn curve(name: &str) -> String {
    match name {
        "prime256v1" | "secp256r1" => "P-256",
        "secp384r1" => "P-384",
        "secp521r1" => "P-521",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(json: &str) -> Result<Policy, String> {
        parse(json.as_bytes(), "edge.json")
    }

    #[test]
    fn every_key_becomes_its_rule() {
        let p = parsed(
            r#"{"name": "edge", "versions": ["TLSv1.2", "TLSv1.3"], "required_versions": ["TLSv1.3"],
                "cipher_suites": ["TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
                "groups": ["X25519", "prime256v1"], "certificate_types": ["ecdsa", "rsa"],
                "certificate_curves": ["prime256v1", "P-384"], "rsa_key_size": 3072,
                "maximum_certificate_lifespan": 90, "hsts_min_age": 31536000}"#,
        )
        .unwrap();
        assert_eq!(p.name, "edge");
        let v = p.versions.unwrap();
        assert_eq!(
            v.allowed,
            vec![ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_3]
        );
        assert_eq!(v.required, vec![ProtocolVersion::TLS1_3]);
        assert_eq!(p.tls13_cipher_suites, Some(vec![CipherSuite(0x1301)]));
        assert_eq!(p.cipher_suites, Some(vec![CipherSuite(0xc02b)]));
        assert_eq!(
            p.groups,
            Some(vec![NamedGroup::X25519, NamedGroup::SECP256R1])
        );
        let c = p.certificate.unwrap();
        assert_eq!(c.types, vec![KeyKind::Ecdsa, KeyKind::Rsa]);
        assert_eq!(c.curves, vec!["P-256", "P-384"]);
        assert_eq!(c.rsa_min_bits, Some(3072));
        assert_eq!(p.max_lifespan_days, Some(90));
        assert_eq!(p.hsts_min_age, Some(31_536_000));
    }

    #[test]
    fn a_key_left_out_is_a_rule_not_judged_and_the_path_names_it() {
        let p = parsed(r#"{"versions": ["TLSv1"]}"#).unwrap();
        assert_eq!(p.name, "edge.json");
        assert_eq!(p.versions.unwrap().allowed, vec![ProtocolVersion::TLS1_0]);
        assert!(p.cipher_suites.is_none() && p.tls13_cipher_suites.is_none());
        assert!(p.groups.is_none() && p.certificate.is_none() && p.hsts_min_age.is_none());
    }

    #[test]
    fn mistakes_are_errors_that_say_where() {
        let err = |json: &str| parsed(json).unwrap_err();
        assert!(err(r#"{"version": ["TLSv1.2"]}"#).contains("unknown field `version`"));
        assert!(err("{}").contains("names no rule"));
        assert!(err("[1, 2]").starts_with("not a policy file"));
        assert!(err("not json").starts_with("not a policy file"));
        assert!(err(r#"{"versions": ["TLSv1.4"]}"#).starts_with("versions: \"TLSv1.4\""));
        assert!(err(r#"{"versions": ["DTLSv1.2"]}"#).contains("is not a version"));
        assert!(err(r#"{"cipher_suites": ["ECDHE-RSA-AES128-GCM-SHA256"]}"#)
            .starts_with("cipher_suites: \"ECDHE-RSA-AES128-GCM-SHA256\" is not"));
        assert!(err(r#"{"groups": ["x25519"]}"#).starts_with("groups: "));
        assert!(err(r#"{"certificate_types": ["dsa"]}"#).contains("give ecdsa, rsa"));
        assert!(err(r#"{"rsa_key_size": 2048}"#).contains("need certificate_types"));
        assert!(err(r#"{"required_versions": ["TLSv1.3"]}"#).contains("needs versions"));
        assert!(
            err(r#"{"versions": ["TLSv1.2"], "required_versions": ["TLSv1.3"]}"#)
                .contains("TLSv1.3 is not among versions")
        );
        assert!(err(r#"{"name": " ", "hsts_min_age": 1}"#).contains("name is empty"));
        assert!(err(r#"{"hsts_min_age": -1}"#).starts_with("not a policy file"));
        for e in [err("{}"), err(r#"{"versions": 1}"#)] {
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
