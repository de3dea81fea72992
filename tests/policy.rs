//! `--policy` through the binary against openssl s_server configured to Mozilla's
//! intermediate recommendation, to less than it, and against policy files of our own; and the
//! one-line errors of a policy file that is not one.

mod support;

use std::path::Path;

use serde_json::Value;
use support::fixtures::fixtures;
use support::openssl::{s_server, SServer};
use support::{root, run, run_json, usage_error};

/// Mozilla intermediate 5.7's `ciphers.openssl` and `ciphersuites`.
const INTERMEDIATE_CIPHERS: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
    ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:\
    ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:\
    DHE-RSA-CHACHA20-POLY1305";
const TLS13_SUITES: &str =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

/// TLS 1.2 and 1.3, the intermediate suites and groups, an ECDSA P-256 leaf valid 90 days.
fn intermediate_server(extra: &[&str]) -> SServer {
    let mut args = vec![
        "-no_ssl3",
        "-no_tls1",
        "-no_tls1_1",
        "-cipher",
        INTERMEDIATE_CIPHERS,
        "-ciphersuites",
        TLS13_SUITES,
        "-groups",
        "X25519:P-256:P-384",
    ];
    args.extend_from_slice(extra);
    s_server(&fixtures().ninety_days, &args)
}

fn probe(server: &SServer, args: &[&str]) -> (i32, Value) {
    let target = format!("localhost:{}", server.port());
    let ca = root();
    let mut all = vec!["--ca-file", ca.as_str()];
    all.extend_from_slice(args);
    all.push(&target);
    run_json(&all)
}

/// The policy checks: (rule, passed, message), in the report's order.
fn policy_checks(r: &Value) -> Vec<(String, bool, String)> {
    r["checks"]
        .as_array()
        .expect("checks[]")
        .iter()
        .filter(|c| c["check"] == "policy")
        .map(|c| {
            (
                c["rule"]
                    .as_str()
                    .expect("a policy check's rule")
                    .to_string(),
                c["passed"].as_bool().expect("passed"),
                c["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

fn rules(checks: &[(String, bool, String)]) -> Vec<&str> {
    checks.iter().map(|(r, _, _)| r.as_str()).collect()
}

fn failed(checks: &[(String, bool, String)]) -> Vec<&str> {
    checks
        .iter()
        .filter(|(_, passed, _)| !passed)
        .map(|(r, _, _)| r.as_str())
        .collect()
}

fn message<'a>(checks: &'a [(String, bool, String)], rule: &str) -> &'a str {
    checks
        .iter()
        .find(|(r, _, _)| r == rule)
        .map(|(_, _, m)| m.as_str())
        .unwrap_or_else(|| panic!("no {rule} check in {checks:#?}"))
}

const EVERY_RULE_BUT_HSTS: [&str; 6] = [
    "versions",
    "cipher_suites",
    "groups",
    "dh_param_size",
    "certificate_type",
    "certificate_lifespan",
];

#[test]
fn an_intermediate_server_passes_mozilla_intermediate() {
    let server = intermediate_server(&[]);
    let (code, r) = probe(&server, &["--policy", "mozilla-intermediate"]);
    let checks = policy_checks(&r);
    assert_eq!(code, 0, "{r:#}\n{}", server.log());
    assert_eq!(r["status"], "ok");
    assert!(r["scan"].is_object(), "--policy implies --scan: {r:#}");
    assert_eq!(rules(&checks), EVERY_RULE_BUT_HSTS, "{checks:#?}");
    assert!(failed(&checks).is_empty(), "{checks:#?}");
    assert_eq!(
        message(&checks, "versions"),
        "mozilla-intermediate allows TLSv1.2, TLSv1.3; the server accepts TLSv1.3, TLSv1.2"
    );
    assert!(
        message(&checks, "certificate_lifespan").contains("the leaf is valid 90 days"),
        "{checks:#?}"
    );
    assert!(
        message(&checks, "certificate_type").ends_with("the leaf's key is EC P-256"),
        "{checks:#?}"
    );
}

#[test]
fn an_intermediate_server_fails_mozilla_modern_for_its_tls12() {
    let server = intermediate_server(&[]);
    let (code, r) = probe(&server, &["--policy", "mozilla-modern"]);
    let checks = policy_checks(&r);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "checks_failed");
    // Modern allows no DHE suite at all: no DH size to judge.
    let modern: Vec<&str> = EVERY_RULE_BUT_HSTS
        .into_iter()
        .filter(|r| *r != "dh_param_size")
        .collect();
    assert_eq!(rules(&checks), modern, "{checks:#?}");
    assert_eq!(
        failed(&checks),
        ["versions", "cipher_suites"],
        "{checks:#?}"
    );
    assert_eq!(
        message(&checks, "versions"),
        "mozilla-modern allows TLSv1.3; the server also accepts TLSv1.2"
    );
    let suites = message(&checks, "cipher_suites");
    assert!(
        suites.contains("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        "{suites}"
    );
    assert!(!suites.contains("TLS_AES_128_GCM_SHA256"), "{suites}");
}

#[test]
fn tls10_and_cbc_suites_fail_mozilla_intermediate_by_name() {
    let server = s_server(
        &fixtures().good,
        &[
            "-cipher",
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0",
            "-ciphersuites",
            TLS13_SUITES,
            "-groups",
            "X25519:P-256:P-384",
        ],
    );
    let (code, r) = probe(&server, &["--policy", "mozilla-intermediate"]);
    let checks = policy_checks(&r);
    assert_eq!(code, 1, "{r:#}\n{}", server.log());
    assert_eq!(r["status"], "checks_failed");
    assert_eq!(
        failed(&checks),
        ["versions", "cipher_suites"],
        "{checks:#?}"
    );
    let versions = message(&checks, "versions");
    assert!(
        versions
            .starts_with("mozilla-intermediate allows TLSv1.2, TLSv1.3; the server also accepts")
            && versions.contains("TLSv1.0"),
        "{versions}"
    );
    let suites = message(&checks, "cipher_suites");
    for named in [
        "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLSv1.0 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    ] {
        assert!(suites.contains(named), "{named}: {suites}");
    }
    assert!(
        !suites.contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        "{suites}"
    );
}

#[test]
fn with_http_the_hsts_rule_is_judged_too() {
    // s_server -www answers GET / with a page of its own, without Strict-Transport-Security.
    let server = intermediate_server(&["-www"]);
    let (code, r) = probe(&server, &["--http", "--policy", "mozilla-intermediate"]);
    let checks = policy_checks(&r);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["application"]["http"]["status"], 200, "{r:#}");
    assert_eq!(rules(&checks).last(), Some(&"hsts"), "{checks:#?}");
    assert_eq!(failed(&checks), ["hsts"], "{checks:#?}");
    assert_eq!(
        message(&checks, "hsts"),
        "mozilla-intermediate asks for Strict-Transport-Security with max-age 63072000 or \
         more; the answer has none"
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the policy file");
    path.to_str().expect("a UTF-8 path").to_string()
}

#[test]
fn a_policy_file_passes_and_fails_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let passing = write(
        dir.path(),
        "tls13.json",
        r#"{"name": "tls13-only", "versions": ["TLSv1.3"], "required_versions": ["TLSv1.3"],
            "cipher_suites": ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
                              "TLS_CHACHA20_POLY1305_SHA256"],
            "certificate_types": ["ecdsa"], "certificate_curves": ["prime256v1"],
            "maximum_certificate_lifespan": 120}"#,
    );
    let failing = write(
        dir.path(),
        "strict.json",
        r#"{"cipher_suites": ["TLS_AES_256_GCM_SHA384"], "maximum_certificate_lifespan": 30}"#,
    );
    let server = s_server(&fixtures().ninety_days, &["-tls1_3"]);

    let (code, r) = probe(&server, &["--policy", &passing]);
    let checks = policy_checks(&r);
    assert_eq!(code, 0, "{r:#}");
    // No groups and no hsts in the file: those rules are not judged.
    assert_eq!(
        rules(&checks),
        [
            "versions",
            "cipher_suites",
            "certificate_type",
            "certificate_lifespan"
        ]
    );
    assert!(failed(&checks).is_empty(), "{checks:#?}");
    assert!(message(&checks, "versions").starts_with("tls13-only allows TLSv1.3"));

    let (code, r) = probe(&server, &["--policy", &failing]);
    let checks = policy_checks(&r);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["status"], "checks_failed");
    assert_eq!(failed(&checks), ["cipher_suites", "certificate_lifespan"]);
    let suites = message(&checks, "cipher_suites");
    // Without a name, the file's path names the policy.
    assert!(
        suites.starts_with(&format!(
            "{failing} allows no suite of TLS 1.2 and earlier and 1 suite of TLS 1.3"
        )),
        "{suites}"
    );
    assert!(
        suites.contains("TLSv1.3 TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256"),
        "{suites}"
    );
    assert!(message(&checks, "certificate_lifespan").contains("valid 90 days"));

    // The text view: one line a rule, as other checks show.
    let text = run(&[
        "--ca-file",
        &root(),
        "--policy",
        &failing,
        &format!("localhost:{}", server.port()),
    ]);
    assert_eq!(text.code, 1, "{}", text.stdout);
    assert!(
        text.stdout
            .contains("✗ CHECK FAILED, policy cipher_suites:"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_policy_file_that_is_not_one_is_a_one_line_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let cases = [
        (
            write(d, "broken.json", "{\"versions\": [\"TLSv1.2\""),
            "not a policy file",
        ),
        (
            write(d, "typo.json", r#"{"version": ["TLSv1.2"]}"#),
            "unknown field `version`",
        ),
        (
            write(
                d,
                "suite.json",
                r#"{"cipher_suites": ["ECDHE-RSA-AES128-GCM-SHA256"]}"#,
            ),
            "cipher_suites: \"ECDHE-RSA-AES128-GCM-SHA256\" is not a cipher suite's IANA name",
        ),
        (write(d, "empty.json", "{}"), "names no rule"),
        (
            d.join("missing.json").to_str().unwrap().to_string(),
            "No such file",
        ),
        (d.to_str().unwrap().to_string(), "it is a directory"),
        (
            "mozilla-moderne".to_string(),
            "give mozilla-modern, mozilla-intermediate, mozilla-old",
        ),
    ];
    for (given, said) in &cases {
        let line = usage_error(&["--policy", given, "localhost:1"]);
        assert!(
            line.starts_with(&format!("tlsprobe: --policy {given}: ")),
            "{given}: {line}"
        );
        assert!(line.contains(said), "{given}: {said:?} not in {line}");
    }
}

#[test]
fn a_1024_bit_dh_prime_fails_intermediate_and_passes_old() {
    let dir = tempfile::tempdir().unwrap();
    let dh = dir.path().join("dh1024.pem");
    let made = std::process::Command::new("openssl")
        .args(["dhparam", "-out"])
        .arg(&dh)
        .arg("1024")
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let ciphers = format!("{INTERMEDIATE_CIPHERS}:@SECLEVEL=0");
    let server = s_server(
        &fixtures().good_rsa,
        &[
            "-no_ssl3",
            "-no_tls1",
            "-no_tls1_1",
            "-cipher",
            &ciphers,
            "-dhparam",
            dh.to_str().unwrap(),
        ],
    );
    let (code, r) = probe(&server, &["--policy", "mozilla-intermediate"]);
    let checks = policy_checks(&r);
    assert_eq!(code, 1, "{checks:#?}");
    assert!(failed(&checks).contains(&"dh_param_size"), "{checks:#?}");
    let said = message(&checks, "dh_param_size");
    assert!(
        said.starts_with("mozilla-intermediate asks for DH groups of 2048 bits or more")
            && said.contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (1024 bits)"),
        "{said}"
    );
    let (_, r) = probe(&server, &["--policy", "mozilla-old"]);
    let checks = policy_checks(&r);
    assert!(!failed(&checks).contains(&"dh_param_size"), "{checks:#?}");
}
