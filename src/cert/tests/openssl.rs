//! Agreement with the `openssl` command: it reads our PEM and prints the same serial and
//! fingerprint, and certificates only it can make read as expected.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::SystemTime;

use rcgen::SerialNumber;

use super::{key, key_summary, params, self_signed};
use crate::cert::SignatureCheck::{Unsupported, Valid};
use crate::cert::{check_signature, describe, examine, SignatureCheck};

/// Run `openssl ARGS` with `stdin`, and return its standard output; fail the test on error.
fn openssl(args: &[&str], stdin: &str) -> String {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run openssl (is it installed?)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write to openssl");
    let out = child.wait_with_output().expect("openssl output");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("openssl prints text")
}

/// A self-signed certificate (DER) from `openssl req -x509`, with `key_args` choosing the key
/// (`-newkey ...` and `-pkeyopt ...`) and `extra` anything else (`-sigopt ...`).
fn openssl_cert(dir: &Path, key_args: &[&str], extra: &[&str]) -> Vec<u8> {
    let out = dir.join("cert.der");
    let key = dir.join("key.pem");
    let mut args = vec![
        "req",
        "-x509",
        "-nodes",
        "-subj",
        "/CN=openssl.example",
        "-days",
        "30",
    ];
    args.extend_from_slice(key_args);
    args.extend_from_slice(extra);
    let (key, out_s) = (
        key.to_str().expect("utf-8 path"),
        out.to_str().expect("utf-8 path"),
    );
    args.extend_from_slice(&["-keyout", key, "-outform", "DER", "-out", out_s]);
    openssl(&args, "");
    std::fs::read(&out).expect("read the certificate openssl wrote")
}

#[test]
fn openssl_reads_our_pem_and_agrees_on_serial_and_fingerprint() {
    let k = key(&rcgen::PKCS_ECDSA_P256_SHA256);
    for serial in [&[0x80, 0x00, 0x01][..], &[0x00, 0x7f], &[0x12; 20], &[0x01]] {
        let mut p = params("roundtrip.example");
        p.serial_number = Some(SerialNumber::from_slice(serial));
        let d = describe(&self_signed(&p, &k), SystemTime::now());
        let out = openssl(
            &[
                "x509",
                "-noout",
                "-subject",
                "-serial",
                "-fingerprint",
                "-sha256",
            ],
            &d.pem,
        );
        assert!(out.contains("CN = roundtrip.example"), "{out}");
        let field = |name: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(name))
                .unwrap_or_else(|| panic!("no {name} in {out}"))
                .replace(':', "")
                .to_lowercase()
        };
        assert_eq!(field("serial="), d.serial);
        assert_eq!(field("sha256 Fingerprint="), d.sha256);
    }
}

#[test]
fn rsa_pss_keys_read_as_rsa_pss_with_their_size_and_their_signatures_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let der = openssl_cert(
        dir.path(),
        &[
            "-newkey",
            "rsa-pss",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-pkeyopt",
            "rsa_pss_keygen_md:sha256",
            "-pkeyopt",
            "rsa_pss_keygen_mgf1_md:sha256",
            "-pkeyopt",
            "rsa_pss_keygen_saltlen:32",
        ],
        &[],
    );
    let (d, f) = examine(&der, SystemTime::now());
    assert_eq!(d.signature_algorithm, "RSASSA-PSS");
    assert_eq!((d.key.kind.as_str(), d.key.bits), ("RSA-PSS", Some(2048)));
    assert!(d.self_signed);
    assert_eq!(check_signature(&der, &f.spki), SignatureCheck::Valid);
}

#[test]
fn an_rsa_pss_key_never_verifies_a_pkcs1_signature() {
    // RFC 4055 section 1.2: an id-RSASSA-PSS key signs with PSS only. OpenSSL will not make
    // such a certificate, so check a PKCS #1 certificate under its own modulus relabelled
    // id-RSASSA-PSS.
    let dir = tempfile::tempdir().expect("tempdir");
    let der = openssl_cert(dir.path(), &["-newkey", "rsa:2048"], &["-sha256"]);
    let (_, f) = examine(&der, SystemTime::now());
    assert_eq!(check_signature(&der, &f.spki), Valid);
    let rsa_encryption = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let rsassa_pss = [
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
    ];
    // SEQUENCE (0x0122 bytes) { AlgorithmIdentifier, BIT STRING } for a 2048-bit key.
    assert_eq!(f.spki[..4], [0x30, 0x82, 0x01, 0x22]);
    assert_eq!(f.spki[4..19], rsa_encryption);
    let mut relabelled = vec![0x30, 0x82, 0x01, 0x20];
    relabelled.extend_from_slice(&rsassa_pss);
    relabelled.extend_from_slice(&f.spki[19..]);
    assert_eq!(check_signature(&der, &relabelled), SignatureCheck::Invalid);
}

#[test]
fn a_pss_salt_we_cannot_check_still_leaves_a_root_self_signed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let der = openssl_cert(
        dir.path(),
        &["-newkey", "rsa:2048"],
        &[
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:20",
            "-sha256",
        ],
    );
    let (d, f) = examine(&der, SystemTime::now());
    assert_eq!(d.signature_algorithm, "RSASSA-PSS");
    assert_eq!(check_signature(&der, &f.spki), SignatureCheck::Unsupported);
    assert!(d.self_signed, "names and key identifiers agree");
}

#[test]
fn a_1024_bit_rsa_root_is_self_signed_and_shows_its_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let der = openssl_cert(dir.path(), &["-newkey", "rsa:1024"], &["-sha256"]);
    let (d, f) = examine(&der, SystemTime::now());
    assert_eq!((d.key.kind.as_str(), d.key.bits), ("RSA", Some(1024)));
    assert_eq!(d.signature_algorithm, "sha256WithRSAEncryption");
    // x509-parser's verify_signature refuses RSA under 2048 bits; ours checks it.
    assert_eq!(check_signature(&der, &f.spki), SignatureCheck::Valid);
    assert!(d.self_signed);
}

#[test]
fn ed448_dsa_and_other_curves_read_with_their_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    // `req -newkey dsa` needs its parameters made beforehand.
    let dsa_params = dir.path().join("dsa.pem");
    let dsa_params = dsa_params.to_str().expect("utf-8 path");
    openssl(
        &[
            "genpkey",
            "-genparam",
            "-algorithm",
            "DSA",
            "-pkeyopt",
            "dsa_paramgen_bits:2048",
            "-out",
            dsa_params,
        ],
        "",
    );
    let dsa_newkey = format!("dsa:{dsa_params}");
    let cases: [(&[&str], &str, SignatureCheck); 5] = [
        (&["-newkey", "ed448"], "Ed448 456 - ED448", Unsupported),
        (
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
            "EC 256 secp256k1 ecdsa-with-SHA256",
            Valid,
        ),
        (
            &[
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:brainpoolP384r1",
            ],
            "EC 384 brainpoolP384r1 ecdsa-with-SHA256",
            Unsupported,
        ),
        (
            // Explicit curve parameters instead of a name: the size comes from the point.
            &[
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-pkeyopt",
                "ec_param_enc:explicit",
            ],
            "EC 256 - ecdsa-with-SHA256",
            Unsupported,
        ),
        (
            &["-newkey", &dsa_newkey],
            "DSA 2048 - dsa_with_SHA256",
            Unsupported,
        ),
    ];
    for (key_args, want, check) in cases {
        let der = openssl_cert(dir.path(), key_args, &[]);
        let (d, f) = examine(&der, SystemTime::now());
        assert_eq!(key_summary(&d), want);
        assert_eq!(check_signature(&der, &f.spki), check, "{want}");
        assert!(
            d.self_signed,
            "{want}: self-signed even where we cannot check"
        );
    }
}
