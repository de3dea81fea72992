//! The standard descriptors as a run finds them. Rust's runtime, before `main`, reopens a closed
//! one on `/dev/null` read-write (so that nothing else takes its number). A standard input
//! found so has nothing to read: it is refused as a source of targets or certificates. A
//! standard output found so is written to like any `/dev/null`: programs hand their children a
//! read-write `/dev/null` too (Python's `subprocess.DEVNULL`, Go's exec), and those runs, which
//! want only the exit status, must not fail.

use std::fs::File;
use std::os::unix::fs::MetadataExt;

use rustix::fs::OFlags;

/// Closed, or `/dev/null` opened read-write: what Rust's runtime made of a closed descriptor.
pub fn closed(fd: std::os::fd::BorrowedFd<'_>) -> bool {
    let Ok(owned) = fd.try_clone_to_owned() else {
        return true;
    };
    let read_write =
        rustix::fs::fcntl_getfl(&owned).is_ok_and(|flags| flags & OFlags::RWMODE == OFlags::RDWR);
    let null = std::fs::metadata("/dev/null").map(|m| m.rdev()).ok();
    let this = File::from(owned).metadata().map(|m| m.rdev()).ok();
    read_write && null.is_some() && this == null
}
