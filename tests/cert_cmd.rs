//! `tlsprobe cert FILE...`: local certificates through the same view.

mod support;

use serde_json::Value;
use support::fixtures::fixtures;
use support::run;

fn cert_file_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let wrapper = serde_json::json!({"$ref": "#/$defs/cert_file", "$defs": schema["$defs"]});
    jsonschema::validator_for(&wrapper).unwrap()
}

#[test]
fn pem_and_der_files_in_text_and_json() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let der = dir.path().join("leaf.der");
    std::fs::write(&der, &f.good.certs[0]).unwrap();
    let chain = f.good.chain_pem.to_str().unwrap();

    let r = run(&["--json", "cert", chain, der.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let v = cert_file_validator();
    for l in &lines {
        assert!(v.is_valid(l), "{l:#}");
    }
    assert_eq!(lines[0]["certificates"].as_array().unwrap().len(), 2);
    assert_eq!(
        lines[0]["certificates"][1]["subject"],
        "CN=tlsprobe test intermediate"
    );
    assert_eq!(lines[1]["certificates"][0]["subject"], "CN=localhost");
    assert_eq!(
        lines[1]["certificates"][0]["sha256"],
        lines[0]["certificates"][0]["sha256"]
    );
    assert_eq!(lines[1]["error"], Value::Null);

    let text = run(&["cert", chain]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("CN=localhost") && text.stdout.contains("days left"),
        "{}",
        text.stdout
    );
}

#[test]
fn unreadable_or_invalid_files_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let r = run(&["--json", "cert", "/nonexistent.pem", junk.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one object per file, whatever happened");
    assert!(lines[0]["error"].as_str().unwrap().contains("cannot read"));
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("neither PEM nor"));
    let v = cert_file_validator();
    assert!(lines.iter().all(|l| v.is_valid(l)));
}

#[test]
fn a_host_named_cert_is_still_a_target() {
    // `cert:PORT` is a target, not the subcommand: it is probed (and, here, refused).
    let port = support::closed_port();
    let r = run(&["--json", "--timeout", "5", &format!("cert:{port}")]);
    let report: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    support::assert_valid(&report);
    assert_eq!(report["target"]["host"], "cert");
    assert_eq!(report["target"]["port"], port);
    assert_eq!(r.code, 3);
}

/// `openssl ARGS` in `dir`; its stdout. Fails the test when openssl fails.
fn openssl(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A CA (`ca.pem`, `ca.key`) and a leaf it signed (`leaf.pem`) with every extension the view
/// names, SHA-1 signed on a 1024-bit RSA key, so both weak-algorithm findings apply.
fn weak_leaf_with_extensions(dir: &std::path::Path) {
    std::fs::write(
        dir.join("ext.cnf"),
        "[x]\nbasicConstraints = critical,CA:TRUE,pathlen:0\n\
         keyUsage = critical,digitalSignature,keyCertSign\n\
         extendedKeyUsage = serverAuth,clientAuth\n\
         authorityInfoAccess = OCSP;URI:http://ocsp.example/,caIssuers;URI:http://ca.example/ca.der\n\
         crlDistributionPoints = URI:http://crl.example/ca.crl\n\
         certificatePolicies = 2.23.140.1.2.1\n\
         nameConstraints = critical,permitted;DNS:example.com,excluded;IP:10.0.0.0/255.0.0.0\n\
         subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n\
         subjectAltName = DNS:www.example.com\n\
         1.2.3.4.5 = critical,DER:05:00\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=weak test CA",
            "-days",
            "30",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "rsa:1024",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=www.example.com",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "-0x04316693ED",
            "-sha1",
            "-days",
            "30",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "x",
            "-out",
            "leaf.pem",
        ],
    );
}

#[test]
fn extensions_pin_and_weak_algorithms_in_json_and_text() {
    let dir = tempfile::tempdir().unwrap();
    weak_leaf_with_extensions(dir.path());
    let leaf = dir.path().join("leaf.pem");
    let leaf = leaf.to_str().unwrap();

    let (code, lines) = cert_json(&["cert", leaf]);
    assert_eq!(code, 0, "weak algorithms are findings, not errors");
    let file = &lines[0];
    support::assert_valid_as(file, "cert_file");
    let c = &file["certificates"][0];
    assert_eq!(
        c["serial"], "-04316693ed",
        "negative, as openssl -serial prints it"
    );
    assert_eq!(
        c["key_usage"],
        serde_json::json!(["digitalSignature", "keyCertSign"])
    );
    assert_eq!(
        c["extended_key_usage"],
        serde_json::json!(["serverAuth", "clientAuth"])
    );
    assert_eq!(
        c["basic_constraints"],
        serde_json::json!({"ca": true, "path_len": 0})
    );
    assert_eq!(
        c["authority_info_access"],
        serde_json::json!({"ocsp": ["http://ocsp.example/"], "ca_issuers": ["http://ca.example/ca.der"], "other": []})
    );
    assert_eq!(
        c["crl_distribution_points"],
        serde_json::json!(["http://crl.example/ca.crl"])
    );
    assert_eq!(
        c["certificate_policies"],
        serde_json::json!([{"oid": "2.23.140.1.2.1", "cps": []}])
    );
    assert_eq!(
        c["name_constraints"],
        serde_json::json!({"permitted": ["example.com"], "excluded": ["10.0.0.0/8"]})
    );
    assert_eq!(c["scts"], Value::Null);
    assert_eq!(c["subject_key_id"].as_str().unwrap().len(), 40);
    assert!(c["authority_key_id"].is_string());
    let unknown: Vec<&Value> = c["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"].is_null())
        .collect();
    assert_eq!(
        unknown,
        [
            &serde_json::json!({"oid": "1.2.3.4.5", "name": null, "critical": true, "malformed": false})
        ]
    );
    let codes: Vec<&str> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["weak_signature", "weak_key"], "{file:#}");

    // The pin is what curl's --pinnedpubkey takes, computed as curl's documentation says.
    let spki = openssl(
        dir.path(),
        &["x509", "-in", "leaf.pem", "-pubkey", "-noout"],
    );
    std::fs::write(dir.path().join("pub.pem"), spki).unwrap();
    let der = openssl(
        dir.path(),
        &["pkey", "-pubin", "-in", "pub.pem", "-outform", "der"],
    );
    std::fs::write(dir.path().join("pub.der"), der).unwrap();
    let digest = openssl(dir.path(), &["dgst", "-sha256", "-binary", "pub.der"]);
    let pin = data_encoding::BASE64.encode(&digest);
    assert_eq!(c["pin_sha256"], pin.as_str());

    let text = run(&["cert", leaf]);
    assert_eq!(text.code, 0);
    for words in [
        &format!("pin-sha256 {pin}") as &str,
        "key usage              digital signature, certificate signing [critical]",
        "extended key usage     TLS server, TLS client",
        "basic constraints      a CA, path length 0",
        "OCSP responder         http://ocsp.example/",
        "CA issuers             http://ca.example/ca.der",
        "CRL                    http://crl.example/ca.crl",
        "policies               2.23.140.1.2.1 (domain validated)",
        "permitted names        example.com",
        "excluded names         10.0.0.0/8",
        "1.2.3.4.5              unknown extension [critical]",
        "weak      weak_signature",
        "weak      weak_key",
        "serial    -04316693ed",
    ] {
        assert!(text.stdout.contains(words), "{words:?} in\n{}", text.stdout);
    }
    assert!(!text.stdout.contains("BEGIN CERTIFICATE"));
    let verbose = run(&["cert", "-v", leaf]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(
        verbose.stdout.contains("[critical, 2.5.29.15]")
            && verbose.stdout.contains("BEGIN CERTIFICATE")
    );
}

#[test]
fn standard_input_and_every_openssl_label() {
    let f = fixtures();
    let pem = std::fs::read_to_string(&f.good.chain_pem).unwrap();
    let out = support::tlsprobe()
        .args(["--json", "cert", "-"])
        .write_stdin(pem.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    support::assert_valid_as(&from_stdin, "cert_file");
    assert_eq!(from_stdin["file"], "-");
    assert_eq!(from_stdin["certificates"].as_array().unwrap().len(), 2);

    // X509 CERTIFICATE, and TRUSTED CERTIFICATE with OpenSSL's trust settings after it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chain.pem"), &pem).unwrap();
    let trusted = openssl(
        dir.path(),
        &[
            "x509",
            "-in",
            "chain.pem",
            "-trustout",
            "-addtrust",
            "serverAuth",
        ],
    );
    let trusted = String::from_utf8(trusted).unwrap();
    assert!(trusted.contains("BEGIN TRUSTED CERTIFICATE"));
    let old = pem.replace("CERTIFICATE-----", "X509 CERTIFICATE-----");
    let both = dir.path().join("labels.pem");
    std::fs::write(&both, format!("{trusted}{old}")).unwrap();
    let (code, lines) = cert_json(&["cert", both.to_str().unwrap()]);
    assert_eq!(code, 0, "{lines:?}");
    let certs = lines[0]["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 3);
    let first = &from_stdin["certificates"][0]["sha256"];
    assert_eq!(
        &certs[0]["sha256"], first,
        "the trust settings are not part of it"
    );
    assert_eq!(&certs[1]["sha256"], first);
}

#[test]
fn an_unparseable_certificate_exits_2_with_the_error_set() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.pem");
    // A SEQUENCE that is no certificate, in a CERTIFICATE block.
    std::fs::write(
        &bad,
        "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let (code, lines) = cert_json(&["cert", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    support::assert_valid_as(&lines[0], "cert_file");
    let error = lines[0]["error"].as_str().unwrap();
    assert!(error.contains("does not parse"), "{error}");
    assert_eq!(lines[0]["certificates"].as_array().unwrap().len(), 1);

    let cut = dir.path().join("cut.pem");
    std::fs::write(&cut, "-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
    let text = run(&["cert", cut.to_str().unwrap()]);
    assert_eq!(text.code, 2);
    assert!(
        text.stdout
            .contains("line 1: the CERTIFICATE block has no END line"),
        "{}",
        text.stdout
    );
}

/// `tlsprobe --json ARGS`: the exit code and one object per line, each checked against
/// `$defs/cert_file`.
fn cert_json(args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(&all);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    for l in &lines {
        support::assert_valid_as(l, "cert_file");
    }
    (r.code, lines)
}
