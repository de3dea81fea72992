//! One connection attempt of a probe: where it went, when, and how it ended. Happy Eyeballs
//! may make several, to the addresses of one name (`target.attempts[]`).

use serde::Serialize;

use super::ErrorKind;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectAttempt {
    /// `ip:port` (`[v6]:port`).
    pub address: String,
    pub outcome: AttemptOutcome,
    /// Why it failed, in one line; null when it connected or was abandoned.
    pub error: Option<String>,
    /// When it started, from the first attempt's start.
    pub started_ms: f64,
    /// How long it ran until it connected, failed, or was given up.
    pub elapsed_ms: f64,
}

/// How an attempt ended. The failures are the contract's `error.kind` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    Connected,
    /// Still connecting when another address connected: closed.
    Abandoned,
    ConnectionRefused,
    Timeout,
    Unreachable,
    /// This machine ran out of something (descriptors, ports, memory).
    LocalError,
    Other,
}

impl AttemptOutcome {
    /// The outcome of a failure of this kind.
    pub fn of(kind: ErrorKind) -> AttemptOutcome {
        match kind {
            ErrorKind::ConnectionRefused => AttemptOutcome::ConnectionRefused,
            ErrorKind::Timeout => AttemptOutcome::Timeout,
            ErrorKind::Unreachable => AttemptOutcome::Unreachable,
            ErrorKind::Local => AttemptOutcome::LocalError,
            _ => AttemptOutcome::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AttemptOutcome::Connected => "connected",
            AttemptOutcome::Abandoned => "abandoned",
            AttemptOutcome::ConnectionRefused => "connection_refused",
            AttemptOutcome::Timeout => "timeout",
            AttemptOutcome::Unreachable => "unreachable",
            AttemptOutcome::LocalError => "local_error",
            AttemptOutcome::Other => "other",
        }
    }
}
