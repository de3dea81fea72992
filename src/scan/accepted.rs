//! Which protocol versions and cipher suites a server accepts, learnt with raw ClientHellos.

use crate::net::Dialer;

use std::sync::atomic::AtomicUsize;

use super::asker::{parallel, Asker, VERSIONS};
use crate::deadline::Deadline;

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
/// accepts, up to `rounds` suites.
pub fn enumerate(
    dialer: &Dialer,
    sni: Option<&str>,
    rounds: usize,
    deadline: Deadline,
) -> Accepted {
    let connections = AtomicUsize::new(0);
    let asker = Asker {
        dialer,
        sni,
        deadline,
        connections: &connections,
    };
    let results = parallel(&VERSIONS, VERSIONS.len(), |&v| (v, asker.suites(v, rounds)));
    Accepted {
        versions: results.into_iter().filter(|(_, s)| !s.is_empty()).collect(),
    }
}
