//! Linux's kernel timestamps: when each segment arrived (`SO_TIMESTAMPNS`, read with
//! `recvmsg`), and when each write left (`SO_TIMESTAMPING` software transmit stamps, read from
//! the socket's error queue). Both are what a capture on the same machine shows, to a few
//! microseconds; the times a program can take itself are off by however long it waited to be
//! scheduled.

use std::io::{self, IoSliceMut};
use std::net::{TcpStream, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use nix::errno::Errno;
use nix::libc;
use nix::sys::socket::{
    recvmsg, setsockopt, sockopt, ControlMessageOwned, MsgFlags, TimestampingFlag, Timestamps,
};
use nix::sys::time::TimeSpec;

/// How long a recording waits for the kernel to start stamping arrivals (the worker that does
/// it runs within a millisecond on an idle machine); after that, reads are stamped when they
/// return, as where there are no kernel timestamps.
const WAIT_AT_MOST: Duration = Duration::from_millis(5);

/// At most this many departures are taken from the error queue at once.
const DEPARTURES_AT_ONCE: usize = 64;

/// Keys departures by the write sequence number when the option was set (Linux 6.2 and
/// later; nix does not name it). Without it they count from the first unacknowledged byte,
/// the same when nothing is in flight, as when a recording starts.
const OPT_ID_TCP: u32 = 1 << 16;

/// A departure stamp taken as the packet is handed to the device (`linux/net_tstamp.h`).
const SCM_TSTAMP_SND: u32 = 0;

/// The socket that holds arrival stamps on for the whole system while the process lives,
/// bound to the loopback; it also tells whether they are on yet.
///
/// Linux turns them on lazily, from a worker thread, when the first socket asks, and off again
/// when the last one closes: without it, each probe's first segments could come unstamped. It
/// is made with the first recording, not at start-up, so that it never takes the descriptor a
/// probe needed.
pub(super) fn hold() -> Option<&'static UdpSocket> {
    static HOLD: OnceLock<Option<UdpSocket>> = OnceLock::new();
    HOLD.get_or_init(|| {
        let socket = UdpSocket::bind("127.0.0.1:0").ok()?;
        setsockopt(&socket, sockopt::ReceiveTimestampns, &true).ok()?;
        socket.set_nonblocking(true).ok()?;
        Some(socket)
    })
    .as_ref()
}

/// Wait, at most [`WAIT_AT_MOST`], until the kernel stamps packets as they arrive. Once per
/// process: the first recording waits, and those that start meanwhile wait for it (blocked,
/// not each polling); once it has returned, stamping is on or is not coming.
pub(super) fn wait_until_on() {
    static WAITED: OnceLock<()> = OnceLock::new();
    WAITED.get_or_init(|| {
        let Some(socket) = hold() else { return };
        let started = Instant::now();
        loop {
            match stamped_on_arrival(socket) {
                // On; or cannot tell: nothing to wait for.
                Some(true) | None => return,
                Some(false) if started.elapsed() >= WAIT_AT_MOST => return,
                Some(false) => std::thread::sleep(Duration::from_micros(50)),
            }
        }
    });
}

/// Send ourselves a datagram: stamped on arrival, its time comes before `send_to` returned;
/// stamped only by `recvmsg` (what the kernel does while arrival stamps are off), after.
/// `None` when the test itself fails.
fn stamped_on_arrival(socket: &UdpSocket) -> Option<bool> {
    let me = socket.local_addr().ok()?;
    socket.send_to(b"t", me).ok()?;
    let sent = SystemTime::now();
    let mut byte = [0u8; 1];
    match receive_on(socket.as_fd(), &mut byte, false) {
        Ok((1, at)) => Some(at? <= sent),
        _ => None,
    }
}

/// Ask for both stamps on `stream`; true when departures will be reported.
pub(super) fn stamp_times(stream: &TcpStream) -> bool {
    // Without them, reads are stamped when they return, writes as they begin: less exact,
    // never wrong.
    let _ = setsockopt(stream, sockopt::ReceiveTimestampns, &true);
    let flags = TimestampingFlag::SOF_TIMESTAMPING_TX_SOFTWARE
        | TimestampingFlag::SOF_TIMESTAMPING_SOFTWARE
        | TimestampingFlag::SOF_TIMESTAMPING_OPT_ID
        | TimestampingFlag::SOF_TIMESTAMPING_OPT_TSONLY;
    let with_tcp_key = flags | TimestampingFlag::from_bits_retain(OPT_ID_TCP);
    setsockopt(stream, sockopt::Timestamping, &with_tcp_key).is_ok()
        || setsockopt(stream, sockopt::Timestamping, &flags).is_ok()
}

pub(super) fn receive(
    stream: &TcpStream,
    buf: &mut [u8],
    wait: bool,
) -> io::Result<(usize, Option<SystemTime>)> {
    receive_on(stream.as_fd(), buf, wait)
}

fn receive_on(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    wait: bool,
) -> io::Result<(usize, Option<SystemTime>)> {
    let flags = if wait {
        MsgFlags::empty()
    } else {
        MsgFlags::MSG_DONTWAIT
    };
    // With SO_TIMESTAMPING on, an SCM_TIMESTAMPING comes too.
    let mut space = nix::cmsg_space!(TimeSpec, Timestamps);
    let mut iov = [IoSliceMut::new(buf)];
    let msg = loop {
        match recvmsg::<()>(fd.as_raw_fd(), &mut iov, Some(&mut space), flags) {
            Err(Errno::EINTR) => continue,
            Err(Errno::EAGAIN) if !wait => return Ok((0, None)),
            Err(e) => return Err(io::Error::from(e)),
            Ok(msg) => break msg,
        }
    };
    let at = msg.cmsgs().ok().and_then(|mut all| {
        all.find_map(|c| match c {
            ControlMessageOwned::ScmTimestampns(ts) => wall_time(ts),
            _ => None,
        })
    });
    Ok((msg.bytes, at))
}

/// The departures waiting in `stream`'s error queue, without waiting.
pub(super) fn departures(stream: &TcpStream) -> Vec<(u32, SystemTime)> {
    let mut out = Vec::new();
    let flags = MsgFlags::MSG_ERRQUEUE | MsgFlags::MSG_DONTWAIT;
    let mut space = nix::cmsg_space!(Timestamps, libc::sock_extended_err, libc::sockaddr_in6);
    for _ in 0..DEPARTURES_AT_ONCE {
        // OPT_TSONLY: no copy of the packet, only the stamp and its key.
        let mut nothing = [0u8; 0];
        let mut iov = [IoSliceMut::new(&mut nothing)];
        let Ok(msg) = recvmsg::<()>(stream.as_raw_fd(), &mut iov, Some(&mut space), flags) else {
            break;
        };
        let (mut when, mut key) = (None, None);
        let Ok(all) = msg.cmsgs() else { break };
        for c in all {
            match c {
                ControlMessageOwned::ScmTimestampsns(t) => when = wall_time(t.system),
                ControlMessageOwned::Ipv4RecvErr(e, _) | ControlMessageOwned::Ipv6RecvErr(e, _)
                    if e.ee_origin == libc::SO_EE_ORIGIN_TIMESTAMPING
                        && e.ee_info == SCM_TSTAMP_SND =>
                {
                    key = Some(e.ee_data);
                }
                _ => {}
            }
        }
        if let (Some(when), Some(key)) = (when, key) {
            out.push((key, when));
        }
    }
    out
}

/// A kernel timestamp (CLOCK_REALTIME) as a wall-clock time; `None` for the zero stamp.
fn wall_time(ts: TimeSpec) -> Option<SystemTime> {
    let secs = u64::try_from(ts.tv_sec()).ok()?;
    let nanos = u32::try_from(ts.tv_nsec()).ok()?;
    if secs == 0 && nanos == 0 {
        return None;
    }
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, nanos))
}
