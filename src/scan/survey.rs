//! `--scan`: every version from SSL 3.0 to TLS 1.3, the suites accepted under each in the
//! server's order, the key-exchange groups, and findings. Raw ClientHellos only, each on its
//! own connection, at most `concurrency` at once, all within the probe's deadline.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::asker::{parallel, Asker, TLS13_SUITES, VERSIONS};
use super::client_hello::{TLS12, TLS13};
use crate::deadline::Deadline;
use crate::report::{Scan, ScanFinding, ScanSuite, ScanVersion};
use crate::wire::names::{cipher_suite_name, group_name, version_name};

/// Groups asked about: X25519, P-256, P-384, P-521, X448, the ffdhe groups, and the
/// post-quantum hybrids.
const GROUPS: [u16; 13] = [
    29, 23, 24, 25, 30, 256, 257, 258, 259, 260, 4588, 4587, 4589,
];

/// Survey `addr`.
pub fn survey(addr: SocketAddr, sni: Option<&str>, concurrency: usize, deadline: Deadline) -> Scan {
    let started = Instant::now();
    let connections = AtomicUsize::new(0);
    let asker = Asker {
        addr,
        sni,
        deadline,
        connections: &connections,
    };

    let versions: Vec<ScanVersion> = parallel(&VERSIONS, concurrency, |&v| version(&asker, v));
    let group_version = if versions.first().is_some_and(|v| v.accepted) {
        Some(TLS13)
    } else if versions.get(1).is_some_and(|v| v.accepted) {
        Some(TLS12)
    } else {
        None
    };
    let groups: Vec<String> = match group_version {
        Some(version) => parallel(&GROUPS, concurrency, |&g| {
            asker.group(version, g).then(|| group_name(g).into_owned())
        })
        .into_iter()
        .flatten()
        .collect(),
        None => Vec::new(),
    };
    let findings = findings(&versions);
    Scan {
        versions,
        groups,
        findings,
        connections: connections.load(Ordering::Relaxed),
        duration_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
    }
}

/// What `version` accepts, and in whose order.
fn version(asker: &Asker<'_>, version: u16) -> ScanVersion {
    let chosen = asker.suites(version, 64);
    let preference = match chosen.as_slice() {
        [first, second, ..] => asker
            .preference(version, *first, *second)
            .map(str::to_string),
        _ => None,
    };
    ScanVersion {
        version: version_name(version).into_owned(),
        accepted: !chosen.is_empty(),
        preference,
        cipher_suites: chosen.into_iter().map(describe).collect(),
    }
}

/// A suite's properties, from its IANA name.
fn describe(suite: u16) -> ScanSuite {
    let name = cipher_suite_name(suite).into_owned();
    let tls13 = TLS13_SUITES.contains(&suite);
    let forward_secrecy = tls13 || name.contains("_ECDHE_") || name.contains("_DHE_");
    let aead = tls13
        || name.contains("_GCM_")
        || name.contains("CHACHA20_POLY1305")
        || name.contains("_CCM");
    let mut flags = Vec::new();
    for (needle, flag) in [
        ("_NULL_", "null"),
        ("EXPORT", "export"),
        ("_RC4_", "rc4"),
        ("_3DES_", "3des"),
        ("_DES_", "des"),
        ("_DES40_", "des"),
        ("_CBC_", "cbc"),
        ("_anon_", "anonymous"),
        ("_MD5", "md5"),
    ] {
        if name.contains(needle) && !flags.contains(&flag.to_string()) {
            flags.push(flag.to_string());
        }
    }
    if name.ends_with("_NULL") && !flags.contains(&"null".to_string()) {
        flags.push("null".into());
    }
    ScanSuite {
        name,
        forward_secrecy,
        aead,
        flags,
    }
}

fn finding(code: &str, severity: &str, message: String) -> ScanFinding {
    ScanFinding {
        code: code.into(),
        severity: severity.into(),
        message,
    }
}

fn findings(versions: &[ScanVersion]) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    for v in versions.iter().filter(|v| v.accepted) {
        if matches!(v.version.as_str(), "SSLv3" | "TLSv1.0" | "TLSv1.1") {
            let severity = if v.version == "SSLv3" {
                "high"
            } else {
                "medium"
            };
            out.push(finding(
                "legacy_protocol",
                severity,
                format!(
                    "{} is accepted; it is deprecated (RFC 8996) and refused by current clients",
                    v.version
                ),
            ));
        }
        let weak: Vec<&str> = v
            .cipher_suites
            .iter()
            .filter(|s| {
                s.flags.iter().any(|f| {
                    matches!(
                        f.as_str(),
                        "null" | "export" | "rc4" | "des" | "3des" | "anonymous" | "md5"
                    )
                })
            })
            .map(|s| s.name.as_str())
            .collect();
        if !weak.is_empty() {
            out.push(finding(
                "weak_cipher",
                "high",
                format!("{} accepts weak suites: {}", v.version, weak.join(", ")),
            ));
        }
        let no_fs: Vec<&str> = v
            .cipher_suites
            .iter()
            .filter(|s| !s.forward_secrecy)
            .map(|s| s.name.as_str())
            .collect();
        if !no_fs.is_empty() {
            out.push(finding(
                "no_forward_secrecy",
                "medium",
                format!(
                    "{} accepts suites without forward secrecy: {}",
                    v.version,
                    no_fs.join(", ")
                ),
            ));
        }
        let cbc = v
            .cipher_suites
            .iter()
            .filter(|s| s.flags.iter().any(|f| f == "cbc"))
            .count();
        if cbc > 0 && v.version == "TLSv1.2" {
            out.push(finding("cbc_cipher", "low", format!("TLSv1.2 accepts {cbc} CBC suites; AEAD suites (GCM, ChaCha20-Poly1305) are preferred")));
        }
        if v.preference.as_deref() == Some("client")
            && v.cipher_suites.len() > 1
            && v.version != "TLSv1.3"
        {
            out.push(finding(
                "client_preference",
                "info",
                format!(
                    "{} follows the client's suite order instead of the server's own",
                    v.version
                ),
            ));
        }
    }
    if versions.first().is_some_and(|v| !v.accepted) && versions.iter().any(|v| v.accepted) {
        out.push(finding(
            "no_tls13",
            "low",
            "TLS 1.3 is not accepted".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_are_labelled_from_their_names() {
        let s = describe(0x002f);
        assert_eq!((s.forward_secrecy, s.aead), (false, false));
        assert_eq!(s.flags, vec!["cbc"]);
        let s = describe(0xc02f);
        assert_eq!(
            (s.forward_secrecy, s.aead, s.flags.is_empty()),
            (true, true, true)
        );
        assert_eq!(describe(0x000a).flags, vec!["3des", "cbc"]);
        assert_eq!(describe(0x0004).flags, vec!["rc4", "md5"]);
        assert!(describe(0x0002).flags.contains(&"null".to_string()));
        assert!(describe(0x1301).forward_secrecy);
    }

    #[test]
    fn findings_name_legacy_versions_and_weak_suites() {
        let v = |version: &str, suites: &[u16]| ScanVersion {
            version: version.into(),
            accepted: !suites.is_empty(),
            preference: None,
            cipher_suites: suites.iter().map(|s| describe(*s)).collect(),
        };
        let f = findings(&[
            v("TLSv1.3", &[]),
            v("TLSv1.2", &[0xc02f, 0x000a]),
            v("TLSv1.0", &[0x002f]),
        ]);
        let codes: Vec<&str> = f.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "weak_cipher",
                "no_forward_secrecy",
                "cbc_cipher",
                "legacy_protocol",
                "no_forward_secrecy",
                "no_tls13"
            ]
        );
    }
}
