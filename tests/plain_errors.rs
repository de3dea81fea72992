//! Every usage and local error is one plain sentence on stderr (exit 2), with clap's
//! suggestion kept; a probe-time error is plain words in the JSON `error.message`. No library's
//! enum names, byte lists or parse-error words reach a person.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::fixtures::fixtures;
use support::hostile::{answer_bytes, record, server_hello};
use support::{run_json, usage_error};

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// `name` in `dir`, holding `text`.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_mistyped_option_keeps_clap_s_suggestion() {
    assert_eq!(
        usage_error(&["--jsn", "localhost"]),
        "tlsprobe: unknown option '--jsn' (did you mean '--json'?)"
    );
    assert_eq!(
        usage_error(&["--tls13", "localhost"]),
        "tlsprobe: unknown option '--tls13' (did you mean '--tls1.3'?)"
    );
}

#[test]
fn a_negative_number_is_an_invalid_value_not_an_unexpected_argument() {
    assert_eq!(
        usage_error(&["--timeout", "-1", "localhost"]),
        "tlsprobe: invalid --timeout -1: give seconds, more than 0 and at most 86400"
    );
    assert_eq!(
        usage_error(&["--concurrency", "-1", "localhost"]),
        "tlsprobe: invalid --concurrency '-1': give a whole number (see --help)"
    );
}

#[test]
fn a_truncated_pem_names_the_block_not_its_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pem = std::fs::read_to_string(&fixtures().root_pem).expect("root");
    let cut = file(&dir, "cut.pem", &pem[..pem.len() / 2]);
    let line = usage_error(&["--ca-file", s(&cut), "localhost"]);
    assert_eq!(
        line,
        format!(
            "tlsprobe: cannot read --ca-file {}: the CERTIFICATE block that begins on line 1 has no '-----END CERTIFICATE-----' line (is the file cut short?)",
            s(&cut)
        )
    );
}

#[test]
fn a_character_that_is_not_base64_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pem = std::fs::read_to_string(&fixtures().root_pem).expect("root");
    let bad = file(&dir, "bad.pem", &pem.replacen("MII", "MI!", 1));
    let line = usage_error(&["--ca-file", s(&bad), "localhost"]);
    assert_eq!(
        line,
        format!(
            "tlsprobe: cannot read --ca-file {}: line 2 holds '!', which is not base64 (in the CERTIFICATE block that begins on line 1)",
            s(&bad)
        )
    );
}

#[test]
fn an_encrypted_key_says_it_must_be_decrypted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = &fixtures().good.key_pem;
    let cert = &fixtures().good.chain_pem;
    // PKCS#8 (ENCRYPTED PRIVATE KEY), and OpenSSL's traditional form (Proc-Type headers).
    for (name, extra) in [
        ("pkcs8.pem", &[][..]),
        ("traditional.pem", &["-traditional"][..]),
    ] {
        let out = dir.path().join(name);
        let status = Command::new("openssl")
            .args(["pkey", "-in", s(key), "-aes128", "-passout", "pass:secret"])
            .args(extra)
            .args(["-out", s(&out)])
            .status()
            .expect("run openssl");
        assert!(status.success(), "openssl pkey {extra:?}");
        let line = usage_error(&["--cert", s(cert), "--key", s(&out), "localhost"]);
        assert_eq!(
            line,
            format!(
                "tlsprobe: cannot use --key {}: the key is encrypted, and tlsprobe needs it decrypted: write a plain copy with `openssl pkey -in KEY -out plain.pem` and give that",
                s(&out)
            )
        );
    }
}

#[test]
fn a_key_of_another_certificate_is_named_as_such() {
    let f = fixtures();
    let line = usage_error(&[
        "--cert",
        s(&f.good.chain_pem),
        "--key",
        s(&f.good_rsa.key_pem),
        "localhost",
    ]);
    assert_eq!(
        line,
        format!(
            "tlsprobe: --key {} does not belong to --cert {}: the key is not the one the certificate was issued for",
            s(&f.good_rsa.key_pem),
            s(&f.good.chain_pem)
        )
    );
}

#[test]
fn a_bad_send_escape_is_named_with_its_place() {
    assert_eq!(
        usage_error(&["--send", "hello\\xZZ", "localhost"]),
        "tlsprobe: invalid --send escape '\\xZZ' at character 6: \\x takes two hex digits, e.g. \\x0a"
    );
}

#[test]
fn a_version_we_did_not_offer_is_said_in_words() {
    // A TLS 1.2 ServerHello (no supported_versions) to a ClientHello offering only TLS 1.3.
    let addr = answer_bytes(record(22, 0x0303, &server_hello(0xc02f)));
    let target = format!("localhost:{}", addr.port());
    let (code, r) = run_json(&["--tls1.3", "--timeout", "3", &target]);
    assert_eq!(code, 4, "{r:#}");
    assert_eq!(r["error"]["kind"], "protocol_version", "{r:#}");
    let message = r["error"]["message"].as_str().expect("message");
    assert_eq!(
        message,
        "the server chose a TLS version we did not offer after the server's ServerHello"
    );
}
