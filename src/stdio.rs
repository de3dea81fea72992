//! Standard output as a run finds it. Rust's runtime, before `main`, reopens a closed standard
//! descriptor on `/dev/null` (read-write, so that nothing else takes its number), so a run with
//! stdout closed (`>&-`) would write every report into nothing and exit 0. That is told apart
//! from a person's `>/dev/null`, which shells open write-only.

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;

use rustix::fs::OFlags;

/// Refuse a standard output that was closed. The error is one line.
///
/// Not when standard error looks the same: that is a daemon's child (`daemon(3)` gives all
/// three descriptors a read-write `/dev/null`), where no line would be seen and a script may
/// rely on the exit status alone.
pub fn check() -> Result<(), &'static str> {
    if closed(io::stdout().as_fd()) && !closed(io::stderr().as_fd()) {
        return Err(
            "standard output is closed (or is /dev/null opened read-write, as Rust's runtime \
             leaves a closed one): redirect it to a file, a pipe or >/dev/null",
        );
    }
    Ok(())
}

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
