//! The process's resource limits, and how many probes they let run at once: the soft
//! open-file limit is raised to the hard one, then `--concurrency` is lowered to what the
//! open files and the address space left can hold, so that a run of many targets does not
//! turn into local failures (see [`crate::shortage`]).

use crate::threads;

/// Open files one probe may hold at once: a failed handshake's diagnosis asks about five
/// versions at once, each on its own connection (the probe's own is closed by then).
const FILES_PER_PROBE: usize = 5;

/// Open files kept for the process itself: standard streams, the key log, the targets file,
/// and what the resolver threads open (/etc/hosts, a socket to the DNS server).
const FILES_RESERVED: usize = 32;

/// `--scan` asks about at most this many things at once (the key-exchange groups).
const SCAN_WIDEST: usize = 13;

/// Address space a probe may need beyond its thread's stack (its heap: the records, the
/// chain, the report), reserved when `ulimit -v` is set.
const HEAP_PER_PROBE: u64 = 8 << 20;

/// Raise the soft open-file limit to the hard limit; a failure leaves the limit as it was.
pub fn raise_open_files() {
    #[cfg(unix)]
    {
        use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
        let limit = getrlimit(Resource::Nofile);
        if limit.current != limit.maximum {
            let _ = setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: limit.maximum,
                    maximum: limit.maximum,
                },
            );
        }
    }
}

/// What the limits leave now: `None` where there is no limit, or it cannot be known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Room {
    /// Open files: the soft limit, and how many are open already.
    pub files: Option<(usize, usize)>,
    /// Address space (`ulimit -v`): the soft limit, and how much is mapped already, in bytes.
    pub address_space: Option<(u64, u64)>,
}

impl Room {
    /// The room this process has now (Linux: from /proc/self; elsewhere, open files only).
    pub fn now() -> Room {
        #[cfg(unix)]
        {
            use rustix::process::{getrlimit, Resource};
            let open = std::fs::read_dir("/proc/self/fd")
                .or_else(|_| std::fs::read_dir("/dev/fd"))
                .map_or(16, |d| d.count());
            let files = getrlimit(Resource::Nofile)
                .current
                .map(|n| (usize::try_from(n).unwrap_or(usize::MAX), open));
            let address_space = getrlimit(Resource::As)
                .current
                .and_then(|limit| Some((limit, mapped()?)));
            Room {
                files,
                address_space,
            }
        }
        #[cfg(not(unix))]
        {
            Room::default()
        }
    }
}

/// Bytes of address space mapped now (`VmSize` in /proc/self/status).
fn mapped() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmSize:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// How many probes may run at once, and with how many `--scan` connections each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    pub workers: usize,
    pub scan: Option<usize>,
    /// Why `workers` is lower than asked, for the one warning.
    pub workers_lowered: Option<String>,
    /// Why `scan` is lower than asked.
    pub scan_lowered: Option<String>,
}

/// Share `room` out: `wanted` probes at once (`--concurrency`), each with `scan` connections
/// of its own for `--scan`. At least one probe, with at least one scan connection, always.
pub fn capacity(wanted: usize, scan: Option<usize>, room: Room) -> Capacity {
    let wanted = wanted.max(1);
    let scan_width = scan.map_or(0, |s| s.clamp(1, SCAN_WIDEST));
    let mut capacity = Capacity {
        workers: wanted,
        scan,
        workers_lowered: None,
        scan_lowered: None,
    };
    if let Some((limit, open)) = room.files {
        let budget = limit.saturating_sub(open + FILES_RESERVED);
        let per_probe = FILES_PER_PROBE.max(scan_width);
        let fit = (budget / per_probe).max(1);
        if fit < wanted {
            capacity.workers = fit;
            capacity.workers_lowered = Some(format!(
                "--concurrency {wanted} lowered to {fit}: the open-file limit ({limit}, ulimit -n) \
                 leaves room for {fit} probe{} at once",
                if fit == 1 { "" } else { "s" }
            ));
        }
        if budget < scan_width {
            let width = budget.max(1);
            capacity.scan = Some(width);
            capacity.scan_lowered = Some(format!(
                "--scan lowered to {width} connection{} at once, one probe at a time: the \
                 open-file limit ({limit}, ulimit -n) leaves no more",
                if width == 1 { "" } else { "s" }
            ));
        }
    }
    if let Some((limit, mapped)) = room.address_space {
        // Half of what is left, for the probes' threads and heaps; the rest for everything
        // else (the allocator's arenas, the run's own buffers).
        let left = limit.saturating_sub(mapped) / 2;
        let stack = threads::STACK as u64;
        let per_probe = stack + HEAP_PER_PROBE + stack * scan_width as u64;
        let fit = usize::try_from(left / per_probe)
            .unwrap_or(usize::MAX)
            .max(1);
        if fit < capacity.workers {
            capacity.workers = fit;
            capacity.workers_lowered = Some(format!(
                "--concurrency {wanted} lowered to {fit}: the address-space limit ({} MiB, \
                 ulimit -v) leaves room for {fit} probe{} at once",
                limit >> 20,
                if fit == 1 { "" } else { "s" }
            ));
        }
    }
    capacity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plenty_of_room_keeps_the_concurrency_asked() {
        let room = Room {
            files: Some((1 << 20, 10)),
            address_space: None,
        };
        let c = capacity(512, Some(512), room);
        assert_eq!((c.workers, c.scan), (512, Some(512)));
        assert_eq!((c.workers_lowered, c.scan_lowered), (None, None));
        assert_eq!(capacity(16, None, Room::default()).workers, 16);
    }

    #[test]
    fn few_open_files_lower_the_concurrency() {
        let room = Room {
            files: Some((256, 4)),
            address_space: None,
        };
        let c = capacity(512, None, room);
        assert_eq!(c.workers, (256 - 4 - FILES_RESERVED) / FILES_PER_PROBE);
        assert!(c.workers_lowered.unwrap().contains("open-file limit (256"));
        // With --scan, a probe holds up to 13 connections.
        assert_eq!(capacity(512, Some(512), room).workers, (256 - 36) / 13);
    }

    #[test]
    fn too_few_for_one_probe_leaves_one_with_a_narrower_scan() {
        let room = Room {
            files: Some((40, 3)),
            address_space: None,
        };
        let c = capacity(16, Some(16), room);
        assert_eq!((c.workers, c.scan), (1, Some(5)));
        assert!(c.scan_lowered.is_some());
        let c = capacity(
            16,
            None,
            Room {
                files: Some((3, 3)),
                address_space: None,
            },
        );
        assert_eq!((c.workers, c.scan), (1, None));
    }

    #[test]
    fn a_small_address_space_lowers_the_concurrency() {
        let room = Room {
            files: None,
            address_space: Some((2_000_000 << 10, 200 << 20)),
        };
        let c = capacity(4096, None, room);
        assert!(c.workers > 16 && c.workers < 4096, "{c:?}");
        assert!(c.workers_lowered.unwrap().contains("ulimit -v"));
    }
}
