//! Probes as futures, on a small executor of our own over mio's readiness (epoll).
//!
//! Every wait of a probe on the network (a connection attempt, the server's next records, a
//! DNS answer from the resolver pool) is an `.await` on [`readable`], [`writable`], [`sleep_until`]
//! or a [`oneshot`]. One probe alone runs with [`block_on`] on the calling thread; many probes
//! at once run as [`Tasks`] on one thread per core, where a waiting probe holds only its own
//! state (no thread, no stack). Both run the same code, so a report does not depend on how
//! many targets there were.
//!
//! The reactor is per thread: a future registers its socket with the reactor of the thread
//! that polls it, and a waker called from another thread (the resolver pool, a diagnosis run
//! on a thread of its own: [`Offload`]) wakes that thread's `epoll_wait`.

mod offload;
mod oneshot;
mod reactor;
mod tasks;

pub use offload::{inline, Job, Offload};
pub use oneshot::{oneshot, Receiver, Sender};
pub use reactor::{any_writable, before, readable, sleep_until, writable, Poke};
pub use tasks::{block_on, Tasks};

#[cfg(test)]
mod tests;
