//! Work that blocks (a failed handshake's diagnosis, which opens connections of its own and
//! waits on them), taken off an event loop's thread so the probes beside it go on.

use std::sync::{Arc, Mutex, PoisonError};

use super::oneshot::oneshot;

/// A job that blocks, boxed.
pub type Job<'s> = Box<dyn FnOnce() + Send + 's>;

/// Where blocking jobs run: on the calling thread ([`INLINE`]: a probe on a thread of its
/// own), or on a thread of their own (a probe on an event loop: the runner's scoped threads).
/// Jobs may borrow what lives for `'s`.
#[derive(Clone, Copy)]
pub struct Offload<'r, 's>(pub &'r (dyn Fn(Job<'s>) + Sync));

/// Blocking jobs run where they are asked for.
pub fn inline<'r, 's: 'r>() -> Offload<'r, 's> {
    Offload(&|job: Job<'s>| job())
}

impl<'s> Offload<'_, 's> {
    /// Run `f` where this offload says, and wait for its result without blocking the thread.
    pub async fn run<T: Send + 's>(self, f: impl FnOnce() -> T + Send + 's) -> T {
        // The job is kept here too: when the thread for it cannot be started it is run on
        // this one after all, late rather than never.
        let job = Arc::new(Mutex::new(Some(f)));
        let (tx, rx) = oneshot();
        let theirs = job.clone();
        (self.0)(Box::new(move || {
            let f = theirs.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(f) = f {
                tx.send(f());
            }
        }));
        if let Some(value) = rx.await {
            return value;
        }
        let f = job.lock().unwrap_or_else(PoisonError::into_inner).take();
        match f {
            Some(f) => f(),
            // Taken and dropped mid-run: only a panic in `f` does that; there is no value.
            None => panic!("a job run on a thread of its own panicked"),
        }
    }
}
