//! [`super::judge`] on hand-built scans, leaves and HTTP answers.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::mozilla::named;
use super::{judge, Http, Policy, Seen};
use crate::report::{
    Certificate, Check, CheckCode, HttpAnswer, KeyType, PolicyRule, ProtocolVersion, PublicKey,
    Scan, ScanFeatures, ScanSuite, ScanVersion,
};

fn policy(name: &str) -> Policy {
    named(name).expect("a built-in policy")
}

/// A scan that accepts these versions, each with these suites, and these groups.
fn scan(versions: &[(ProtocolVersion, &[&str])], groups: &[&str]) -> Scan {
    let all = [
        ProtocolVersion::TLS1_3,
        ProtocolVersion::TLS1_2,
        ProtocolVersion::TLS1_1,
        ProtocolVersion::TLS1_0,
        ProtocolVersion::SSL3,
    ];
    Scan {
        versions: all
            .into_iter()
            .map(|v| {
                let suites = versions.iter().find(|(a, _)| *a == v).map(|(_, s)| *s);
                ScanVersion {
                    version: v,
                    accepted: suites.is_some(),
                    preference: None,
                    cipher_suites: suites
                        .unwrap_or(&[])
                        .iter()
                        .map(|n| ScanSuite {
                            name: n.to_string(),
                            forward_secrecy: true,
                            aead: true,
                            flags: vec![],
                            group: None,
                            dh_bits: None,
                        })
                        .collect(),
                }
            })
            .collect(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
        features: ScanFeatures::default(),
        certificate_types: vec![],
        findings: vec![],
        connections: 1,
        duration_ms: 1.0,
    }
}

const TLS13: &[&str] = &["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"];
const TLS12_GOOD: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
];
const TLS10_CBC: &[&str] = &["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"];

fn intermediate_scan() -> Scan {
    scan(
        &[
            (ProtocolVersion::TLS1_3, TLS13),
            (ProtocolVersion::TLS1_2, TLS12_GOOD),
        ],
        &["X25519", "secp256r1", "secp384r1"],
    )
}

/// A leaf with this key, valid `days` from 2025-01-01.
fn leaf(kind: KeyType, bits: u32, curve: Option<&str>, days: i64) -> Certificate {
    let mut c = crate::cert::describe(b"not a certificate", SystemTime::now());
    c.key = PublicKey {
        kind,
        bits: Some(bits),
        curve: curve.map(String::from),
    };
    // 2025-01-01T00:00:00Z.
    let start = time::OffsetDateTime::from_unix_timestamp(1_735_689_600).unwrap();
    let rfc3339 = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    c.not_before = rfc3339(start);
    c.not_after = rfc3339(start + time::Duration::days(days));
    c
}

fn p256(days: i64) -> Vec<Certificate> {
    vec![leaf(KeyType::Ec, 256, Some("P-256"), days)]
}

fn hsts_answer(value: Option<&str>) -> HttpAnswer {
    HttpAnswer {
        status: 200,
        status_line: "HTTP/1.1 200 OK".into(),
        security_headers: value
            .map(|v| BTreeMap::from([("strict-transport-security".to_string(), v.to_string())]))
            .unwrap_or_default(),
        missing_security_headers: vec![],
    }
}

fn rule(checks: &[Check], rule: PolicyRule) -> &Check {
    checks
        .iter()
        .find(|c| c.rule == Some(rule))
        .unwrap_or_else(|| panic!("no {rule} check in {checks:#?}"))
}

fn rules(checks: &[Check]) -> Vec<PolicyRule> {
    checks.iter().filter_map(|c| c.rule).collect()
}

fn failed(checks: &[Check]) -> Vec<PolicyRule> {
    checks
        .iter()
        .filter(|c| !c.passed)
        .filter_map(|c| c.rule)
        .collect()
}

#[test]
fn an_intermediate_server_passes_intermediate_rule_by_rule_in_order() {
    let s = intermediate_scan();
    let certs = p256(90);
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: Some(&s),
            certificates: &certs,
            http: Http::NotAsked,
        },
    );
    assert_eq!(
        rules(&checks),
        vec![
            PolicyRule::Versions,
            PolicyRule::CipherSuites,
            PolicyRule::Groups,
            PolicyRule::DhParamSize,
            PolicyRule::CertificateType,
            PolicyRule::CertificateLifespan,
        ],
        "no hsts without --http"
    );
    assert!(checks.iter().all(|c| c.passed), "{checks:#?}");
    assert!(checks.iter().all(|c| c.check == CheckCode::Policy));
    assert_eq!(
        rule(&checks, PolicyRule::Versions).message,
        "mozilla-intermediate allows TLSv1.2, TLSv1.3; the server accepts TLSv1.3, TLSv1.2"
    );
    assert!(rule(&checks, PolicyRule::CertificateLifespan)
        .message
        .contains("valid 90 days"));
}

#[test]
fn modern_fails_a_server_that_accepts_tls12() {
    let s = intermediate_scan();
    let certs = p256(90);
    let checks = judge(
        &policy("mozilla-modern"),
        &Seen {
            scan: Some(&s),
            certificates: &certs,
            http: Http::NotAsked,
        },
    );
    assert_eq!(
        failed(&checks),
        vec![PolicyRule::Versions, PolicyRule::CipherSuites]
    );
    assert_eq!(
        rule(&checks, PolicyRule::Versions).message,
        "mozilla-modern allows TLSv1.3; the server also accepts TLSv1.2"
    );
    let suites = &rule(&checks, PolicyRule::CipherSuites).message;
    assert!(
        suites.contains(
            "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20"
        ),
        "{suites}"
    );
    assert!(!suites.contains("TLS_AES_128_GCM_SHA256"), "{suites}");
}

#[test]
fn modern_requires_tls13() {
    let s = scan(&[], &[]);
    let checks = judge(
        &policy("mozilla-modern"),
        &Seen {
            scan: Some(&s),
            certificates: &p256(30),
            http: Http::NotAsked,
        },
    );
    let v = rule(&checks, PolicyRule::Versions);
    assert!(!v.passed);
    assert_eq!(
        v.message,
        "mozilla-modern allows TLSv1.3; the server does not accept TLSv1.3, which mozilla-modern requires"
    );
}

#[test]
fn legacy_versions_and_cbc_suites_fail_intermediate_by_name() {
    let s = scan(
        &[
            (ProtocolVersion::TLS1_3, TLS13),
            (ProtocolVersion::TLS1_2, TLS12_GOOD),
            (ProtocolVersion::TLS1_0, TLS10_CBC),
        ],
        &["X25519", "secp256r1"],
    );
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: Some(&s),
            certificates: &p256(90),
            http: Http::NotAsked,
        },
    );
    assert_eq!(
        failed(&checks),
        vec![PolicyRule::Versions, PolicyRule::CipherSuites]
    );
    assert_eq!(
        rule(&checks, PolicyRule::Versions).message,
        "mozilla-intermediate allows TLSv1.2, TLSv1.3; the server also accepts TLSv1.0"
    );
    assert_eq!(
        rule(&checks, PolicyRule::CipherSuites).message,
        "mozilla-intermediate allows 9 suites of TLS 1.2 and earlier and 3 suites of TLS 1.3; the server also accepts TLSv1.0 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
    );
    // The same server follows mozilla-old, but for its ECDSA leaf.
    let old = judge(
        &policy("mozilla-old"),
        &Seen {
            scan: Some(&s),
            certificates: &p256(90),
            http: Http::NotAsked,
        },
    );
    assert_eq!(failed(&old), vec![PolicyRule::CertificateType]);
}

#[test]
fn a_suite_without_a_name_and_an_unlisted_tls13_suite_are_outside() {
    let s = scan(
        &[
            (ProtocolVersion::TLS1_3, &["TLS_AES_128_CCM_SHA256"]),
            (ProtocolVersion::TLS1_2, &["0xff85"]),
        ],
        &[],
    );
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: Some(&s),
            certificates: &p256(90),
            http: Http::NotAsked,
        },
    );
    let c = rule(&checks, PolicyRule::CipherSuites);
    assert!(!c.passed);
    assert!(
        c.message
            .ends_with("TLSv1.3 TLS_AES_128_CCM_SHA256; TLSv1.2 0xff85"),
        "{}",
        c.message
    );
}

#[test]
fn groups_outside_are_named_and_finite_field_ones_left_to_the_dh_rule() {
    let s = scan(
        &[(ProtocolVersion::TLS1_3, TLS13)],
        &["X25519", "X448", "secp521r1", "ffdhe2048", "X25519MLKEM768"],
    );
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: Some(&s),
            certificates: &p256(90),
            http: Http::NotAsked,
        },
    );
    let g = rule(&checks, PolicyRule::Groups);
    assert!(!g.passed);
    assert_eq!(
        g.message,
        "mozilla-intermediate allows X25519, secp256r1, secp384r1; the server also accepts X448, secp521r1, X25519MLKEM768"
    );
    let fine = scan(
        &[(ProtocolVersion::TLS1_3, TLS13)],
        &["X25519", "ffdhe2048"],
    );
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: Some(&fine),
            certificates: &p256(90),
            http: Http::NotAsked,
        },
    );
    assert!(rule(&checks, PolicyRule::Groups).passed);
}

#[test]
fn without_a_scan_the_scan_rules_fail_and_say_why() {
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: None,
            certificates: &p256(90),
            http: Http::NotAsked,
        },
    );
    assert_eq!(
        failed(&checks),
        vec![
            PolicyRule::Versions,
            PolicyRule::CipherSuites,
            PolicyRule::Groups,
            PolicyRule::DhParamSize
        ]
    );
    assert_eq!(
        rule(&checks, PolicyRule::Groups).message,
        "the scan did not run, so mozilla-intermediate's groups rule could not be judged"
    );
    assert!(rule(&checks, PolicyRule::CertificateType).passed);
}

#[test]
fn without_a_certificate_the_certificate_rules_fail() {
    let s = intermediate_scan();
    let checks = judge(
        &policy("mozilla-intermediate"),
        &Seen {
            scan: Some(&s),
            certificates: &[],
            http: Http::NotAsked,
        },
    );
    assert_eq!(
        failed(&checks),
        vec![PolicyRule::CertificateType, PolicyRule::CertificateLifespan]
    );
    assert!(rule(&checks, PolicyRule::CertificateType)
        .message
        .starts_with("no certificate was received"));
}

#[test]
fn certificate_keys_by_type_curve_and_size() {
    let s = intermediate_scan();
    let judged = |name: &str, leaf: Certificate| {
        let certs = vec![leaf];
        let checks = judge(
            &policy(name),
            &Seen {
                scan: Some(&s),
                certificates: &certs,
                http: Http::NotAsked,
            },
        );
        let c = rule(&checks, PolicyRule::CertificateType).clone();
        (c.passed, c.message)
    };
    let inter = "mozilla-intermediate";
    assert!(judged(inter, leaf(KeyType::Ec, 384, Some("P-384"), 90)).0);
    assert!(judged(inter, leaf(KeyType::Rsa, 2048, None, 90)).0);
    assert!(judged(inter, leaf(KeyType::RsaPss, 4096, None, 90)).0);
    let (passed, message) = judged(inter, leaf(KeyType::Rsa, 1024, None, 90));
    assert!(!passed);
    assert_eq!(
        message,
        "mozilla-intermediate allows ecdsa (P-256, P-384), rsa (2048 bits or more) leaf keys; the leaf's key is RSA 1024 bits"
    );
    let (passed, message) = judged(inter, leaf(KeyType::Ec, 521, Some("P-521"), 90));
    assert!(!passed);
    assert!(message.ends_with("the leaf's key is EC P-521"), "{message}");
    assert!(!judged(inter, leaf(KeyType::Ed25519, 256, None, 90)).0);
    assert!(!judged("mozilla-modern", leaf(KeyType::Rsa, 4096, None, 90)).0);
    assert!(judged("mozilla-modern", leaf(KeyType::Ec, 256, Some("P-256"), 90)).0);
    assert!(!judged("mozilla-old", leaf(KeyType::Ec, 256, Some("P-256"), 90)).0);
}

#[test]
fn lifespan_at_most_the_profiles_days() {
    let s = intermediate_scan();
    let lifespan = |name: &str, days: i64| {
        let certs = p256(days);
        let checks = judge(
            &policy(name),
            &Seen {
                scan: Some(&s),
                certificates: &certs,
                http: Http::NotAsked,
            },
        );
        rule(&checks, PolicyRule::CertificateLifespan).clone()
    };
    assert!(lifespan("mozilla-modern", 90).passed);
    let c = lifespan("mozilla-modern", 91);
    assert!(!c.passed);
    assert_eq!(
        c.message,
        "mozilla-modern allows leaves valid at most 90 days; the leaf is valid 91 days, from 2025-01-01T00:00:00Z to 2025-04-02T00:00:00Z"
    );
    assert!(lifespan("mozilla-intermediate", 366).passed);
    assert!(!lifespan("mozilla-intermediate", 367).passed);
    let mut unreadable = p256(1);
    unreadable[0].not_after = "garbage".into();
    let checks = judge(
        &policy("mozilla-old"),
        &Seen {
            scan: Some(&s),
            certificates: &unreadable,
            http: Http::NotAsked,
        },
    );
    assert!(!rule(&checks, PolicyRule::CertificateLifespan).passed);
}

#[test]
fn hsts_only_with_http_and_at_least_the_min_age() {
    let s = intermediate_scan();
    let certs = p256(90);
    let hsts = |http: Http<'_>| {
        let checks = judge(
            &policy("mozilla-intermediate"),
            &Seen {
                scan: Some(&s),
                certificates: &certs,
                http,
            },
        );
        assert_eq!(rules(&checks).last(), Some(&PolicyRule::Hsts));
        rule(&checks, PolicyRule::Hsts).clone()
    };
    let two_years = hsts_answer(Some("max-age=63072000; includeSubDomains; preload"));
    assert!(hsts(Http::Answer(&two_years)).passed);
    let one_year = hsts_answer(Some("max-age=31536000"));
    let c = hsts(Http::Answer(&one_year));
    assert!(!c.passed);
    assert_eq!(
        c.message,
        "mozilla-intermediate asks for Strict-Transport-Security with max-age 63072000 or more; the server sends max-age 31536000"
    );
    let none = hsts_answer(None);
    assert!(hsts(Http::Answer(&none))
        .message
        .ends_with("the answer has none"));
    let bad = hsts_answer(Some("includeSubDomains"));
    assert!(!hsts(Http::Answer(&bad)).passed);
    let c = hsts(Http::NoAnswer(Some("the chain did not verify")));
    assert!(!c.passed && c.message.ends_with("(the chain did not verify)"));
}

#[test]
fn max_age_as_rfc_6797_writes_it() {
    use super::rules::hsts_max_age;
    assert_eq!(hsts_max_age("max-age=300"), Some(300));
    assert_eq!(
        hsts_max_age("includeSubDomains; MAX-AGE = \"600\""),
        Some(600)
    );
    assert_eq!(hsts_max_age("max-age=-1"), None);
    assert_eq!(hsts_max_age("preload"), None);
    assert_eq!(hsts_max_age(""), None);
}

#[test]
fn a_policy_judges_only_the_rules_it_has() {
    let mut p = policy("mozilla-intermediate");
    p.versions = None;
    p.cipher_suites = None;
    p.groups = None;
    p.dh_param_size = None;
    p.certificate = None;
    p.hsts_min_age = None;
    let checks = judge(
        &p,
        &Seen {
            scan: None,
            certificates: &p256(400),
            http: Http::NotAsked,
        },
    );
    assert_eq!(
        rules(&checks),
        vec![PolicyRule::CipherSuites, PolicyRule::CertificateLifespan]
    );
    assert!(checks.iter().all(|c| !c.passed));
    assert!(rule(&checks, PolicyRule::CipherSuites)
        .message
        .starts_with("the scan did not run"));
}

#[test]
fn dh_primes_and_finite_field_groups_are_judged_by_size() {
    let mut s = scan(
        &[
            (ProtocolVersion::TLS1_3, TLS13),
            (
                ProtocolVersion::TLS1_2,
                &["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"],
            ),
        ],
        &["X25519", "ffdhe2048"],
    );
    s.versions[1].cipher_suites[0].dh_bits = Some(1024);
    fn seen(s: &Scan) -> Seen<'_> {
        Seen {
            scan: Some(s),
            certificates: &[],
            http: Http::NotAsked,
        }
    }
    let checks = judge(&policy("mozilla-intermediate"), &seen(&s));
    let dh = rule(&checks, PolicyRule::DhParamSize);
    assert!(!dh.passed);
    assert_eq!(
        dh.message,
        "mozilla-intermediate asks for DH groups of 2048 bits or more; the server uses TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (1024 bits)"
    );
    assert!(
        rule(
            &judge(&policy("mozilla-old"), &seen(&s)),
            PolicyRule::DhParamSize
        )
        .passed
    );
    s.versions[1].cipher_suites[0].dh_bits = Some(2048);
    let dh = rule(
        &judge(&policy("mozilla-intermediate"), &seen(&s)),
        PolicyRule::DhParamSize,
    )
    .clone();
    assert!(dh.passed, "{}", dh.message);
    assert!(dh.message.ends_with("the server's least is 2048 bits"));
    assert!(
        !judge(&policy("mozilla-modern"), &seen(&s))
            .iter()
            .any(|c| c.rule == Some(PolicyRule::DhParamSize)),
        "modern allows no DHE suite: its suites rule says so"
    );
}

#[test]
fn every_kind_of_leaf_is_judged() {
    // The probe saw an ECDSA leaf; the scan saw the server's RSA one too, and the probe's own
    // again (the same certificate, judged once).
    let ecdsa = leaf(KeyType::Ec, 256, Some("P-256"), 90);
    let mut rsa = leaf(KeyType::Rsa, 1024, None, 400);
    rsa.sha256 = "another certificate".into();
    let served = |kind: &str, c: &Certificate| crate::report::ScanCertificates {
        key_type: kind.into(),
        version: ProtocolVersion::TLS1_2,
        cipher_suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into(),
        certificates: vec![c.clone()],
        verification: None,
    };
    let mut s = intermediate_scan();
    s.certificate_types = vec![served("RSA", &rsa), served("ECDSA", &ecdsa)];
    let certs = vec![ecdsa.clone()];
    let judged = |s: &Scan| {
        judge(
            &policy("mozilla-intermediate"),
            &Seen {
                scan: Some(s),
                certificates: &certs,
                http: Http::NotAsked,
            },
        )
    };
    let checks = judged(&s);
    let types = rule(&checks, PolicyRule::CertificateType);
    assert!(!types.passed);
    assert_eq!(
        types.message,
        "mozilla-intermediate allows ecdsa (P-256, P-384), rsa (2048 bits or more) leaf keys; the RSA leaf's key is RSA 1024 bits"
    );
    let lifespan = rule(&checks, PolicyRule::CertificateLifespan);
    assert!(!lifespan.passed);
    assert!(
        lifespan.message.ends_with(
            "; the RSA leaf is valid 400 days, from 2025-01-01T00:00:00Z to 2026-02-05T00:00:00Z"
        ),
        "{}",
        lifespan.message
    );
    // Both good: each is named.
    s.certificate_types[0].certificates[0].key.bits = Some(2048);
    let checks = judged(&s);
    let types = rule(&checks, PolicyRule::CertificateType);
    assert!(types.passed, "{}", types.message);
    assert!(
        types
            .message
            .ends_with("; the leaf's key is EC P-256; the RSA leaf's key is RSA 2048 bits"),
        "{}",
        types.message
    );
}
