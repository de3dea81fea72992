//! Asking a server questions with raw ClientHellos: which suites it picks under a version, in
//! what order, and whether it takes a key-exchange group. Shared by the failure diagnosis and
//! `--scan`.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::client_hello::{Extras, HelloSpec};
use super::server_answer::{ask, Answer};
use crate::deadline::Deadline;
use crate::net::Dialer;
use crate::report::Preference;
use crate::wire::code_points::{CipherSuite, NamedGroup, ProtocolVersion};
use crate::wire::names::known_cipher_suites;
use crate::wire::suites::{facts, Kx};

/// Every version asked about, newest first (as numbers: [`ProtocolVersion`]'s).
pub const VERSIONS: [u16; 5] = [
    ProtocolVersion::TLS1_3.0,
    ProtocolVersion::TLS1_2.0,
    ProtocolVersion::TLS1_1.0,
    ProtocolVersion::TLS1_0.0,
    ProtocolVersion::SSL3.0,
];
/// The suites a TLS 1.3 question offers: [`CipherSuite::RFC8446`], as numbers.
pub const TLS13_SUITES: [u16; 5] = [
    CipherSuite::RFC8446[0].0,
    CipherSuite::RFC8446[1].0,
    CipherSuite::RFC8446[2].0,
    CipherSuite::RFC8446[3].0,
    CipherSuite::RFC8446[4].0,
];

/// A suite the server chose, with the key exchange it chose for it in TLS 1.0-1.2: the group
/// (ECDHE, or an RFC 7919 DHE prime) and the DHE prime's size. The groups offered are
/// [`super::client_hello::DEFAULT_GROUPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub suite: u16,
    pub group: Option<NamedGroup>,
    pub dh_bits: Option<u32>,
}

/// Asks one server; counts the connections it makes.
pub struct Asker<'a> {
    pub dialer: &'a Dialer,
    pub sni: Option<&'a str>,
    pub deadline: Deadline,
    pub connections: &'a AtomicUsize,
}

impl Asker<'_> {
    /// The plain hello of a question: `version`, `suites`, our SNI, no groups of its own.
    pub fn spec(&self, version: ProtocolVersion, suites: Vec<CipherSuite>) -> HelloSpec {
        HelloSpec {
            version,
            suites,
            sni: self.sni.map(str::to_string),
            random: random(),
            groups: Vec::new(),
            status_request: false,
            sct: false,
            alpn: Vec::new(),
            extras: Extras::default(),
        }
    }

    /// Count one more connection.
    pub fn count(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    /// Send `spec` on a connection of its own, counted, and read the answer.
    pub fn answer(&self, spec: &HelloSpec) -> Answer {
        self.count();
        ask(self.dialer, spec, self.deadline)
    }

    fn ask(
        &self,
        version: ProtocolVersion,
        suites: Vec<CipherSuite>,
        groups: Vec<NamedGroup>,
    ) -> Answer {
        self.answer(&HelloSpec {
            groups,
            ..self.spec(version, suites)
        })
    }

    /// The suites `version` accepts, at most `limit`, in the order the server picks them from
    /// ours: after each answer the chosen suite is withdrawn and the question asked again.
    pub fn suites(&self, version: u16, limit: usize) -> Vec<u16> {
        self.picks(version, limit)
            .into_iter()
            .map(|p| p.suite)
            .collect()
    }

    /// [`Asker::suites`], each with the key exchange the server chose for it.
    pub fn picks(&self, version: u16, limit: usize) -> Vec<Pick> {
        let version = ProtocolVersion(version);
        let mut offered: Vec<CipherSuite> = if version == ProtocolVersion::TLS1_3 {
            CipherSuite::RFC8446.to_vec()
        } else {
            // Every suite but TLS 1.3's (SM4, GOST and AEGIS ones included).
            known_cipher_suites()
                .map(CipherSuite)
                .filter(|s| !s.is_tls13())
                .collect()
        };
        let mut chosen = Vec::new();
        while !offered.is_empty() && chosen.len() < limit {
            match self.ask(version, offered.clone(), Vec::new()) {
                // A server that answers a lower version than asked is counted under that
                // version's own question, not this one.
                Answer::Hello {
                    version: v,
                    suite,
                    group,
                    dh_bits,
                } if v == version && offered.contains(&suite) => {
                    chosen.push(Pick {
                        suite: suite.0,
                        group,
                        dh_bits,
                    });
                    offered.retain(|s| *s != suite);
                }
                _ => break,
            }
        }
        chosen
    }

    /// Offer the server's two favourites in the opposite order: a server that keeps its first
    /// choice has a preference of its own (`server`); one that takes the other follows the
    /// client (`client`).
    pub fn preference(&self, version: u16, first: u16, second: u16) -> Option<Preference> {
        let (first, second) = (CipherSuite(first), CipherSuite(second));
        match self.ask(ProtocolVersion(version), vec![second, first], Vec::new()) {
            Answer::Hello { suite, .. } if suite == first => Some(Preference::Server),
            Answer::Hello { suite, .. } if suite == second => Some(Preference::Client),
            _ => None,
        }
    }

    /// Whether the server agrees to `group` under `version` (TLS 1.3: it answers with that
    /// group or a HelloRetryRequest for it; TLS 1.2: its ServerKeyExchange names it, or for an
    /// RFC 7919 group, its DHE prime is that group's).
    ///
    /// In TLS 1.2 the groups offered also say which curves the client takes an ECDSA
    /// certificate on (RFC 8422 section 5.1.1): offered alone, X25519 leaves an ECDSA-only
    /// server no suite. Refused alone, the group is asked again first, with the certificate
    /// curves after it, and accepted when the server still chooses it.
    pub fn group(&self, version: u16, group: u16) -> bool {
        let (version, group) = (ProtocolVersion(version), NamedGroup(group));
        let kx = |kinds: &[Kx]| -> Vec<CipherSuite> {
            known_cipher_suites()
                .filter(|s| facts(*s).is_some_and(|f| kinds.contains(&f.kx)))
                .map(CipherSuite)
                .collect()
        };
        let finite_field = group.is_ffdhe();
        let suites = if version == ProtocolVersion::TLS1_3 {
            CipherSuite::RFC8446.to_vec()
        } else if finite_field {
            kx(&[Kx::Dhe])
        } else {
            kx(&[Kx::Ecdhe, Kx::EcdhePsk])
        };
        let chose =
            |answer: Answer| matches!(answer, Answer::Hello { group: Some(g), .. } if g == group);
        match self.ask(version, suites.clone(), vec![group]) {
            answer @ Answer::Hello { .. } => chose(answer),
            _ if version == ProtocolVersion::TLS1_3 || finite_field => false,
            _ => {
                let mut groups = vec![group];
                groups.extend(ECDSA_CURVES.iter().copied().filter(|c| *c != group));
                chose(self.ask(version, suites, groups))
            }
        }
    }
}

/// The curves of ECDSA certificates in use: P-256, P-384, P-521.
const ECDSA_CURVES: [NamedGroup; 3] = [
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
    NamedGroup::SECP521R1,
];

/// Run `f` over `items`, at most `limit` at a time, results in order. An item whose thread
/// cannot be started (the system is out of threads or memory) runs on this thread instead.
pub fn parallel<T: Sync, R: Send>(items: &[T], limit: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let f = &f;
    let mut out = Vec::with_capacity(items.len());
    for wave in items.chunks(limit.max(1)) {
        std::thread::scope(|scope| {
            let started: Vec<_> = wave
                .iter()
                .map(|item| {
                    crate::threads::builder("ask".into())
                        .spawn_scoped(scope, move || f(item))
                        .map_err(|_| item)
                })
                .collect();
            for thread in started {
                match thread {
                    Ok(handle) => out.extend(handle.join().ok()),
                    Err(item) => out.push(f(item)),
                }
            }
        });
    }
    out
}

/// A ClientHello random. Not secret: our key exchange is never sent. A failure leaves zeros,
/// which servers accept as well.
pub(crate) fn random() -> [u8; 32] {
    let mut r = [0u8; 32];
    let _ = aws_lc_rs::rand::fill(&mut r);
    r
}
