//! Certificate Transparency: the SCTs of a real certificate (x509-limbo's
//! `webpki::cryptographydotio-chain` leaf, two SCTs from Let's Encrypt Oak 2023 and Cloudflare
//! Nimbus 2023) against `openssl x509 -text`'s reading of them, their signatures checked with
//! the two logs' published keys (`tests/conformance/ct_logs.json`, v3 log list format), a
//! changed certificate whose SCTs then fail, and the `no_sct` and `ct_policy` warnings of a
//! chain verified against a public store.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::fixtures::fixtures;
use support::{run, verify_json};

fn conformance(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(file)
}

/// The limbo testcase's leaf, its chain (leaf and intermediate) and its root, as PEM files in
/// `dir`, and its validation time.
struct Limbo {
    leaf: PathBuf,
    chain: PathBuf,
    roots: PathBuf,
    at: String,
}

fn limbo(dir: &Path) -> Limbo {
    let suite: Value =
        serde_json::from_slice(&std::fs::read(conformance("limbo.json")).unwrap()).unwrap();
    let tc = suite["testcases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "webpki::cryptographydotio-chain")
        .expect("the testcase");
    let pem = |v: &Value| v.as_str().unwrap().to_string();
    let leaf = pem(&tc["peer_certificate"]);
    let inter: String = tc["untrusted_intermediates"]
        .as_array()
        .unwrap()
        .iter()
        .map(pem)
        .collect();
    let roots: String = tc["trusted_certs"]
        .as_array()
        .unwrap()
        .iter()
        .map(pem)
        .collect();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    Limbo {
        leaf: write("leaf.pem", &leaf),
        chain: write("chain.pem", &format!("{leaf}{inter}")),
        roots: write("roots.pem", &roots),
        at: tc["validation_time"]
            .as_str()
            .unwrap()
            .replace("+00:00", "Z"),
    }
}

/// openssl's SCTs of the certificate in `pem`: (log ID as base64, timestamp as RFC 3339 with
/// milliseconds), from `openssl x509 -text`.
fn openssl_scts(pem: &Path) -> Vec<(String, String)> {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(pem)
        .output()
        .expect("openssl");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut scts = Vec::new();
    let mut lines = text.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        let Some(first) = line.strip_prefix("Log ID    : ") else {
            continue;
        };
        let mut hex = first.to_string();
        while lines.peek().is_some_and(|l| !l.contains(" : ")) {
            hex.push_str(lines.next().unwrap());
        }
        let bytes: Vec<u8> = hex
            .split(':')
            .filter(|h| !h.is_empty())
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect();
        let stamp = lines
            .find_map(|l| l.strip_prefix("Timestamp : "))
            .expect("a timestamp");
        scts.push((data_encoding::BASE64.encode(&bytes), rfc3339(stamp)));
    }
    scts
}

/// openssl's "May 29 19:44:00.979 2023 GMT" as "2023-05-29T19:44:00.979Z".
fn rfc3339(stamp: &str) -> String {
    let parts: Vec<&str> = stamp.split_whitespace().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| *m == parts[0]).unwrap() + 1;
    let day: u32 = parts[1].parse().unwrap();
    format!("{}-{month:02}-{day:02}T{}Z", parts[3], parts[2])
}

fn scts(r: &Value) -> Vec<Value> {
    r["certificates"][0]["sct_list"]
        .as_array()
        .expect("sct_list[]")
        .clone()
}

#[test]
fn a_real_certificates_scts_match_openssl_and_their_signatures_hold() {
    let dir = tempfile::tempdir().unwrap();
    let l = limbo(dir.path());
    let logs = conformance("ct_logs.json");
    let verify = |extra: &[&str]| {
        let mut args = vec!["--ca-file", l.roots.to_str().unwrap(), "--at", &l.at];
        args.extend_from_slice(extra);
        args.push(l.chain.to_str().unwrap());
        verify_json(&args)
    };
    let expected = openssl_scts(&l.leaf);
    assert_eq!(expected.len(), 2, "openssl's SCTs: {expected:?}");

    // Without a log list: read, not judged.
    let (code, r) = verify(&[]);
    assert_eq!(code, 0, "{r:#}");
    let seen: Vec<(String, String)> = scts(&r)
        .iter()
        .map(|s| {
            assert_eq!(s["source"], "certificate");
            assert_eq!(s["version"], "v1");
            assert_eq!(s["signature"], "not_checked");
            assert!(s["log"].is_null());
            (
                s["log_id"].as_str().unwrap().into(),
                s["timestamp"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(seen, expected);
    // The summary of the extension still counts them.
    assert_eq!(r["certificates"][0]["scts"]["count"], 2);

    // With the logs' keys: named, and both signatures over the precertificate hold.
    let (code, r) = verify(&["--ct-log-list", logs.to_str().unwrap()]);
    assert_eq!(code, 0, "{r:#}");
    let judged: Vec<(String, String, String)> = scts(&r)
        .iter()
        .map(|s| {
            let text = |k: &str| s[k].as_str().unwrap_or("").to_string();
            (text("log"), text("operator"), text("signature"))
        })
        .collect();
    assert_eq!(
        judged,
        [
            (
                "Let's Encrypt 'Oak2023' log".into(),
                "Let's Encrypt".into(),
                "valid".into()
            ),
            (
                "Cloudflare 'Nimbus2023' Log".into(),
                "Cloudflare".into(),
                "valid".into()
            ),
        ]
    );
    // --ca-file is no public store: no CT warnings.
    assert_eq!(r["verification"]["warnings"], serde_json::json!([]));
    // In words, under cert (its issuer follows it in the file).
    let text = run(&[
        "cert",
        "--ct-log-list",
        logs.to_str().unwrap(),
        l.chain.to_str().unwrap(),
    ]);
    assert!(
        text.stdout.contains("sct       2023-05-29T19:44:00.979Z Let's Encrypt 'Oak2023' log (Let's Encrypt), from the certificate: signature valid"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_changed_certificate_fails_its_scts_and_unknown_logs_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let l = limbo(dir.path());
    let logs = conformance("ct_logs.json");
    // One byte of the subject's CN changed (cryptography.io -> cryptographz.io): the CA's
    // signature and both SCTs' no longer hold.
    let pems = std::fs::read_to_string(&l.chain).unwrap();
    let mut ders: Vec<Vec<u8>> = rustls_pemfile_certs(&pems);
    let at = ders[0]
        .windows(15)
        .position(|w| w == b"cryptography.io")
        .expect("the name in the leaf");
    ders[0][at + 11] = b'z';
    let changed = dir.path().join("changed.pem");
    let pem: String = ders.iter().map(|d| to_pem(d)).collect();
    std::fs::write(&changed, pem).unwrap();
    let cert = |extra: &[&str]| -> Value {
        let mut args = vec!["--json", "cert"];
        args.extend_from_slice(extra);
        args.push(changed.to_str().unwrap());
        let r = run(&args);
        serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap()
    };
    let r = cert(&["--ct-log-list", logs.to_str().unwrap()]);
    let verdicts: Vec<String> = scts(&r)
        .iter()
        .map(|s| s["signature"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(verdicts, ["invalid", "invalid"], "{r:#}");
    // A list that lacks one of the logs.
    let mut list: Value = serde_json::from_slice(&std::fs::read(&logs).unwrap()).unwrap();
    list["operators"].as_array_mut().unwrap().remove(1);
    let one = dir.path().join("one.json");
    std::fs::write(&one, list.to_string()).unwrap();
    let r = run(&[
        "--json",
        "cert",
        "--ct-log-list",
        one.to_str().unwrap(),
        l.chain.to_str().unwrap(),
    ]);
    let r: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let verdicts: Vec<String> = scts(&r)
        .iter()
        .map(|s| s["signature"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(verdicts, ["valid", "unknown_log"]);
    // A list whose ID is not its key's hash is refused, in one line.
    let mut bad = list.clone();
    bad["operators"][0]["logs"][0]["log_id"] =
        Value::from("ejKMVNi3LbYg6jjgUh7phBZwMhOFTTvSK8E6V6NS61I=");
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();
    let line = support::usage_error(&[
        "cert",
        "--ct-log-list",
        bad_path.to_str().unwrap(),
        l.leaf.to_str().unwrap(),
    ]);
    assert!(
        line.contains("its log_id is not the SHA-256 of its key"),
        "{line}"
    );
}

fn rustls_pemfile_certs(pem: &str) -> Vec<Vec<u8>> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes())
        .map(|c| c.unwrap().to_vec())
        .collect()
}

fn to_pem(der: &[u8]) -> String {
    let b64 = data_encoding::BASE64.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[test]
fn a_public_store_warns_of_no_sct_and_of_the_ct_policy() {
    let dir = tempfile::tempdir().unwrap();
    let l = limbo(dir.path());
    let f = fixtures();
    // The system store is what SSL_CERT_FILE names (rustls-native-certs reads it).
    let system = |roots: &Path, extra: &[&str], chain: &Path| -> Value {
        let mut args = vec!["--json", "verify", "--system-roots"];
        args.extend_from_slice(extra);
        args.push(chain.to_str().unwrap());
        let out = support::tlsprobe()
            .args(&args)
            .env("SSL_CERT_FILE", roots)
            .env_remove("SSL_CERT_DIR")
            .output()
            .unwrap();
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        support::assert_valid_as(&r, "chain_report");
        assert_eq!(r["verification"]["trust_store"], "system", "{r:#}");
        assert_eq!(r["verification"]["verified"], true, "{r:#}");
        r
    };
    let codes = |r: &Value| -> Vec<String> {
        r["verification"]["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_string())
            .collect()
    };
    // No SCT at all.
    let r = system(&f.root_pem, &[], &f.good.chain_pem);
    assert!(codes(&r).contains(&"no_sct".to_string()), "{r:#}");
    // Two SCTs for a 90-day certificate, from two operators: as the policies ask.
    let logs = conformance("ct_logs.json");
    let at = ["--at", l.at.as_str()];
    let with =
        |list: &Path| [at[0], at[1], "--ct-log-list", list.to_str().unwrap()].map(String::from);
    let args = with(&logs);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = system(&l.roots, &args, &l.chain);
    assert_eq!(codes(&r), Vec::<String>::new(), "{r:#}");
    // The same two logs run by one operator: too few operators.
    let mut list: Value = serde_json::from_slice(&std::fs::read(&logs).unwrap()).unwrap();
    let moved = list["operators"][1]["logs"][0].clone();
    list["operators"][0]["logs"]
        .as_array_mut()
        .unwrap()
        .push(moved);
    list["operators"].as_array_mut().unwrap().truncate(1);
    let one = dir.path().join("one-operator.json");
    std::fs::write(&one, list.to_string()).unwrap();
    let args = with(&one);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = system(&l.roots, &args, &l.chain);
    assert_eq!(codes(&r), ["ct_policy"], "{r:#}");
    let message = r["verification"]["warnings"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("1 log operator"), "{message}");
}
