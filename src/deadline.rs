//! One deadline per probe, derived from `--timeout`; every blocking wait asks it how long is left.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
}

impl Deadline {
    pub fn after(d: Duration) -> Self {
        Deadline {
            at: Instant::now() + d,
        }
    }

    /// Time left, or `None` once the deadline has passed. Never returns a zero duration
    /// (a zero socket timeout means "block forever").
    pub fn remaining(&self) -> Option<Duration> {
        let left = self.at.checked_duration_since(Instant::now())?;
        (left >= Duration::from_millis(1)).then_some(left)
    }

    /// The earlier of this deadline and `d` from now.
    pub fn capped(&self, d: Duration) -> Deadline {
        Deadline {
            at: self.at.min(Instant::now() + d),
        }
    }
}
