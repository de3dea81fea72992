//! Which protocol versions and cipher suites a server accepts, learnt with raw ClientHellos.

use std::net::SocketAddr;

use super::client_hello::{HelloSpec, SSL3, TLS12, TLS13};
use super::server_answer::{ask, Answer};
use crate::deadline::Deadline;
use crate::wire::names::known_cipher_suites;

/// Every version we ask about, newest first.
pub const VERSIONS: [u16; 5] = [TLS13, TLS12, 0x0302, 0x0301, SSL3];

const TLS13_SUITES: [u16; 5] = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

/// What the server accepted: for each version it agreed to (newest first), the suites it chose,
/// in the order it chose them (its preference, as far as `rounds` went).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accepted {
    pub versions: Vec<(u16, Vec<u16>)>,
}

impl Accepted {
    pub fn suites(&self, version: u16) -> Option<&[u16]> {
        self.versions
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, s)| s.as_slice())
    }
}

/// Ask the server about each version at once (one thread each), and for each version it
/// accepts, up to `rounds` suites: after each answer the chosen suite is withdrawn and the
/// question asked again.
pub fn enumerate(
    addr: SocketAddr,
    sni: Option<&str>,
    rounds: usize,
    deadline: Deadline,
) -> Accepted {
    let results: Vec<(u16, Vec<u16>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = VERSIONS
            .iter()
            .map(|&version| {
                scope.spawn(move || (version, suites_for(addr, sni, version, rounds, deadline)))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    Accepted {
        versions: results.into_iter().filter(|(_, s)| !s.is_empty()).collect(),
    }
}

fn suites_for(
    addr: SocketAddr,
    sni: Option<&str>,
    version: u16,
    rounds: usize,
    deadline: Deadline,
) -> Vec<u16> {
    let mut offered: Vec<u16> = if version == TLS13 {
        TLS13_SUITES.to_vec()
    } else {
        known_cipher_suites()
            .filter(|s| !TLS13_SUITES.contains(s))
            .collect()
    };
    let mut chosen = Vec::new();
    for _ in 0..rounds {
        if offered.is_empty() {
            break;
        }
        let spec = HelloSpec {
            version,
            suites: offered.clone(),
            sni: sni.map(str::to_string),
            random: random(),
            groups: Vec::new(),
        };
        match ask(addr, &spec, deadline) {
            // A server that answers a lower version than asked is counted under that version's
            // own question, not this one.
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

pub(super) fn random() -> [u8; 32] {
    let mut r = [0u8; 32];
    // Not secret: a failure leaves zeros, which servers accept as well.
    let _ = aws_lc_rs::rand::fill(&mut r);
    r
}
