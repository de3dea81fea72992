//! SCTs delivered beside the certificate (RFC 6962 §3.3), signed by test logs over the leaf as
//! served (entry type x509):
//! - in a stapled OCSP response: one signed by the fixtures' intermediate, whose
//!   SingleResponse carries the SCT list extension (1.3.6.1.4.1.11129.2.4.5). `openssl ocsp`
//!   checks the response and reads the SCTs out of it; openssl s_server staples it;
//! - in the TLS `signed_certificate_timestamp` extension: openssl s_server's `-serverinfo`
//!   sends it in a TLS 1.2 ServerHello to a client that asks, as `openssl s_client
//!   -serverinfo 18` shows.
//!
//! The probe must read the same SCTs, with their source, and check each signature against the
//! log list.

mod support;

use std::path::Path;
use std::process::Command;

use aws_lc_rs::digest::{digest, SHA1_FOR_LEGACY_USE_ONLY, SHA256};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde_json::{json, Value};
use support::fixtures::fixtures;
use x509_parser::prelude::{FromDer, X509Certificate};

/// `tag`, the DER length of `body`, `body`.
fn der(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(body);
    out
}

const SEQ: u8 = 0x30;
const OCTETS: u8 = 0x04;
const OID: u8 = 0x06;

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    der(SEQ, &parts.concat())
}

fn generalized(unix: i64) -> Vec<u8> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).unwrap();
    let s = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    der(0x18, s.as_bytes())
}

/// A test CT log: its key, its SubjectPublicKeyInfo and its log ID.
struct Log {
    key: EcdsaKeyPair,
    spki: Vec<u8>,
    id: [u8; 32],
}

fn log() -> Log {
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &SystemRandom::new())
        .unwrap();
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref()).unwrap();
    // id-ecPublicKey, prime256v1.
    let algorithm = seq(&[
        &der(OID, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
        &der(OID, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
    ]);
    let bits = [&[0u8][..], key.public_key().as_ref()].concat();
    let spki = seq(&[&algorithm, &der(0x03, &bits)]);
    let id = digest(&SHA256, &spki).as_ref().try_into().unwrap();
    Log { key, spki, id }
}

/// An SCT (RFC 6962 §3.2) from `log` at `ms` over the certificate `leaf` as served; with
/// `wrong`, signed over other bytes.
fn sct(log: &Log, ms: u64, leaf: &[u8], wrong: bool) -> Vec<u8> {
    let mut signed = vec![0, 0];
    signed.extend_from_slice(&ms.to_be_bytes());
    signed.extend_from_slice(&[0, 0]);
    let len = leaf.len();
    signed.extend_from_slice(&[(len >> 16) as u8, (len >> 8) as u8, len as u8]);
    signed.extend_from_slice(leaf);
    signed.extend_from_slice(&[0, 0]);
    if wrong {
        signed[2] ^= 1;
    }
    let signature = log.key.sign(&SystemRandom::new(), &signed).unwrap();
    let mut out = vec![0];
    out.extend_from_slice(&log.id);
    out.extend_from_slice(&ms.to_be_bytes());
    out.extend_from_slice(&[0, 0, 4, 3]);
    out.extend_from_slice(&(signature.as_ref().len() as u16).to_be_bytes());
    out.extend_from_slice(signature.as_ref());
    out
}

fn pem_der(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&text).unwrap();
    pem.contents
}

/// A TLS-encoded SignedCertificateTimestampList of `scts`.
fn tls_list(scts: &[Vec<u8>]) -> Vec<u8> {
    let mut list = Vec::new();
    for s in scts {
        list.extend_from_slice(&(s.len() as u16).to_be_bytes());
        list.extend_from_slice(s);
    }
    [&(list.len() as u16).to_be_bytes()[..], &list].concat()
}

/// A good OCSPResponse for `leaf` (issued by `issuer`), signed with `issuer_key` (PKCS#8),
/// whose SingleResponse carries `scts` in the SCT list extension.
fn staple(leaf: &[u8], issuer: &[u8], issuer_key: &[u8], scts: &[Vec<u8>]) -> Vec<u8> {
    let (_, leaf_cert) = X509Certificate::from_der(leaf).unwrap();
    let (_, issuer_cert) = X509Certificate::from_der(issuer).unwrap();
    let sha1 = |b: &[u8]| digest(&SHA1_FOR_LEGACY_USE_ONLY, b).as_ref().to_vec();
    let cert_id = seq(&[
        &seq(&[&der(OID, &[0x2b, 0x0e, 0x03, 0x02, 0x1a]), &[0x05, 0x00]]),
        &der(OCTETS, &sha1(issuer_cert.subject().as_raw())),
        &der(
            OCTETS,
            &sha1(&issuer_cert.public_key().subject_public_key.data),
        ),
        &der(0x02, leaf_cert.raw_serial()),
    ]);
    let list = tls_list(scts);
    let sct_oid = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x05];
    let extension = seq(&[&der(OID, &sct_oid), &der(OCTETS, &der(OCTETS, &list))]);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let single = seq(&[
        &cert_id,
        &[0x80, 0x00],
        &generalized(now - 3600),
        &der(0xa0, &generalized(now + 86_400)),
        &der(0xa1, &seq(&[&extension])),
    ]);
    let tbs = seq(&[
        &der(0xa1, issuer_cert.subject().as_raw()),
        &generalized(now - 60),
        &seq(&[&single]),
    ]);
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, issuer_key).unwrap();
    let signature = key.sign(&SystemRandom::new(), &tbs).unwrap();
    let ecdsa_sha256 = seq(&[&der(OID, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])]);
    let basic = seq(&[
        &tbs,
        &ecdsa_sha256,
        &der(0x03, &[&[0u8][..], signature.as_ref()].concat()),
    ]);
    let basic_oid = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];
    let bytes = seq(&[&der(OID, &basic_oid), &der(OCTETS, &basic)]);
    seq(&[&der(0x0a, &[0]), &der(0xa0, &bytes)])
}

/// A v3 log list naming `logs`, each run by its own operator.
fn log_list(logs: &[(&str, &Log)]) -> Value {
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    json!({
        "version": "test",
        "operators": logs.iter().map(|(name, l)| json!({
            "name": format!("{name} operator"),
            "logs": [{ "description": name, "log_id": b64(&l.id), "key": b64(&l.spki) }],
        })).collect::<Vec<_>>(),
    })
}

/// `openssl ocsp -resp_text` on `response`, checked against the fixtures' root: its text, and
/// whether it said the response verifies.
fn openssl_reads(dir: &Path, response: &Path) -> (String, bool) {
    let f = fixtures();
    let out = Command::new("openssl")
        .args(["ocsp", "-resp_text", "-respin"])
        .arg(response)
        .arg("-issuer")
        .arg(&f.inter_pem)
        .arg("-CAfile")
        .arg(&f.root_pem)
        .current_dir(dir)
        .output()
        .expect("openssl");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let verified = all.contains("Response verify OK");
    (all, verified)
}

/// The upper-case colon-separated hex openssl prints a log ID in, unwrapped.
fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[test]
fn scts_in_the_ocsp_staple_are_read_and_their_signatures_checked() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let leaf = f.good.certs[0].as_ref();
    let (honest, liar, unlisted) = (log(), log(), log());
    let t0 = 1_764_979_200_123u64;
    let scts = [
        sct(&honest, t0, leaf, false),
        sct(&liar, t0 + 1, leaf, true),
        sct(&unlisted, t0 + 2, leaf, false),
    ];
    let response = staple(
        leaf,
        &pem_der(&f.inter_pem),
        &pem_der(&f.inter_key_pem),
        &scts,
    );
    let path = dir.path().join("staple.der");
    std::fs::write(&path, &response).unwrap();

    // openssl believes the response and finds the three SCTs in it.
    let (text, verified) = openssl_reads(dir.path(), &path);
    assert!(verified, "{text}");
    let unwrapped: String = text.lines().map(str::trim).collect::<Vec<_>>().join("");
    for l in [&honest, &liar, &unlisted] {
        assert!(
            unwrapped.contains(&colon_hex(&l.id)),
            "{} not in {text}",
            colon_hex(&l.id)
        );
    }

    let logs = dir.path().join("logs.json");
    std::fs::write(
        &logs,
        log_list(&[("Honest test log", &honest), ("Liar test log", &liar)]).to_string(),
    )
    .unwrap();
    let server = support::openssl::s_server(&f.good, &["-status_file", path.to_str().unwrap()]);
    let target = format!("localhost:{}", server.port());
    let root = f.root_pem.to_str().unwrap();
    let logs = logs.to_str().unwrap();
    let (code, r) = support::run_json(&["--ca-file", root, "--ct-log-list", logs, &target]);
    assert_eq!(r["protocol"]["ocsp_staple"]["status"], "good", "{r:#}");
    assert_eq!(code, 0, "{r:#}");
    let list = r["certificates"][0]["sct_list"].as_array().unwrap();
    let b64 = |l: &Log| data_encoding::BASE64.encode(&l.id);
    let seen: Vec<(&str, &str, &str, &str)> = list
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap(),
                s["log_id"].as_str().unwrap(),
                s["timestamp"].as_str().unwrap(),
                s["signature"].as_str().unwrap(),
            )
        })
        .collect();
    let (a, b, c) = (b64(&honest), b64(&liar), b64(&unlisted));
    assert_eq!(
        seen,
        [
            ("ocsp", &a[..], "2025-12-06T00:00:00.123Z", "valid"),
            ("ocsp", &b[..], "2025-12-06T00:00:00.124Z", "invalid"),
            ("ocsp", &c[..], "2025-12-06T00:00:00.125Z", "unknown_log"),
        ],
        "{r:#}"
    );
    assert_eq!(list[0]["log"], "Honest test log");
    assert_eq!(list[0]["operator"], "Honest test log operator");
    assert_eq!(list[2]["log"], Value::Null);

    // The text view says where each came from.
    let text = support::run(&[
        "--color",
        "never",
        "-v",
        "--ca-file",
        root,
        "--ct-log-list",
        logs,
        &target,
    ]);
    assert!(
        text.stdout.contains(
            "sct       2025-12-06T00:00:00.123Z Honest test log (Honest test log operator), from the OCSP staple: signature valid"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("from the OCSP staple: signature INVALID"),
        "{}",
        text.stdout
    );
}

/// `(source, log_id, timestamp, signature)` of each of the leaf's SCTs.
fn sct_rows(r: &Value) -> Vec<(String, String, String, String)> {
    r["certificates"][0]["sct_list"]
        .as_array()
        .expect("sct_list[]")
        .iter()
        .map(|s| {
            let f = |k: &str| s[k].as_str().unwrap().to_string();
            (f("source"), f("log_id"), f("timestamp"), f("signature"))
        })
        .collect()
}

#[test]
fn scts_in_the_tls_extension_are_asked_for_read_and_checked() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let leaf = f.good.certs[0].as_ref();
    let (honest, liar) = (log(), log());
    let t0 = 1_764_979_200_500u64;
    let list = tls_list(&[
        sct(&honest, t0, leaf, false),
        sct(&liar, t0 + 1, leaf, true),
    ]);
    // openssl's serverinfo: extension type, length, body, for a TLS 1.2 ServerHello.
    let mut info = 18u16.to_be_bytes().to_vec();
    info.extend_from_slice(&(list.len() as u16).to_be_bytes());
    info.extend_from_slice(&list);
    let pem = format!(
        "-----BEGIN SERVERINFO FOR localhost-----\n{}\n-----END SERVERINFO FOR localhost-----\n",
        data_encoding::BASE64.encode(&info)
    );
    // (openssl reads base64 on one line of any length.)
    let serverinfo = dir.path().join("serverinfo.pem");
    std::fs::write(&serverinfo, pem).unwrap();
    let server =
        support::openssl::s_server(&f.good, &["-serverinfo", serverinfo.to_str().unwrap()]);
    let target = format!("localhost:{}", server.port());

    // openssl s_client, asking as we do, is sent the extension with the list we gave.
    let out = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &target,
            "-tls1_2",
            "-serverinfo",
            "18",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("openssl s_client");
    let seen = String::from_utf8_lossy(&out.stdout);
    let block: String = seen
        .lines()
        .skip_while(|l| *l != "-----BEGIN SERVERINFO FOR EXTENSION 18-----")
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    assert_eq!(
        data_encoding::BASE64.decode(block.as_bytes()).ok(),
        Some(info),
        "{seen}"
    );

    let logs = dir.path().join("logs.json");
    std::fs::write(
        &logs,
        log_list(&[("Honest test log", &honest), ("Liar test log", &liar)]).to_string(),
    )
    .unwrap();
    let root = f.root_pem.to_str().unwrap();
    let logs = logs.to_str().unwrap();
    // The probe itself negotiates TLS 1.3; its own TLS 1.2 hello asks for the SCTs.
    let (code, r) = support::run_json(&["--ca-file", root, "--ct-log-list", logs, &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["version"], "TLSv1.3", "{r:#}");
    let b64 = |l: &Log| data_encoding::BASE64.encode(&l.id);
    let row = |l: &Log, at: &str, verdict: &str| {
        (
            "tls_extension".to_string(),
            b64(l),
            at.to_string(),
            verdict.to_string(),
        )
    };
    assert_eq!(
        sct_rows(&r),
        [
            row(&honest, "2025-12-06T00:00:00.500Z", "valid"),
            row(&liar, "2025-12-06T00:00:00.501Z", "invalid"),
        ],
        "{r:#}"
    );

    // Without --ct-log-list, and with the chain trusted by the user's own CA, the SCTs do
    // not matter: no second connection asks for them.
    let (code, r) = support::run_json(&["--ca-file", root, &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(sct_rows(&r), [], "{r:#}");
}
