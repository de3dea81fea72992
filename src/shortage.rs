//! A local shortage: this machine ran out of something a probe needs (open files, memory,
//! socket buffers, local ports, threads), so the probe could not be made. That says nothing
//! about the server, so it is never reported as one of the server's failures (`dns`,
//! `connect`, a scan finding): the report's status is `local_error` and the exit status 2.

use std::io;

/// What ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortage {
    /// EMFILE: this process's open-file limit (`ulimit -n`).
    OpenFiles,
    /// ENFILE: the whole system's open-file table.
    SystemFiles,
    /// ENOMEM.
    Memory,
    /// ENOBUFS: socket buffer space.
    Buffers,
    /// EADDRNOTAVAIL on connect: every ephemeral port is in use.
    LocalPorts,
    /// A thread could not be started.
    Threads,
}

impl Shortage {
    /// The shortage `e` reports, if it is one. EAGAIN is not one here: on a socket it is a
    /// timeout; a failed thread start is [`Shortage::Threads`] by where it happened.
    pub fn of(e: &io::Error) -> Option<Shortage> {
        #[cfg(unix)]
        {
            use rustix::io::Errno;
            let errno = Errno::from_io_error(e)?;
            [
                (Errno::MFILE, Shortage::OpenFiles),
                (Errno::NFILE, Shortage::SystemFiles),
                (Errno::NOMEM, Shortage::Memory),
                (Errno::NOBUFS, Shortage::Buffers),
                (Errno::ADDRNOTAVAIL, Shortage::LocalPorts),
            ]
            .into_iter()
            .find(|(n, _)| *n == errno)
            .map(|(_, s)| s)
        }
        #[cfg(not(unix))]
        {
            (e.kind() == io::ErrorKind::OutOfMemory).then_some(Shortage::Memory)
        }
    }

    /// One plain line: what ran out, here.
    pub fn message(self) -> &'static str {
        match self {
            Shortage::OpenFiles => {
                "too many open files here: tlsprobe reached its open-file limit (ulimit -n)"
            }
            Shortage::SystemFiles => "too many open files on this machine (the system-wide limit)",
            Shortage::Memory => "out of memory here",
            Shortage::Buffers => "no socket buffer space left here",
            Shortage::LocalPorts => "no free local port here for another connection",
            Shortage::Threads => "cannot start another thread here",
        }
    }

    /// What the user can do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Shortage::OpenFiles => {
                "nothing was learnt about the server: raise the limit (ulimit -n) or lower --concurrency"
            }
            Shortage::LocalPorts => {
                "nothing was learnt about the server: lower --concurrency, or wait for closed connections to expire"
            }
            Shortage::Threads => {
                "nothing was learnt about the server: lower --concurrency or raise the limit (ulimit -u)"
            }
            Shortage::SystemFiles | Shortage::Memory | Shortage::Buffers => {
                "nothing was learnt about the server: lower --concurrency or free resources on this machine"
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn local_errnos_are_shortages_and_remote_ones_are_not() {
        use rustix::io::Errno;
        for (errno, shortage) in [
            (Errno::MFILE, Some(Shortage::OpenFiles)),
            (Errno::NFILE, Some(Shortage::SystemFiles)),
            (Errno::NOMEM, Some(Shortage::Memory)),
            (Errno::NOBUFS, Some(Shortage::Buffers)),
            (Errno::ADDRNOTAVAIL, Some(Shortage::LocalPorts)),
            (Errno::CONNREFUSED, None),
            (Errno::AGAIN, None),
            (Errno::TIMEDOUT, None),
            (Errno::HOSTUNREACH, None),
        ] {
            let e = io::Error::from_raw_os_error(errno.raw_os_error());
            assert_eq!(Shortage::of(&e), shortage, "{e}");
        }
        assert_eq!(Shortage::of(&io::Error::other("no errno")), None);
    }

    #[test]
    fn the_message_says_here() {
        assert!(Shortage::OpenFiles
            .message()
            .starts_with("too many open files here"));
    }
}
