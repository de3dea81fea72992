//! The threads tlsprobe starts (probe workers, resolvers, `--scan`'s askers): their stack
//! size, and a way to start them that says when it cannot instead of panicking.

use std::thread;

/// Stack of every thread we start. A probe's deepest stack (measured by lowering the size
/// until it overflowed, with `-vv`, `--scan`, `--http --reconnect`, an RSA-4096 chain and a
/// legacy server's first-flight diagnosis) is under 48 KiB in a release build and 120 KiB in
/// a debug one; 512 KiB leaves four times the worst. The default would be 2 MiB, so a high
/// `--concurrency` reserves a quarter of the address space it did.
pub const STACK: usize = 512 * 1024;

/// A named thread of [`STACK`] bytes; its `spawn` returns an error when the system cannot
/// start one (`ulimit -u`, `ulimit -v`), where `std::thread::spawn` would panic.
pub fn builder(name: String) -> thread::Builder {
    thread::Builder::new().name(name).stack_size(STACK)
}
