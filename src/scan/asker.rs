//! Asking a server questions with raw ClientHellos: which suites it picks under a version, in
//! what order, and whether it takes a key-exchange group. Shared by the failure diagnosis and
//! `--scan`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::client_hello::{HelloSpec, SSL3, TLS12, TLS13};
use super::server_answer::{ask, Answer};
use crate::deadline::Deadline;
use crate::report::Preference;
use crate::wire::names::{is_tls13_suite, known_cipher_suites};
use crate::wire::suites::{facts, Kx};

/// Every version asked about, newest first.
pub const VERSIONS: [u16; 5] = [TLS13, TLS12, 0x0302, 0x0301, SSL3];
pub const TLS13_SUITES: [u16; 5] = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

/// Asks one server; counts the connections it makes.
pub struct Asker<'a> {
    pub addr: SocketAddr,
    pub sni: Option<&'a str>,
    pub deadline: Deadline,
    pub connections: &'a AtomicUsize,
}

impl Asker<'_> {
    fn ask(&self, version: u16, suites: Vec<u16>, groups: Vec<u16>) -> Answer {
        self.connections.fetch_add(1, Ordering::Relaxed);
        let spec = HelloSpec {
            version,
            suites,
            sni: self.sni.map(str::to_string),
            random: random(),
            groups,
        };
        ask(self.addr, &spec, self.deadline)
    }

    /// The suites `version` accepts, at most `limit`, in the order the server picks them from
    /// ours: after each answer the chosen suite is withdrawn and the question asked again.
    pub fn suites(&self, version: u16, limit: usize) -> Vec<u16> {
        let mut offered: Vec<u16> = if version == TLS13 {
            TLS13_SUITES.to_vec()
        } else {
            // Every suite but TLS 1.3's (SM4, GOST and AEGIS ones included).
            known_cipher_suites()
                .filter(|s| !is_tls13_suite(*s))
                .collect()
        };
        let mut chosen = Vec::new();
        while !offered.is_empty() && chosen.len() < limit {
            match self.ask(version, offered.clone(), Vec::new()) {
                // A server that answers a lower version than asked is counted under that
                // version's own question, not this one.
                Answer::Hello {
                    version: v, suite, ..
                } if v == version && offered.contains(&suite) => {
                    chosen.push(suite);
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
        match self.ask(version, vec![second, first], Vec::new()) {
            Answer::Hello { suite, .. } if suite == first => Some(Preference::Server),
            Answer::Hello { suite, .. } if suite == second => Some(Preference::Client),
            _ => None,
        }
    }

    /// Whether the server agrees to `group` under `version` (TLS 1.3: it answers with that
    /// group or a HelloRetryRequest for it; TLS 1.2: its ServerKeyExchange names it).
    pub fn group(&self, version: u16, group: u16) -> bool {
        let suites = if version == TLS13 {
            TLS13_SUITES.to_vec()
        } else {
            known_cipher_suites()
                .filter(|s| facts(*s).is_some_and(|f| matches!(f.kx, Kx::Ecdhe | Kx::EcdhePsk)))
                .collect()
        };
        matches!(self.ask(version, suites, vec![group]), Answer::Hello { group: Some(g), .. } if g == group)
    }
}

/// Run `f` over `items`, at most `limit` at a time, results in order.
pub fn parallel<T: Sync, R: Send>(items: &[T], limit: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut out = Vec::with_capacity(items.len());
    for wave in items.chunks(limit.max(1)) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = wave.iter().map(|item| scope.spawn(|| f(item))).collect();
            out.extend(handles.into_iter().filter_map(|h| h.join().ok()));
        });
    }
    out
}

fn random() -> [u8; 32] {
    let mut r = [0u8; 32];
    // Not secret: a failure leaves zeros, which servers accept as well.
    let _ = aws_lc_rs::rand::fill(&mut r);
    r
}
