//! `tlsprobe verify CHAIN...`: local chain files through the probe's verifier. Exit 0 when the
//! chain verifies, 1 when it does not, 2 when the input cannot be used (then one line on
//! stderr, and in --json mode a JSON object whose `error` says why as well).

mod support;

use std::path::Path;

use serde_json::Value;
use support::openssl_chains::{leaf_ext, Cert, Pki, Spec, Window};
use support::{error_codes, run, usage_error, verify_json, warning_codes};

/// A root, an intermediate and a localhost leaf under it, in one directory.
struct Pyramid {
    _dir: tempfile::TempDir,
    pki: Pki,
    root: Cert,
    inter: Cert,
    leaf: Cert,
    /// The leaf then the intermediate, in one PEM file.
    chain: String,
}

fn pyramid() -> Pyramid {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let root = pki.issue(Spec::ca("root", "/CN=Verify Test Root", None, ""));
    let inter = pki.issue(Spec::ca(
        "inter",
        "/CN=Verify Test Intermediate",
        Some(&root),
        "",
    ));
    let leaf = pki.issue(Spec::server(
        "leaf",
        "/CN=localhost",
        "DNS:localhost",
        &inter,
    ));
    let chain = pki.served("served", &leaf, &[&inter]);
    let chain = chain.chain_pem.to_str().expect("utf-8 path").to_string();
    Pyramid {
        _dir: dir,
        pki,
        root,
        inter,
        leaf,
        chain,
    }
}

fn utf8(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// An RFC 3339 time `days` from now, in whole seconds.
fn rfc3339(days: i64) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    tlsprobe::cert::rfc3339(now + days * 86_400)
}

// --- exit 0 and 1 ------------------------------------------------------------------------

#[test]
fn a_good_chain_verifies_with_exit_0() {
    let p = pyramid();
    let root = p.root.pem_str();
    let (code, r) = verify_json(&["--ca-file", root, "--host", "localhost", &p.chain]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["error"], Value::Null);
    assert_eq!(r["files"], serde_json::json!([p.chain]));
    assert_eq!(r["host"], "localhost");
    assert_eq!(r["purpose"], "server");
    let certs = r["certificates"].as_array().expect("certificates");
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[0]["subject"], "CN=localhost");
    assert_eq!(certs[1]["subject"], "CN=Verify Test Intermediate");
    let v = &r["verification"];
    assert_eq!(v["verified"], true, "{r:#}");
    assert_eq!(v["trust_store"], "file");
    assert_eq!(v["hostname_matches"], true);
    assert_eq!(error_codes(&r), Vec::<String>::new());
    assert_eq!(
        support::path_subjects(&r),
        [
            "CN=localhost",
            "CN=Verify Test Intermediate",
            "CN=Verify Test Root"
        ]
    );

    let text = run(&["verify", "--ca-file", root, "--host", "localhost", &p.chain]);
    assert_eq!(text.code, 0, "{}{}", text.stdout, text.stderr);
    assert!(text.stdout.contains("trusted"), "{}", text.stdout);
    assert!(text.stdout.contains("for localhost"), "{}", text.stdout);
    assert_eq!(text.stderr, "");
}

#[test]
fn a_chain_no_trusted_root_issued_is_exit_1() {
    let p = pyramid();
    // The built-in roots do not hold the test root.
    let (code, r) = verify_json(&["--host", "localhost", &p.chain]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["error"], Value::Null);
    assert_eq!(r["verification"]["verified"], false);
    assert_eq!(r["verification"]["trust_store"], "mozilla");
    assert_eq!(error_codes(&r), ["unknown_issuer"]);

    let text = run(&["verify", "--host", "localhost", &p.chain]);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stdout.contains("error: unknown_issuer: "),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("hint: "), "{}", text.stdout);
}

#[test]
fn the_leaf_and_its_intermediate_may_come_in_separate_files_der_or_pem() {
    let p = pyramid();
    let der = p.pki.dir.join("leaf.der");
    support::openssl_ca::openssl(
        &p.pki.dir,
        &[
            "x509",
            "-outform",
            "DER",
            "-in",
            p.leaf.pem_str(),
            "-out",
            utf8(&der),
        ],
    );
    let root = p.root.pem_str();
    let inter = p.inter.pem_str();

    let (code, r) = verify_json(&["--ca-file", root, "--host", "localhost", utf8(&der), inter]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["certificates"].as_array().map(Vec::len), Some(2));

    let (code, r) = verify_json(&["--ca-file", root, "--untrusted", inter, p.leaf.pem_str()]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["files"], serde_json::json!([p.leaf.pem_str(), inter]));

    // Without the intermediate, the leaf alone does not reach the root.
    let (code, r) = verify_json(&["--ca-file", root, p.leaf.pem_str()]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(error_codes(&r), ["unknown_issuer"]);
}

// --- the name ----------------------------------------------------------------------------

#[test]
fn without_host_the_name_is_not_checked() {
    let p = pyramid();
    let root = p.root.pem_str();
    let (code, r) = verify_json(&["--ca-file", root, &p.chain]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["host"], Value::Null);
    assert_eq!(r["verification"]["hostname_matches"], Value::Null, "{r:#}");

    let text = run(&["verify", "--ca-file", root, &p.chain]);
    assert_eq!(text.code, 0, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stdout.contains("name not checked (no --host)"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_host_the_leaf_does_not_name_is_hostname_mismatch() {
    let p = pyramid();
    let root = p.root.pem_str();
    let (code, r) = verify_json(&["--ca-file", root, "--host", "other.test", &p.chain]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["verification"]["hostname_matches"], false);
    assert_eq!(error_codes(&r), ["hostname_mismatch"]);
    assert_eq!(r["verification"]["errors"][0]["cert_index"], 0);

    let (code, r) = verify_json(&["--ca-file", root, "--host", "127.0.0.1", &p.chain]);
    assert_eq!(code, 1, "an IP address the leaf does not list: {r:#}");
    assert_eq!(error_codes(&r), ["hostname_mismatch"]);
}

// --- purpose -----------------------------------------------------------------------------

#[test]
fn a_client_certificate_verifies_for_its_email_address_with_purpose_client() {
    let p = pyramid();
    let client = p.pki.issue(Spec {
        ext: leaf_ext("email:user@example.com", "clientAuth", ""),
        ..Spec::server("client", "/CN=Example User", "", &p.inter)
    });
    let chain = p.pki.served("client", &client, &[&p.inter]);
    let chain = utf8(&chain.chain_pem);
    let root = p.root.pem_str();

    let (code, r) = verify_json(&[
        "--ca-file",
        root,
        "--purpose",
        "client",
        "--host",
        "user@example.com",
        chain,
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["purpose"], "client");
    assert_eq!(r["host"], "user@example.com");
    assert_eq!(r["verification"]["verified"], true);
    assert_eq!(r["verification"]["hostname_matches"], true);

    let (code, r) = verify_json(&[
        "--ca-file",
        root,
        "--purpose",
        "client",
        "--host",
        "someone.else@example.com",
        chain,
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["verification"]["hostname_matches"], false);
    assert_eq!(error_codes(&r), ["hostname_mismatch"]);

    // A client certificate is not a server's.
    let (code, r) = verify_json(&["--ca-file", root, chain]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(error_codes(&r), ["bad_usage"]);
}

#[test]
fn a_server_only_leaf_with_purpose_client_is_bad_usage() {
    let p = pyramid();
    let (code, r) = verify_json(&[
        "--ca-file",
        p.root.pem_str(),
        "--purpose",
        "client",
        &p.chain,
    ]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["purpose"], "client");
    assert_eq!(error_codes(&r), ["bad_usage"]);
    let e = &r["verification"]["errors"][0];
    assert_eq!(e["cert_index"], 0);
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("clientAuth")),
        "{e:#}"
    );
}

// --- time --------------------------------------------------------------------------------

#[test]
fn at_a_moment_before_the_leaf_starts_it_is_not_yet_valid() {
    // The CAs are valid from 30 days ago, the leaf from 5 days ago: ten days ago, only the
    // leaf was not valid yet.
    let p = pyramid();
    let young = p.pki.issue(
        Spec::server("young", "/CN=localhost", "DNS:localhost", &p.inter).window(Window {
            from_days: -5,
            to_days: 365,
        }),
    );
    let chain = p.pki.served("young", &young, &[&p.inter]);
    let chain = utf8(&chain.chain_pem);
    let root = p.root.pem_str();
    let at = rfc3339(-10);

    let (code, r) = verify_json(&["--ca-file", root, "--at", &at, chain]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["at"], at.as_str());
    assert_eq!(error_codes(&r), ["not_yet_valid"]);
    assert_eq!(r["verification"]["errors"][0]["cert_index"], 0);

    // Now it is.
    let (code, r) = verify_json(&["--ca-file", root, chain]);
    assert_eq!(code, 0, "{r:#}");
}

#[test]
fn warn_days_sets_when_expires_soon_is_said() {
    let p = pyramid();
    let short = p.pki.issue(
        Spec::server("short", "/CN=localhost", "DNS:localhost", &p.inter).window(Window {
            from_days: -1,
            to_days: 10,
        }),
    );
    let chain = p.pki.served("short", &short, &[&p.inter]);
    let chain = utf8(&chain.chain_pem);
    let root = p.root.pem_str();

    let (code, r) = verify_json(&["--ca-file", root, chain]);
    assert_eq!(code, 0, "a warning does not fail verification: {r:#}");
    assert_eq!(warning_codes(&r), ["expires_soon"], "{r:#}");
    assert_eq!(r["verification"]["warnings"][0]["cert_index"], 0);

    let (code, r) = verify_json(&["--ca-file", root, "--warn-days", "5", chain]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(warning_codes(&r), Vec::<String>::new(), "{r:#}");
}

// --- text output -------------------------------------------------------------------------

#[test]
fn text_output_labels_errors_with_hints_and_warnings() {
    // The root sent along (root_sent) and a name the leaf does not hold (hostname_mismatch).
    let p = pyramid();
    let chain = p.pki.served("with-root", &p.leaf, &[&p.inter, &p.root]);
    let chain = utf8(&chain.chain_pem);
    let root = p.root.pem_str();

    let (code, r) = verify_json(&["--ca-file", root, "--host", "other.test", chain]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(error_codes(&r), ["hostname_mismatch"]);
    assert!(
        warning_codes(&r).contains(&"root_sent".to_string()),
        "{r:#}"
    );

    let text = run(&["verify", "--ca-file", root, "--host", "other.test", chain]);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    let out = &text.stdout;
    let error_at = out
        .find("error: hostname_mismatch: ")
        .unwrap_or_else(|| panic!("{out}"));
    let hint_at = out.find("hint: ").unwrap_or_else(|| panic!("{out}"));
    assert!(error_at < hint_at, "the hint follows its error:\n{out}");
    assert!(out.contains("warning: root_sent: "), "{out}");
    assert_eq!(text.stderr, "");
}

// --- exit 2 ------------------------------------------------------------------------------

/// `args` (after `verify`) is input that cannot be used: exit 2 and one line on stderr in
/// text mode; in JSON mode exit 2, the same line on stderr, and one object whose `error` says
/// why.
/// Returns the text-mode line and the JSON error.
fn unusable(args: &[&str]) -> (String, String) {
    let mut text_args = vec!["verify"];
    text_args.extend_from_slice(args);
    let line = usage_error(&text_args);
    assert!(line.starts_with("tlsprobe: "), "{line}");

    let mut json_args = vec!["--json", "verify"];
    json_args.extend_from_slice(args);
    let raw = run(&json_args);
    assert_eq!(raw.code, 2, "{json_args:?}: {}{}", raw.stdout, raw.stderr);
    assert_eq!(
        raw.stderr.trim_end(),
        line,
        "{json_args:?}: the same one line on stderr in JSON mode"
    );
    let (code, r) = verify_json(args);
    assert_eq!(code, 2);
    assert_eq!(r["verification"], Value::Null, "{r:#}");
    let error = r["error"].as_str().expect("error").to_string();
    assert!(!error.is_empty());
    (line, error)
}

#[test]
fn a_chain_file_that_cannot_be_read_is_exit_2() {
    let p = pyramid();
    let missing = p.pki.dir.join("no-such-chain.pem");
    let (line, error) = unusable(&["--ca-file", p.root.pem_str(), utf8(&missing)]);
    assert!(line.contains("no-such-chain.pem"), "{line}");
    assert!(error.contains("no-such-chain.pem"), "{error}");
}

#[test]
fn a_directory_as_chain_is_exit_2() {
    let p = pyramid();
    let (line, error) = unusable(&["--ca-file", p.root.pem_str(), utf8(&p.pki.dir)]);
    assert!(line.contains("directory"), "{line}");
    assert!(error.contains("directory"), "{error}");
}

#[test]
fn a_chain_file_without_a_certificate_is_exit_2() {
    let p = pyramid();
    let junk = p.pki.dir.join("junk.pem");
    std::fs::write(&junk, "this is not a certificate\n").expect("write");
    unusable(&["--ca-file", p.root.pem_str(), utf8(&junk)]);
    // A PEM file with only a key in it.
    unusable(&["--ca-file", p.root.pem_str(), utf8(&p.leaf.key)]);
}

#[test]
fn a_bad_at_is_exit_2() {
    let p = pyramid();
    let (line, error) = unusable(&["--at", "yesterday", &p.chain]);
    assert!(line.contains("--at"), "{line}");
    assert!(error.contains("--at"), "{error}");
}

#[test]
fn a_bad_host_is_exit_2() {
    let p = pyramid();
    unusable(&["--host", "not a host name", &p.chain]);
    unusable(&[
        "--host",
        "two@@example.com",
        "--purpose",
        "client",
        &p.chain,
    ]);
    // An email address names a client, not a server.
    let (_, error) = unusable(&["--host", "user@example.com", &p.chain]);
    assert!(error.contains("--purpose client"), "{error}");
}

#[test]
fn an_unusable_ca_file_or_crl_file_is_exit_2() {
    let p = pyramid();
    let missing = p.pki.dir.join("no-such-roots.pem");
    unusable(&["--ca-file", utf8(&missing), &p.chain]);
    let not_a_crl = p.pki.dir.join("not-a-crl.pem");
    std::fs::write(&not_a_crl, "garbage\n").expect("write");
    unusable(&[
        "--ca-file",
        p.root.pem_str(),
        "--crl-file",
        utf8(&not_a_crl),
        &p.chain,
    ]);
}

#[test]
fn no_chain_at_all_is_a_usage_error() {
    let line = usage_error(&["verify"]);
    assert!(line.contains("CHAIN"), "{line}");
}
