//! One deadline per probe, derived from `--timeout`; every blocking wait asks it how long is left.

use std::time::{Duration, Instant};

/// The longest single socket wait ([`Deadline::slice`]): within the first level of the
/// kernel's timer wheel (64 ticks: 64 ms at HZ=1000, more at lower HZ), where a timeout ends
/// within a tick of when it should. A waiting probe wakes 20 times a second; that costs little.
pub const SLICE: Duration = Duration::from_millis(50);

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

    /// When it passes.
    pub fn at(&self) -> Instant {
        self.at
    }

    /// Time left, or `None` once the deadline has passed. Never returns a zero duration
    /// (a zero socket timeout means "block forever").
    pub fn remaining(&self) -> Option<Duration> {
        let left = self.at.checked_duration_since(Instant::now())?;
        (left >= Duration::from_millis(1)).then_some(left)
    }

    /// How long the next blocking socket wait may be: what is left, at most [`SLICE`]. A
    /// socket timeout (SO_RCVTIMEO) rides the kernel's timer wheel, which fires a long timeout
    /// late by up to an eighth of it (a 3 s wait ends up to 250 ms late at HZ=250); a short one
    /// is exact to a tick. So a long wait is made of slices: on a timeout, wait again while
    /// [`Deadline::remaining`] says there is time.
    pub fn slice(&self) -> Option<Duration> {
        self.remaining().map(|left| left.min(SLICE))
    }

    /// The earlier of this deadline and `d` from now.
    pub fn capped(&self, d: Duration) -> Deadline {
        Deadline {
            at: self.at.min(Instant::now() + d),
        }
    }
}
