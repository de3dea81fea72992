//! `tlsprobe cert`'s view of a certificate compared with `openssl x509`'s, certificate by
//! certificate, on a corpus: the system trust store (Debian's ca-certificates: Mozilla's
//! roots), every certificate of the x509-limbo testcases (`tests/conformance/limbo.json`),
//! and certificates made here by `openssl` for the cases those lack (negative serials, T61,
//! BMP and Universal strings, curves outside the main list, unknown critical extensions).
//!
//! For each: subject and issuer (`-nameopt utf8,sep_comma_plus_space,sname`), serial, key
//! size and curve, the SPKI pin (from `-pubkey`), and the extensions present with their
//! criticality (from `-text`). No internet; one `openssl` run per certificate, two at a time.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use tlsprobe::report::{Certificate, ExtensionName};

/// What `openssl x509` says of one certificate.
#[derive(Debug, Default)]
struct OpensslView {
    subject: String,
    issuer: String,
    serial: String,
    bits: Option<u32>,
    /// `ASN1 OID:` and `NIST CURVE:`, as given.
    curves: Vec<String>,
    /// Null when OpenSSL cannot decode the key (`-pubkey` fails).
    pin: Option<String>,
    /// Each extension's heading and whether it says `critical`.
    extensions: Vec<(String, bool)>,
}

/// `openssl x509`'s view, or None when it cannot read the certificate. A key it cannot
/// decode makes `-pubkey` fail: then the rest is read without it.
fn openssl_view(pem: &str) -> Option<OpensslView> {
    run_openssl(pem, true).or_else(|| run_openssl(pem, false))
}

fn run_openssl(pem: &str, pubkey: bool) -> Option<OpensslView> {
    let mut args = vec![
        "x509",
        "-noout",
        "-nameopt",
        "utf8,sep_comma_plus_space,sname",
        "-serial",
        "-subject",
        "-issuer",
        "-text",
    ];
    if pubkey {
        args.push("-pubkey");
    }
    let mut child = Command::new("openssl")
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run openssl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pem.as_bytes())
        .expect("write to openssl");
    let out = child.wait_with_output().expect("openssl output");
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut v = OpensslView::default();
    let mut in_extensions = false;
    let mut key_b64 = String::new();
    let mut in_pubkey = false;
    for line in text.lines() {
        if let Some(s) = line.strip_prefix("serial=") {
            v.serial = s.to_lowercase();
        } else if let Some(s) = line.strip_prefix("subject=") {
            v.subject = s.to_string();
        } else if let Some(s) = line.strip_prefix("issuer=") {
            v.issuer = s.to_string();
        } else if line == "-----BEGIN PUBLIC KEY-----" {
            in_pubkey = true;
        } else if line == "-----END PUBLIC KEY-----" {
            in_pubkey = false;
        } else if in_pubkey {
            key_b64.push_str(line);
        } else if let Some(rest) = line.trim().strip_prefix("Public-Key: (") {
            v.bits = rest.split(' ').next().and_then(|b| b.parse().ok());
        } else if let Some(c) = line.trim().strip_prefix("NIST CURVE: ") {
            v.curves.push(c.to_string());
        } else if let Some(c) = line.trim().strip_prefix("ASN1 OID: ") {
            v.curves.push(c.to_string());
        } else if line.trim() == "X509v3 extensions:" {
            in_extensions = true;
        } else if in_extensions && !line.starts_with("        ") {
            in_extensions = false;
        } else if in_extensions
            && line.starts_with("            ")
            && !line.starts_with("             ")
        {
            let head = line.trim();
            let (name, critical) = match head.strip_suffix(": critical") {
                Some(n) => (n, true),
                None => (head.strip_suffix(':').unwrap_or(head), false),
            };
            v.extensions.push((name.to_string(), critical));
        }
    }
    if pubkey {
        let spki = data_encoding::BASE64.decode(key_b64.as_bytes()).ok()?;
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &spki);
        v.pin = Some(data_encoding::BASE64.encode(digest.as_ref()));
    }
    Some(v)
}

/// OpenSSL's heading for an extension we name.
fn openssl_heading(name: ExtensionName) -> &'static str {
    use ExtensionName as N;
    match name {
        N::SubjectKeyIdentifier => "X509v3 Subject Key Identifier",
        N::KeyUsage => "X509v3 Key Usage",
        N::SubjectAltName => "X509v3 Subject Alternative Name",
        N::IssuerAltName => "X509v3 Issuer Alternative Name",
        N::BasicConstraints => "X509v3 Basic Constraints",
        N::NameConstraints => "X509v3 Name Constraints",
        N::CrlDistributionPoints => "X509v3 CRL Distribution Points",
        N::CertificatePolicies => "X509v3 Certificate Policies",
        N::PolicyMappings => "X509v3 Policy Mappings",
        N::AuthorityKeyIdentifier => "X509v3 Authority Key Identifier",
        N::PolicyConstraints => "X509v3 Policy Constraints",
        N::ExtendedKeyUsage => "X509v3 Extended Key Usage",
        N::FreshestCrl => "X509v3 Freshest CRL",
        N::InhibitAnyPolicy => "X509v3 Inhibit Any Policy",
        N::AuthorityInfoAccess => "Authority Information Access",
        N::SubjectInfoAccess => "Subject Information Access",
        N::SubjectDirectoryAttributes => "X509v3 Subject Directory Attributes",
        N::SignedCertificateTimestamps => "CT Precertificate SCTs",
        N::PrecertificatePoison => "CT Precertificate Poison",
        N::TlsFeature => "TLS Feature",
        N::OcspNoCheck => "OCSP No Check",
        N::NetscapeCertType => "Netscape Cert Type",
        N::NetscapeComment => "Netscape Comment",
    }
}

/// Where ours and openssl's differ, one word each; empty when they agree.
fn differences(ours: &Certificate, theirs: &OpensslView) -> Vec<String> {
    let mut out = Vec::new();
    if ours.subject != theirs.subject {
        out.push(format!(
            "subject {:?} vs {:?}",
            ours.subject, theirs.subject
        ));
    }
    if ours.issuer != theirs.issuer {
        out.push(format!("issuer {:?} vs {:?}", ours.issuer, theirs.issuer));
    }
    if ours.serial != theirs.serial {
        out.push(format!("serial {} vs {}", ours.serial, theirs.serial));
    }
    if theirs.bits.is_some() && ours.key.bits != theirs.bits {
        out.push(format!("bits {:?} vs {:?}", ours.key.bits, theirs.bits));
    }
    if let Some(a) = &ours.key.curve {
        if !theirs.curves.is_empty() && !theirs.curves.contains(a) {
            out.push(format!("curve {a} vs {:?}", theirs.curves));
        }
    }
    if let Some(pin) = theirs.pin.as_ref().filter(|p| **p != ours.pin_sha256) {
        out.push(format!("pin {} vs {pin}", ours.pin_sha256));
    }
    let ext: Vec<(String, bool)> = ours
        .extensions
        .iter()
        .map(|e| {
            let heading = e
                .name
                .map_or(e.oid.clone(), |n| openssl_heading(n).to_string());
            (heading, e.critical)
        })
        .collect();
    let same_count = ext.len() == theirs.extensions.len();
    let agree = same_count
        && ext
            .iter()
            .zip(&theirs.extensions)
            .all(|((a, ac), (b, bc))| {
                // An extension we do not know may be one OpenSSL names: compare criticality.
                ac == bc && (a == b || a.chars().next().is_some_and(|c| c.is_ascii_digit()))
            });
    if !agree {
        out.push(format!("extensions {ext:?} vs {:?}", theirs.extensions));
    }
    out
}

/// Every certificate PEM of the system store and of limbo.json, without repeats.
fn corpus() -> (Vec<String>, Vec<String>) {
    let mut system = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/etc/ssl/certs") {
        let mut paths: Vec<_> = dir.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|x| x == "pem") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    system.push(text);
                }
            }
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/limbo.json");
    let suite: Value = serde_json::from_slice(&std::fs::read(path).expect("read limbo.json"))
        .expect("limbo.json is JSON");
    let mut limbo = Vec::new();
    for case in suite["testcases"].as_array().expect("testcases") {
        for key in ["trusted_certs", "untrusted_intermediates"] {
            for c in case[key].as_array().into_iter().flatten() {
                limbo.extend(c.as_str().map(str::to_string));
            }
        }
        limbo.extend(case["peer_certificate"].as_str().map(str::to_string));
    }
    (system, limbo)
}

/// Certificates for the cases the corpus lacks, made by `openssl req`.
fn made_here(dir: &Path) -> Vec<String> {
    let cases: &[(&str, &[&str], &str)] = &[
        // (key, extra req args, config body)
        ("rsa:2048", &["-set_serial", "-0x04316693ED"], ""),
        ("rsa:2048", &["-set_serial", "-1"], ""),
        ("rsa:2048", &["-utf8", "-subj", "/CN=café crème/O=Zürich"], "string_mask = nombstr\n"),
        ("rsa:2048", &["-utf8", "-subj", "/CN=Ωmega/O=日本"], "string_mask = MASK:0x800\n"),
        ("ec:sect571r1", &["-subj", "/CN=sect571r1"], ""),
        ("ec:brainpoolP320r1", &["-subj", "/CN=brainpool320"], ""),
        ("ec:secp224k1", &["-subj", "/CN=secp224k1"], ""),
        (
            "rsa:2048",
            &["-subj", "/CN=extensions", "-extensions", "x"],
            "[x]\nbasicConstraints = critical,CA:TRUE,pathlen:2\nkeyUsage = critical,keyCertSign,cRLSign,digitalSignature\nextendedKeyUsage = serverAuth,clientAuth,1.2.3.4.5\nauthorityInfoAccess = OCSP;URI:http://ocsp.example/,caIssuers;URI:http://ca.example/ca.crt\ncrlDistributionPoints = URI:http://crl.example/ca.crl\ncertificatePolicies = 2.23.140.1.2.1,1.2.3.4\nnameConstraints = critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0,excluded;email:bad@example.com\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n1.2.3.99 = critical,DER:05:00\n1.3.6.1.5.5.7.1.24 = DER:30:03:02:01:05\n",
        ),
    ];
    let mut out = Vec::new();
    for (i, (key, extra, config)) in cases.iter().enumerate() {
        let conf = dir.join(format!("{i}.cnf"));
        std::fs::write(
            &conf,
            format!("[req]\ndistinguished_name = dn\nprompt = no\n{config}[dn]\nCN = made here\n"),
        )
        .expect("write config");
        let key_path = dir.join(format!("{i}.key"));
        let mut args: Vec<String> = vec!["req".into(), "-x509".into(), "-new".into()];
        let (kind, param) = key.split_once(':').expect("kind:param");
        args.extend(match kind {
            "ec" => {
                let params = dir.join(format!("{i}.param"));
                let ok = Command::new("openssl")
                    .args(["ecparam", "-name", param, "-out"])
                    .arg(&params)
                    .status()
                    .expect("openssl ecparam");
                assert!(ok.success());
                vec!["-newkey".into(), format!("ec:{}", params.display())]
            }
            _ => vec!["-newkey".into(), format!("rsa:{param}")],
        });
        args.extend(["-nodes", "-days", "30", "-sha256", "-keyout"].map(String::from));
        args.push(key_path.display().to_string());
        args.push("-config".into());
        args.push(conf.display().to_string());
        args.extend(extra.iter().map(|s| s.to_string()));
        let made = Command::new("openssl")
            .args(&args)
            .stderr(Stdio::null())
            .output()
            .expect("openssl req");
        assert!(made.status.success(), "openssl {args:?}");
        out.push(String::from_utf8(made.stdout).expect("PEM"));
    }
    // OpenSSL's req never writes a UniversalString (commonName's table leaves it out): rcgen.
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name = rcgen::DistinguishedName::new();
    let universal = rcgen::string::UniversalString::try_from("😀 Ünïversal").expect("UTF-32");
    let bmp = rcgen::string::BmpString::try_from("Ωmega").expect("UCS-2");
    p.distinguished_name.push(
        rcgen::DnType::CommonName,
        rcgen::DnValue::UniversalString(universal),
    );
    p.distinguished_name.push(
        rcgen::DnType::OrganizationName,
        rcgen::DnValue::BmpString(bmp),
    );
    let key = rcgen::KeyPair::generate().expect("key");
    out.push(p.self_signed(&key).expect("self-sign").pem());
    out
}

#[test]
fn subjects_serials_keys_pins_and_extensions_agree_with_openssl() {
    let (system, limbo) = corpus();
    let dir = tempfile::tempdir().expect("tempdir");
    let made = made_here(dir.path());
    let now = std::time::SystemTime::now();

    let mut seen = BTreeSet::new();
    let mut all: Vec<(&str, Vec<u8>)> = Vec::new();
    for (source, pems) in [("system", &system), ("limbo", &limbo), ("made", &made)] {
        for pem in pems {
            for der in tlsprobe::cert::pem_file::certificates(pem.as_bytes()).expect("PEM") {
                if seen.insert(der.clone()) {
                    all.push((source, der));
                }
            }
        }
    }

    let results: Vec<(&str, String, Option<Vec<String>>)> = std::thread::scope(|s| {
        let halves: Vec<_> = all
            .chunks(all.len().div_ceil(2).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(source, der)| {
                            let ours = tlsprobe::cert::describe(der, now);
                            let parsed = tlsprobe::cert::parse_failure(der).is_none();
                            let diff = match (parsed, openssl_view(&ours.pem)) {
                                (true, Some(theirs)) => Some(differences(&ours, &theirs)),
                                (false, None) => Some(Vec::new()),
                                (true, None) => Some(vec!["openssl refuses it".into()]),
                                (false, Some(_)) => None,
                            };
                            (*source, ours.subject.clone(), diff)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });

    let mut report = String::new();
    let mut disagreements = 0;
    for source in ["system", "limbo", "made"] {
        let mine: Vec<_> = results.iter().filter(|r| r.0 == source).collect();
        let agree = mine
            .iter()
            .filter(|r| r.2.as_ref().is_some_and(Vec::is_empty))
            .count();
        report += &format!("{source}: {agree} of {} agree with openssl\n", mine.len());
        for (_, subject, diff) in mine {
            match diff {
                None => {
                    disagreements += 1;
                    report += &format!("  {subject}: openssl reads it, we do not\n");
                }
                Some(d) if !d.is_empty() => {
                    disagreements += 1;
                    report += &format!("  {subject}: {}\n", d.join("; "));
                }
                Some(_) => {}
            }
        }
    }
    eprintln!("{report}");
    assert!(
        results.len() > 200,
        "a corpus of {} certificates",
        results.len()
    );
    assert_eq!(disagreements, 0, "{report}");
}
