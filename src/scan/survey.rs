//! `--scan`: every version from SSL 3.0 to TLS 1.3, the suites accepted under each in the
//! server's order, the key-exchange groups, and findings. Raw ClientHellos only, each on its
//! own connection, at most `concurrency` at once, all within the probe's deadline.

use crate::net::Dialer;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::asker::{parallel, Asker, VERSIONS};
use super::client_hello::TLS13;
use super::features;
use crate::deadline::Deadline;
use crate::diagnose::first_flight::WEAK_DH_BITS;
use crate::report::{
    Preference, Protocol, ProtocolVersion, Scan, ScanCode, ScanFinding, ScanSuite, ScanVersion,
    Severity, SuiteFlag,
};
use crate::wire::names::{cipher_suite_name, group_name};
use crate::wire::suites::{facts, Cipher, Mac, Mode};

/// Groups asked about: X25519, P-256, P-384, P-521, X448, the ffdhe groups, the post-quantum
/// hybrids, and the brainpool curves of TLS 1.3.
const GROUPS: [u16; 16] = [
    29, 23, 24, 25, 30, 256, 257, 258, 259, 260, 4588, 4587, 4589, 31, 32, 33,
];

/// Groups that exist in TLS 1.2 and before alone, asked when one of those is accepted:
/// secp256k1 and the brainpool curves of RFC 7027.
const LEGACY_GROUPS: [u16; 4] = [22, 26, 27, 28];

/// Survey the server `dialer` reaches (directly, through a proxy, after STARTTLS).
pub fn survey(dialer: &Dialer, sni: Option<&str>, concurrency: usize, deadline: Deadline) -> Scan {
    let started = Instant::now();
    let connections = AtomicUsize::new(0);
    let asker = Asker {
        dialer,
        sni,
        deadline,
        connections: &connections,
    };

    let asked: Vec<(ScanVersion, Vec<u16>)> =
        parallel(&VERSIONS, concurrency, |&v| version(&asker, v));
    let accepted: Vec<(u16, Vec<u16>)> = asked
        .iter()
        .filter(|(v, _)| v.accepted)
        .map(|(v, suites)| (v.version.0, suites.clone()))
        .collect();
    let versions: Vec<ScanVersion> = asked.into_iter().map(|(v, _)| v).collect();
    // Groups are asked at the highest version accepted (TLS 1.0 and 1.1 have ECDHE and
    // supported_groups too; SSL 3.0 has neither), and the curves of TLS 1.2 and before alone
    // at the highest of those.
    let accepted_at = |from: usize| {
        versions[from..]
            .iter()
            .find(|v| v.accepted && v.version > ProtocolVersion::SSL3)
            .map(|v| v.version.0)
    };
    let (group_version, legacy) = (accepted_at(0), accepted_at(1));
    let questions: Vec<(u16, u16)> = group_version
        .into_iter()
        .flat_map(|version| GROUPS.iter().map(move |&g| (version, g)))
        .chain(
            legacy
                .into_iter()
                .flat_map(|version| LEGACY_GROUPS.iter().map(move |&g| (version, g))),
        )
        .collect();
    let groups: Vec<String> = parallel(&questions, concurrency, |&(version, g)| {
        asker.group(version, g).then(|| group_name(g).into_owned())
    })
    .into_iter()
    .flatten()
    .collect();
    let features = features::survey(&asker, &accepted);
    let findings = findings(&versions);
    Scan {
        versions,
        groups,
        features,
        certificate_types: Vec::new(),
        findings,
        connections: connections.load(Ordering::Relaxed),
        duration_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
    }
}

/// What `version` accepts (every suite: each round withdraws one, so the rounds end), and in
/// whose order; with the suites' numbers.
fn version(asker: &Asker<'_>, version: u16) -> (ScanVersion, Vec<u16>) {
    let picks = asker.picks(version, usize::MAX);
    let chosen: Vec<u16> = picks.iter().map(|p| p.suite).collect();
    let preference =
        order_pair(&chosen).and_then(|(first, second)| asker.preference(version, first, second));
    let tls13 = version == TLS13;
    let scanned = ScanVersion {
        version: ProtocolVersion(version),
        accepted: !chosen.is_empty(),
        preference,
        cipher_suites: picks
            .into_iter()
            .map(|p| ScanSuite {
                group: p
                    .group
                    .filter(|_| !tls13)
                    .map(|g| group_name(g.0).into_owned()),
                dh_bits: p.dh_bits,
                ..describe(p.suite)
            })
            .collect(),
    };
    (scanned, chosen)
}

/// The two suites the order test swaps: the server's two favourites that are not ChaCha20, else
/// its first two. A server that prioritises ChaCha20 (OpenSSL's `-prioritize_chacha`, for
/// clients without AES hardware) takes it whenever the client lists it first, whatever its own
/// order: swapping a ChaCha20 suite to the front would call that server client-ordered.
fn order_pair(chosen: &[u16]) -> Option<(u16, u16)> {
    let chacha = |s: &u16| facts(*s).is_some_and(|f| f.cipher == Cipher::ChaCha20);
    let plain: Vec<u16> = chosen.iter().copied().filter(|s| !chacha(s)).collect();
    match (plain.as_slice(), chosen) {
        ([first, second, ..], _) | (_, [first, second, ..]) => Some((*first, *second)),
        _ => None,
    }
}

/// A suite's properties, from the table of suite facts.
fn describe(suite: u16) -> ScanSuite {
    let name = cipher_suite_name(suite).into_owned();
    let Some(f) = facts(suite) else {
        return ScanSuite {
            name,
            forward_secrecy: false,
            aead: false,
            flags: Vec::new(),
            group: None,
            dh_bits: None,
        };
    };
    let flags = [
        (f.unencrypted(), SuiteFlag::Null),
        (f.export, SuiteFlag::Export),
        (f.cipher == Cipher::Rc4, SuiteFlag::Rc4),
        (f.cipher == Cipher::TripleDes, SuiteFlag::TripleDes),
        (
            matches!(f.cipher, Cipher::Des | Cipher::Des40),
            SuiteFlag::Des,
        ),
        (f.mode == Mode::Cbc, SuiteFlag::Cbc),
        (f.anonymous(), SuiteFlag::Anonymous),
        (f.mac == Mac::Md5, SuiteFlag::Md5),
    ]
    .into_iter()
    .filter(|(has, _)| *has)
    .map(|(_, flag)| flag)
    .collect();
    ScanSuite {
        name,
        forward_secrecy: f.forward_secrecy(),
        aead: f.aead(),
        flags,
        group: None,
        dh_bits: None,
    }
}

/// A `weak_dh` finding when the server's DHE group (seen in its first flight) is under
/// [`WEAK_DH_BITS`].
pub fn weak_dh(protocol: &Protocol) -> Option<ScanFinding> {
    let bits = protocol.dh_bits.filter(|b| *b < WEAK_DH_BITS)?;
    Some(ScanFinding::new(
        ScanCode::WeakDh,
        Severity::High,
        format!(
            "{} uses a {bits}-bit DH group; under {WEAK_DH_BITS} bits it is within reach of a well-funded attacker (Logjam) and OpenSSL 3 refuses it",
            protocol.cipher_suite
        ),
    ))
}

fn findings(versions: &[ScanVersion]) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    for v in versions.iter().filter(|v| v.accepted) {
        if v.version.is_legacy() {
            let severity = if v.version == ProtocolVersion::SSL3 {
                Severity::High
            } else {
                Severity::Medium
            };
            out.push(ScanFinding::new(
                ScanCode::LegacyProtocol,
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
                        f,
                        SuiteFlag::Null
                            | SuiteFlag::Export
                            | SuiteFlag::Rc4
                            | SuiteFlag::Des
                            | SuiteFlag::TripleDes
                            | SuiteFlag::Anonymous
                            | SuiteFlag::Md5
                    )
                })
            })
            .map(|s| s.name.as_str())
            .collect();
        if !weak.is_empty() {
            out.push(ScanFinding::new(
                ScanCode::WeakCipher,
                Severity::High,
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
            out.push(ScanFinding::new(
                ScanCode::NoForwardSecrecy,
                Severity::Medium,
                format!(
                    "{} accepts suites without forward secrecy: {}",
                    v.version,
                    no_fs.join(", ")
                ),
            ));
        }
        let weak_dh: Vec<String> = v
            .cipher_suites
            .iter()
            .filter_map(|s| {
                let bits = s.dh_bits.filter(|b| *b < WEAK_DH_BITS)?;
                Some(format!("{} ({bits} bits)", s.name))
            })
            .collect();
        if !weak_dh.is_empty() {
            out.push(ScanFinding::new(
                ScanCode::WeakDh,
                Severity::High,
                format!(
                    "{} uses DH groups under {WEAK_DH_BITS} bits, within reach of a well-funded attacker (Logjam), refused by OpenSSL 3: {}",
                    v.version,
                    weak_dh.join(", ")
                ),
            ));
        }
        let cbc = v
            .cipher_suites
            .iter()
            .filter(|s| s.flags.contains(&SuiteFlag::Cbc))
            .count();
        if cbc > 0 && v.version == ProtocolVersion::TLS1_2 {
            out.push(ScanFinding::new(ScanCode::CbcCipher, Severity::Low, format!("TLSv1.2 accepts {cbc} CBC suites; AEAD suites (GCM, ChaCha20-Poly1305) are preferred")));
        }
        if v.preference == Some(Preference::Client)
            && v.cipher_suites.len() > 1
            && v.version != ProtocolVersion::TLS1_3
        {
            out.push(ScanFinding::new(
                ScanCode::ClientPreference,
                Severity::Info,
                format!(
                    "{} follows the client's suite order instead of the server's own",
                    v.version
                ),
            ));
        }
    }
    if versions.first().is_some_and(|v| !v.accepted) && versions.iter().any(|v| v.accepted) {
        out.push(ScanFinding::new(
            ScanCode::NoTls13,
            Severity::Low,
            "TLS 1.3 is not accepted".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_test_leaves_chacha20_out() {
        // ECDHE-RSA-CHACHA20-POLY1305, ECDHE-RSA-AES256-GCM, ECDHE-RSA-AES128-GCM.
        assert_eq!(
            order_pair(&[0xcca8, 0xc030, 0xc02f]),
            Some((0xc030, 0xc02f))
        );
        assert_eq!(order_pair(&[0xcca8, 0xc030]), Some((0xcca8, 0xc030)));
        assert_eq!(order_pair(&[0xc030]), None);
    }

    #[test]
    fn suites_are_labelled_from_their_names() {
        let s = describe(0x002f);
        assert_eq!((s.forward_secrecy, s.aead), (false, false));
        assert_eq!(s.flags, vec![SuiteFlag::Cbc]);
        let s = describe(0xc02f);
        assert_eq!(
            (s.forward_secrecy, s.aead, s.flags.is_empty()),
            (true, true, true)
        );
        assert_eq!(
            describe(0x000a).flags,
            vec![SuiteFlag::TripleDes, SuiteFlag::Cbc]
        );
        assert_eq!(describe(0x0004).flags, vec![SuiteFlag::Rc4, SuiteFlag::Md5]);
        assert!(describe(0x0002).flags.contains(&SuiteFlag::Null));
        assert!(describe(0x1301).forward_secrecy);
    }

    #[test]
    fn findings_name_legacy_versions_and_weak_suites() {
        let v = |version: ProtocolVersion, suites: &[u16]| ScanVersion {
            version,
            accepted: !suites.is_empty(),
            preference: None,
            cipher_suites: suites.iter().map(|s| describe(*s)).collect(),
        };
        let f = findings(&[
            v(ProtocolVersion::TLS1_3, &[]),
            v(ProtocolVersion::TLS1_2, &[0xc02f, 0x000a]),
            v(ProtocolVersion::TLS1_0, &[0x002f]),
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
