//! `--scan` against openssl s_server configured seven ways, cross-checked with `openssl
//! s_client`, one handshake per item: the versions, suites and groups tlsprobe reports are
//! exactly those openssl accepts, and the order it says each version follows is the one
//! openssl is given.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;
use support::fixtures::{fixtures, Chain};
use support::openssl::{s_client_run, s_server};
use support::{run_json, scan_codes};

/// (IANA name, OpenSSL name) of every suite this openssl knows, TLS 1.3 ones apart.
fn openssl_suites() -> (Vec<(String, String)>, Vec<String>) {
    let out = Command::new("openssl")
        .args(["ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"])
        .output()
        .expect("openssl ciphers");
    let mut legacy = Vec::new();
    let mut tls13 = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if let [iana, "-", ossl, version, ..] = cols.as_slice() {
            if *version == "TLSv1.3" {
                tls13.push(iana.to_string());
            } else {
                legacy.push((iana.to_string(), ossl.to_string()));
            }
        }
    }
    (legacy, tls13)
}

/// Does `openssl s_client` complete a handshake with this version flag and suite?
fn s_client_accepts(port: u16, version_flag: &str, suite_arg: (&str, &str)) -> bool {
    let status = s_client_run(port, &[version_flag, suite_arg.0, suite_arg.1]).status;
    status.success()
}

/// Every (version, suite) openssl's client gets through, by IANA name.
fn accepted_by_openssl(port: u16) -> BTreeSet<(String, String)> {
    let (legacy, tls13) = openssl_suites();
    let mut jobs: Vec<(String, String, &str, (String, String))> = Vec::new();
    for (flag, version) in [
        ("-tls1", "TLSv1.0"),
        ("-tls1_1", "TLSv1.1"),
        ("-tls1_2", "TLSv1.2"),
    ] {
        for (iana, ossl) in &legacy {
            jobs.push((
                version.into(),
                iana.clone(),
                flag,
                ("-cipher".into(), format!("{ossl}:@SECLEVEL=0")),
            ));
        }
    }
    for iana in &tls13 {
        jobs.push((
            "TLSv1.3".into(),
            iana.clone(),
            "-tls1_3",
            ("-ciphersuites".into(), iana.clone()),
        ));
    }
    let chunk = jobs.len().div_ceil(8).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter(|(_, _, flag, (opt, val))| s_client_accepts(port, flag, (opt, val)))
                        .map(|(v, s, _, _)| (v.clone(), s.clone()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

fn reported(r: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for v in r["scan"]["versions"].as_array().unwrap() {
        for s in v["cipher_suites"].as_array().unwrap() {
            out.insert((
                v["version"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

fn cross_check(chain: &Chain, args: &[&str]) -> Value {
    let server = s_server(chain, args);
    let port = server.addr.port();
    let (_, r) = run_json(&["--scan", &format!("localhost:{port}")]);
    let ours = reported(&r);
    let theirs = accepted_by_openssl(port);
    cross_check_groups(&r, port);
    cross_check_order(&r, port);
    // tlsprobe names only suites it has a name for; compare on those.
    let known: BTreeSet<String> = (0..=u16::MAX)
        .map(|c| tlsprobe::wire::names::cipher_suite_name(c).into_owned())
        .filter(|n| n.starts_with("TLS_"))
        .collect();
    let theirs: BTreeSet<_> = theirs
        .into_iter()
        .filter(|(_, s)| known.contains(s))
        .collect();
    assert_eq!(
        ours, theirs,
        "s_server {args:?}: tlsprobe (left) and openssl s_client (right) disagree"
    );
    assert!(r["scan"]["connections"].as_u64().unwrap() > 0);
    r
}

fn versions(r: &Value) -> Vec<String> {
    r["scan"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["accepted"] == true)
        .map(|v| v["version"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn tls10_only() {
    let r = cross_check(
        &fixtures().good_rsa,
        &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"],
    );
    assert_eq!(versions(&r), vec!["TLSv1.0"]);
    assert!(
        scan_codes(&r).contains(&"legacy_protocol".into())
            && scan_codes(&r).contains(&"no_tls13".into())
    );
}

#[test]
fn tls12_cbc_only() {
    let r = cross_check(
        &fixtures().good_rsa,
        &["-tls1_2", "-cipher", "AES128-SHA:AES256-SHA:@SECLEVEL=0"],
    );
    assert_eq!(versions(&r), vec!["TLSv1.2"]);
    assert!(
        scan_codes(&r).contains(&"no_forward_secrecy".into())
            && scan_codes(&r).contains(&"cbc_cipher".into())
    );
    let suite = &r["scan"]["versions"][1]["cipher_suites"][0];
    assert_eq!(suite["forward_secrecy"], false);
    assert_eq!(suite["flags"], serde_json::json!(["cbc"]));
}

#[test]
fn tls13_only() {
    let r = cross_check(&fixtures().good, &["-tls1_3"]);
    assert_eq!(versions(&r), vec!["TLSv1.3"]);
    let groups = r["scan"]["groups"].as_array().unwrap();
    assert!(
        groups.contains(&"X25519".into()) && groups.contains(&"secp256r1".into()),
        "{groups:?}"
    );
}

#[test]
fn openssl_defaults() {
    let r = cross_check(&fixtures().good, &[]);
    assert!(
        versions(&r).contains(&"TLSv1.3".to_string())
            && versions(&r).contains(&"TLSv1.2".to_string())
    );
    // The suite order probe: openssl follows the client's order unless told otherwise.
    assert_eq!(r["scan"]["versions"][1]["preference"], "client");
    let r = cross_check(&fixtures().good, &["-serverpref"]);
    assert_eq!(r["scan"]["versions"][1]["preference"], "server");
}

#[test]
fn every_suite_of_a_server_that_accepts_more_than_64() {
    // An RSA and an ECDSA certificate, and every suite openssl has: 77 TLS 1.2 suites, those
    // beyond the 64th (ChaCha20, AES-CCM among them) included.
    let f = fixtures();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let (cert, key, rest) = (
        path(&f.good.leaf_pem),
        path(&f.good.key_pem),
        path(&f.good.rest_pem),
    );
    let r = cross_check(
        &f.good_rsa,
        &[
            "-tls1_2",
            "-cipher",
            "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
            "-dcert",
            &cert,
            "-dkey",
            &key,
            "-dcert_chain",
            &rest,
        ],
    );
    let tls12: Vec<&str> = r["scan"]["versions"][1]["cipher_suites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(tls12.len() > 64, "{} suites: {tls12:?}", tls12.len());
    for suite in [
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_RSA_WITH_AES_128_CCM",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
    ] {
        assert!(tls12.contains(&suite), "{suite} missing from {tls12:?}");
    }
}

#[test]
fn a_server_order_that_prioritises_chacha20_is_still_the_servers() {
    // OpenSSL's -prioritize_chacha: the server's order, except that ChaCha20 comes first for a
    // client that lists it first.
    let server = s_server(&fixtures().good, &["-serverpref", "-prioritize_chacha"]);
    let (_, r) = run_json(&["--scan", &format!("localhost:{}", server.addr.port())]);
    assert_eq!(r["scan"]["versions"][0]["preference"], "server", "{r:#}");
    assert_eq!(r["scan"]["versions"][1]["preference"], "server", "{r:#}");
    assert!(
        !scan_codes(&r).contains(&"client_preference".to_string()),
        "{r:#}"
    );
}

/// Does `openssl s_client ARGS` against `port` complete a handshake whose "Server Temp Key"
/// line contains `key` (any key when `key` is empty)?
fn s_client_key(port: u16, args: &[&str], key: &str) -> bool {
    let out = s_client_run(port, args);
    out.status.success()
        && String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.starts_with("Server Temp Key:") && l.contains(key))
}

/// The TLS 1.3 groups openssl's client can offer: (its name, tlsprobe's).
const TLS13_GROUPS: [(&str, &str); 10] = [
    ("X25519", "X25519"),
    ("P-256", "secp256r1"),
    ("P-384", "secp384r1"),
    ("P-521", "secp521r1"),
    ("X448", "X448"),
    ("ffdhe2048", "ffdhe2048"),
    ("ffdhe3072", "ffdhe3072"),
    ("ffdhe4096", "ffdhe4096"),
    ("ffdhe6144", "ffdhe6144"),
    ("ffdhe8192", "ffdhe8192"),
];

/// The curves of TLS 1.2 and before: (openssl's name, the Server Temp Key's, tlsprobe's).
const LEGACY_CURVES: [(&str, &str, &str); 9] = [
    ("X25519", "X25519,", "X25519"),
    ("P-256", "prime256v1,", "secp256r1"),
    ("P-384", "secp384r1,", "secp384r1"),
    ("P-521", "secp521r1,", "secp521r1"),
    ("X448", "X448,", "X448"),
    ("brainpoolP256r1", "brainpoolP256r1,", "brainpoolP256r1"),
    ("brainpoolP384r1", "brainpoolP384r1,", "brainpoolP384r1"),
    ("brainpoolP512r1", "brainpoolP512r1,", "brainpoolP512r1"),
    ("secp256k1", "secp256k1,", "secp256k1"),
];

/// The groups `openssl s_client` gets from the server at `port`, one handshake a group, by
/// tlsprobe's names: with TLS 1.3, each of [`TLS13_GROUPS`] offered alone and the handshake
/// completed; under `legacy` (the version flag of the highest of TLS 1.0-1.2 accepted), each
/// curve offered first with P-256 after it (an ECDSA certificate's curve, without which such a
/// server has no suite) and taken when the server's temporary key is of it: all of them when
/// TLS 1.3 is refused, else those TLS 1.3 does not have.
fn groups_by_openssl(port: u16, tls13: bool, legacy: Option<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if tls13 {
        for (offer, name) in TLS13_GROUPS {
            if s_client_key(port, &["-tls1_3", "-groups", offer], "") {
                out.insert(name.to_string());
            }
        }
    }
    if let Some(flag) = legacy {
        for (offer, key, name) in LEGACY_CURVES {
            if tls13 && TLS13_GROUPS.iter().any(|(_, n)| *n == name) {
                continue;
            }
            let groups = if offer == "P-256" {
                offer.to_string()
            } else {
                format!("{offer}:P-256")
            };
            let args = [flag, "-cipher", "ALL:@SECLEVEL=0", "-groups", &groups];
            if s_client_key(port, &args, key) {
                out.insert(name.to_string());
            }
        }
    }
    out
}

/// `--scan`'s groups against [`groups_by_openssl`], on the groups openssl's client can offer:
/// the post-quantum hybrids and TLS 1.3's brainpool curves are not among them (OpenSSL 3.0),
/// nor the finite-field groups of TLS 1.2 (it does not offer them there).
fn cross_check_groups(r: &Value, port: u16) -> BTreeSet<String> {
    let accepted = versions(r);
    let tls13 = accepted.iter().any(|v| v == "TLSv1.3");
    let legacy = [
        ("TLSv1.2", "-tls1_2"),
        ("TLSv1.1", "-tls1_1"),
        ("TLSv1.0", "-tls1"),
    ]
    .into_iter()
    .find(|(v, _)| accepted.iter().any(|a| a == v))
    .map(|(_, flag)| flag);
    let askable: BTreeSet<&str> = TLS13_GROUPS
        .iter()
        .map(|(_, n)| *n)
        .filter(|n| tls13 || !n.starts_with("ffdhe"))
        .chain(LEGACY_CURVES.iter().map(|(_, _, n)| *n))
        .collect();
    let ours: BTreeSet<String> = r["scan"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .filter(|g| askable.contains(g.as_str()))
        .collect();
    let theirs = groups_by_openssl(port, tls13, legacy);
    assert_eq!(
        ours, theirs,
        "groups: tlsprobe (left) and openssl s_client (right) disagree"
    );
    theirs
}

/// The suite `openssl s_client FLAG -cipher LIST` is given, by OpenSSL's name.
fn s_client_suite(port: u16, flag: &str, list: &str) -> Option<String> {
    let out = s_client_run(port, &[flag, "-cipher", list]);
    String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
        l.split_once(", Cipher is ")
            .map(|(_, c)| c.trim().to_string())
    })
}

/// `--scan`'s preference for each TLS 1.0-1.2 version with two suites or more, against one
/// handshake of `openssl s_client`: the server's first two suites offered the other way
/// round. A server that still picks its first follows its own order.
fn cross_check_order(r: &Value, port: u16) {
    let (legacy, _) = openssl_suites();
    let ossl = |iana: &str| {
        legacy
            .iter()
            .find(|(i, _)| i == iana)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| panic!("openssl has no name for {iana}"))
    };
    let flags = [
        ("TLSv1.2", "-tls1_2"),
        ("TLSv1.1", "-tls1_1"),
        ("TLSv1.0", "-tls1"),
    ];
    for v in r["scan"]["versions"].as_array().unwrap() {
        let Some((_, flag)) = flags.iter().find(|(name, _)| v["version"] == *name) else {
            continue;
        };
        let suites = v["cipher_suites"].as_array().unwrap();
        if suites.len() < 2 {
            continue;
        }
        let first = ossl(suites[0]["name"].as_str().unwrap());
        let second = ossl(suites[1]["name"].as_str().unwrap());
        let chosen = s_client_suite(port, flag, &format!("{second}:{first}:@SECLEVEL=0"));
        assert!(
            chosen.is_some(),
            "{}: s_client got no suite offering {second}:{first}",
            v["version"]
        );
        let theirs = if chosen.as_deref() == Some(first.as_str()) {
            "server"
        } else {
            "client"
        };
        assert_eq!(
            v["preference"], theirs,
            "{}: offered {second}:{first}, s_client was given {chosen:?}",
            v["version"]
        );
    }
}

#[test]
fn tls12_groups_of_an_ecdsa_server() {
    // TLS 1.2 alone, an ECDSA P-256 certificate: X25519, X448, P-384 and P-521 are taken
    // too, with P-256 offered after them.
    let r = cross_check(&fixtures().good, &["-tls1_2"]);
    let groups = &r["scan"]["groups"];
    for g in ["X25519", "X448", "secp256r1", "secp384r1", "secp521r1"] {
        assert!(
            groups.as_array().unwrap().contains(&g.into()),
            "{g}: {groups}"
        );
    }
    // The curves of TLS 1.2 alone, which OpenSSL's server takes only when told to.
    let r = cross_check(
        &fixtures().good,
        &[
            "-tls1_2",
            "-groups",
            "brainpoolP256r1:brainpoolP384r1:secp256k1:P-256",
        ],
    );
    let groups: Vec<&str> = r["scan"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        [
            "secp256r1",
            "secp256k1",
            "brainpoolP256r1",
            "brainpoolP384r1"
        ]
    );
}
