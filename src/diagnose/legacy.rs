//! Explain a server that only speaks what current clients no longer offer: old protocol
//! versions, or only legacy cipher suites, from what raw ClientHellos learnt.

use crate::report::ErrorKind;
use crate::scan::accepted::Accepted;
use crate::scan::client_hello::{SSL3, TLS12, TLS13};
use crate::wire::names::{cipher_suite_name, version_name};
use crate::wire::suites::{facts, Cipher, Kx, Mode};

/// What this probe could offer: the versions and suites rustls was configured with.
#[derive(Debug, Clone, Default)]
pub struct Offered {
    pub versions: Vec<u16>,
    pub suites: Vec<u16>,
}

/// The kind, message and hint for a server whose accepted versions and suites do not meet
/// ours; `None` when they do meet (the failure lies elsewhere) or nothing was learnt.
pub fn explain(accepted: &Accepted, offered: &Offered) -> Option<(ErrorKind, String, String)> {
    if accepted.versions.is_empty() {
        return None;
    }
    let list = |version: u16| -> String {
        let suites = accepted.suites(version).unwrap_or_default();
        let mut names: Vec<String> = suites
            .iter()
            .take(3)
            .map(|s| cipher_suite_name(*s).into_owned())
            .collect();
        if suites.len() > 3 {
            names.push("...".into());
        }
        names.join(", ")
    };
    let described: Vec<String> = accepted
        .versions
        .iter()
        .map(|(v, _)| format!("{} ({})", version_name(*v), list(*v)))
        .collect();
    let modern: Vec<u16> = accepted
        .versions
        .iter()
        .map(|(v, _)| *v)
        .filter(|v| *v == TLS12 || *v == TLS13)
        .collect();

    if modern.is_empty() {
        return Some((
            ErrorKind::ProtocolVersion,
            format!(
                "the server accepts only {}; current clients require TLS 1.2 or later",
                described.join(" and ")
            ),
            if accepted.versions.iter().all(|(v, _)| *v <= SSL3) {
                "enable TLS 1.2 or 1.3 on the server: no current client speaks SSL 3.0 (OpenSSL 3 and rustls have none)".into()
            } else {
                "enable TLS 1.2 or 1.3 on the server: browsers and rustls-based clients refuse TLS 1.1 and older, and OpenSSL 3 clients connect only when told to allow them (curl --tlsv1.0 --ciphers DEFAULT@SECLEVEL=0)".into()
            },
        ));
    }
    let common_versions: Vec<u16> = modern
        .iter()
        .copied()
        .filter(|v| offered.versions.contains(v))
        .collect();
    if common_versions.is_empty() {
        let ours: Vec<String> = offered
            .versions
            .iter()
            .map(|v| version_name(*v).into_owned())
            .collect();
        return Some((
            ErrorKind::ProtocolVersion,
            format!(
                "the server accepts {}, and this probe offered only {}",
                described.join(" and "),
                ours.join(" and ")
            ),
            "offer the server's version (drop --tls1.2 / --tls1.3)".into(),
        ));
    }
    let shares_a_suite = common_versions.iter().any(|v| {
        accepted
            .suites(*v)
            .unwrap_or_default()
            .iter()
            .any(|s| offered.suites.contains(s))
    });
    if shares_a_suite {
        return None;
    }
    let v = common_versions[0];
    let suites = accepted.suites(v).unwrap_or_default();
    let flaws: Vec<&str> =
        suites
            .iter()
            .flat_map(|s| weaknesses(*s))
            .fold(Vec::new(), |mut acc, f| {
                if !acc.contains(&f) {
                    acc.push(f);
                }
                acc
            });
    let why = if flaws.is_empty() {
        "which this probe does not offer".to_string()
    } else {
        format!("({}), which current clients do not offer", flaws.join(", "))
    };
    Some((
        ErrorKind::NoCommonCipher,
        format!(
            "the server accepts {} only with {} {why}",
            version_name(v),
            list(v)
        ),
        "enable an ECDHE cipher suite with AES-GCM or ChaCha20-Poly1305 on the server, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into(),
    ))
}

/// The server speaks only what rustls cannot: TLS 1.1 or older, or TLS 1.2 with none of the
/// suites this probe offers (and not a version the user left out). Then its first flight is
/// worth reading with tlsprobe's own ClientHello.
pub fn beyond_rustls(accepted: &Accepted, offered: &Offered) -> bool {
    let Some((kind, ..)) = explain(accepted, offered) else {
        return false;
    };
    let modern = |v: u16| accepted.suites(v).is_some();
    (!modern(TLS12) && !modern(TLS13)) || (kind == ErrorKind::NoCommonCipher && modern(TLS12))
}

/// Why a suite is legacy, from the table of suite facts.
fn weaknesses(suite: u16) -> Vec<&'static str> {
    let Some(f) = facts(suite) else {
        return Vec::new();
    };
    [
        (
            matches!(f.kx, Kx::Rsa | Kx::RsaPsk),
            "RSA key exchange, no forward secrecy",
        ),
        (f.mode == Mode::Cbc, "CBC mode"),
        (f.cipher == Cipher::TripleDes, "3DES"),
        (f.cipher == Cipher::Rc4, "RC4"),
        (f.unencrypted(), "no encryption"),
        (f.export, "export-grade"),
        (f.anonymous(), "anonymous"),
    ]
    .into_iter()
    .filter(|(has, _)| *has)
    .map(|(_, why)| why)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours() -> Offered {
        Offered {
            versions: vec![TLS13, TLS12],
            suites: vec![0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f],
        }
    }

    #[test]
    fn tls10_only() {
        let a = Accepted {
            versions: vec![(0x0301, vec![0x002f, 0x0033])],
        };
        let (kind, msg, _) = explain(&a, &ours()).unwrap();
        assert_eq!(kind, ErrorKind::ProtocolVersion);
        assert_eq!(
            msg,
            "the server accepts only TLSv1.0 (TLS_RSA_WITH_AES_128_CBC_SHA, TLS_DHE_RSA_WITH_AES_128_CBC_SHA); current clients require TLS 1.2 or later"
        );
    }

    #[test]
    fn tls12_with_only_cbc() {
        let a = Accepted {
            versions: vec![(TLS12, vec![0x002f])],
        };
        let (kind, msg, _) = explain(&a, &ours()).unwrap();
        assert_eq!(kind, ErrorKind::NoCommonCipher);
        assert!(
            msg.contains("TLSv1.2 only with TLS_RSA_WITH_AES_128_CBC_SHA"),
            "{msg}"
        );
        assert!(
            msg.contains("CBC mode") && msg.contains("no forward secrecy"),
            "{msg}"
        );
    }

    #[test]
    fn a_version_we_did_not_offer() {
        let a = Accepted {
            versions: vec![(TLS12, vec![0xc02f])],
        };
        let only13 = Offered {
            versions: vec![TLS13],
            ..ours()
        };
        let (kind, msg, hint) = explain(&a, &only13).unwrap();
        assert_eq!(kind, ErrorKind::ProtocolVersion);
        assert!(msg.contains("offered only TLSv1.3"), "{msg}");
        assert!(hint.contains("--tls1.3"));
    }

    #[test]
    fn only_what_rustls_cannot_speak_is_beyond_it() {
        let tls10 = Accepted {
            versions: vec![(0x0301, vec![0x002f])],
        };
        let cbc12 = Accepted {
            versions: vec![(TLS12, vec![0x002f]), (0x0301, vec![0x002f])],
        };
        let modern = Accepted {
            versions: vec![(TLS12, vec![0xc02f])],
        };
        assert!(beyond_rustls(&tls10, &ours()));
        assert!(beyond_rustls(&cbc12, &ours()));
        assert!(!beyond_rustls(&modern, &ours()));
        // Left out by --tls1.3: the user's choice, not the server's limit.
        let only13 = Offered {
            versions: vec![TLS13],
            ..ours()
        };
        assert!(!beyond_rustls(&modern, &only13));
        assert!(!beyond_rustls(&Accepted::default(), &ours()));
    }

    #[test]
    fn nothing_to_say_when_versions_and_suites_meet() {
        let a = Accepted {
            versions: vec![(TLS12, vec![0xc02f])],
        };
        assert_eq!(explain(&a, &ours()), None);
        assert_eq!(explain(&Accepted::default(), &ours()), None);
    }
}
