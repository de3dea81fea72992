//! Happy Eyeballs (RFC 8305): connection attempts to a name's addresses raced with a 250 ms
//! stagger, with non-blocking sockets, each wait an `.await` on the event loop's reactor.
//!
//! The addresses are taken in resolver order (getaddrinfo sorts them by RFC 6724), the two
//! families interleaved starting with the first address's. The first attempt starts at once;
//! each next one when the one before has failed, or 250 ms after it started, whichever is
//! first. The first to connect wins; the others are closed. All within one deadline.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use rustix::io::Errno;
use rustix::net::{AddressFamily, SocketFlags, SocketType};

use crate::deadline::Deadline;
use crate::event_loop;

/// RFC 8305's recommended Connection Attempt Delay.
pub const STAGGER: Duration = Duration::from_millis(250);

/// How one attempt ended: connected, failed with an error, or still pending when another won
/// (`Abandoned`) or the deadline came (`TimedOut`).
#[derive(Debug)]
pub enum Ended {
    Connected,
    Failed(io::Error),
    Abandoned,
    TimedOut,
}

/// One attempt: where, when it started (from the race's start) and how long it took.
#[derive(Debug)]
pub struct Attempt {
    pub addr: SocketAddr,
    pub started: Duration,
    pub elapsed: Duration,
    pub ended: Ended,
}

/// The order of the attempts: resolver order, the families interleaved (RFC 8305 4).
pub fn interleave(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    let Some(first) = addrs.first() else {
        return Vec::new();
    };
    let (mut same, mut other): (Vec<SocketAddr>, Vec<SocketAddr>) =
        addrs.iter().partition(|a| a.is_ipv6() == first.is_ipv6());
    same.reverse();
    other.reverse();
    let mut out = Vec::with_capacity(addrs.len());
    loop {
        match (same.pop(), other.pop()) {
            (None, None) => return out,
            (a, b) => out.extend(a.into_iter().chain(b)),
        }
    }
}

/// Race `addrs` (already in attempt order) within `deadline`: the winner's stream, and every
/// attempt made, in the order started.
pub async fn race(
    addrs: &[SocketAddr],
    deadline: Deadline,
) -> (Option<(TcpStream, SocketAddr)>, Vec<Attempt>) {
    let t0 = Instant::now();
    let mut attempts: Vec<Attempt> = Vec::new();
    // Attempts in flight: index into `attempts`, and the socket.
    let mut pending: Vec<(usize, OwnedFd)> = Vec::new();
    let mut next = 0;
    let mut next_at = t0;
    let finish = |a: &mut Attempt, ended: Ended| {
        a.elapsed = t0.elapsed().saturating_sub(a.started);
        a.ended = ended;
    };
    loop {
        if deadline.remaining().is_none() {
            for (i, _) in pending.drain(..) {
                finish(&mut attempts[i], Ended::TimedOut);
            }
            return (None, attempts);
        }
        let now = Instant::now();
        if next < addrs.len() && (pending.is_empty() || now >= next_at) {
            let addr = addrs[next];
            next += 1;
            let i = attempts.len();
            attempts.push(Attempt {
                addr,
                started: now - t0,
                elapsed: Duration::ZERO,
                ended: Ended::TimedOut,
            });
            match start(addr) {
                Ok(Started::Connected(fd)) => {
                    finish(&mut attempts[i], Ended::Connected);
                    return won(fd, i, pending, attempts, t0);
                }
                Ok(Started::Pending(fd)) => {
                    pending.push((i, fd));
                    next_at = now + STAGGER;
                }
                Err(e) => {
                    finish(&mut attempts[i], Ended::Failed(e));
                    next_at = now;
                }
            }
            continue;
        }
        if pending.is_empty() {
            // Every address tried, every attempt failed.
            return (None, attempts);
        }
        // Wait for an attempt to end, the next attempt's time, or the deadline.
        let mut until = deadline.at();
        if next < addrs.len() {
            until = until.min(next_at);
        }
        let waiting = pending.iter().map(|(_, fd)| fd.as_fd()).collect();
        let waited = event_loop::any_writable(waiting, until).await;
        // Which attempts ended: asked without waiting.
        let mut fds: Vec<PollFd<'_>> = pending
            .iter()
            .map(|(_, fd)| PollFd::new(fd, PollFlags::OUT))
            .collect();
        let failed: Option<io::Error> = match waited {
            Err(e) if e.kind() != io::ErrorKind::TimedOut => Some(e),
            _ => match poll(&mut fds, Some(&Timespec::default())) {
                Ok(_) | Err(Errno::INTR) => None,
                Err(errno) => Some(errno.into()),
            },
        };
        if let Some(e) = failed {
            // The reactor or poll could not wait (no memory): every attempt in flight ends
            // with it.
            drop(fds);
            for (i, _) in pending.drain(..) {
                let again = e.raw_os_error().map_or_else(
                    || io::Error::new(e.kind(), e.to_string()),
                    io::Error::from_raw_os_error,
                );
                finish(&mut attempts[i], Ended::Failed(again));
            }
            continue;
        }
        let ready: Vec<bool> = fds.iter().map(|f| !f.revents().is_empty()).collect();
        drop(fds);
        let mut still = Vec::with_capacity(pending.len());
        let mut batch = pending.drain(..).zip(ready);
        while let Some(((i, fd), ready)) = batch.next() {
            if !ready {
                still.push((i, fd));
                continue;
            }
            match rustix::net::sockopt::socket_error(&fd) {
                // Connected, then reset before we looked: connected all the same (a refused
                // SYN is ECONNREFUSED); what the server did next is the handshake's to report,
                // as with a blocking connect.
                Ok(Ok(())) | Ok(Err(Errno::CONNRESET)) | Ok(Err(Errno::PIPE)) => {
                    finish(&mut attempts[i], Ended::Connected);
                    // The attempts after it in this batch are abandoned too, not left as
                    // they were (a timeout of no time).
                    still.extend(batch.map(|(attempt, _)| attempt));
                    return won(fd, i, still, attempts, t0);
                }
                Ok(Err(errno)) | Err(errno) => {
                    finish(&mut attempts[i], Ended::Failed(errno.into()))
                }
            }
            // A failure starts the next attempt at once.
            next_at = Instant::now();
        }
        drop(batch);
        pending = still;
    }
}

/// A socket whose connect began.
enum Started {
    Connected(OwnedFd),
    Pending(OwnedFd),
}

fn start(addr: SocketAddr) -> io::Result<Started> {
    let family = match addr {
        SocketAddr::V4(_) => AddressFamily::INET,
        SocketAddr::V6(_) => AddressFamily::INET6,
    };
    let fd = rustix::net::socket_with(
        family,
        SocketType::STREAM,
        SocketFlags::NONBLOCK | SocketFlags::CLOEXEC,
        None,
    )?;
    match rustix::net::connect(&fd, &addr) {
        Ok(()) => Ok(Started::Connected(fd)),
        Err(Errno::INPROGRESS) | Err(Errno::INTR) => Ok(Started::Pending(fd)),
        Err(e) => Err(e.into()),
    }
}

/// The winner as a blocking stream; the attempts still in flight abandoned (closed).
fn won(
    fd: OwnedFd,
    winner: usize,
    others: Vec<(usize, OwnedFd)>,
    mut attempts: Vec<Attempt>,
    t0: Instant,
) -> (Option<(TcpStream, SocketAddr)>, Vec<Attempt>) {
    for (i, _) in others {
        let a = &mut attempts[i];
        a.elapsed = t0.elapsed().saturating_sub(a.started);
        a.ended = Ended::Abandoned;
    }
    let stream = TcpStream::from(fd);
    match stream.set_nonblocking(false) {
        Ok(()) => (Some((stream, attempts[winner].addr)), attempts),
        Err(e) => {
            attempts[winner].ended = Ended::Failed(e);
            (None, attempts)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addrs(list: &[&str]) -> Vec<SocketAddr> {
        list.iter().map(|a| a.parse().unwrap()).collect()
    }

    #[test]
    fn families_alternate_from_the_first() {
        let got = interleave(&addrs(&[
            "[::1]:1",
            "[::2]:1",
            "[::3]:1",
            "10.0.0.1:1",
            "10.0.0.2:1",
        ]));
        assert_eq!(
            got,
            addrs(&["[::1]:1", "10.0.0.1:1", "[::2]:1", "10.0.0.2:1", "[::3]:1"])
        );
        let got = interleave(&addrs(&["10.0.0.1:1", "[::1]:1", "10.0.0.2:1"]));
        assert_eq!(got, addrs(&["10.0.0.1:1", "[::1]:1", "10.0.0.2:1"]));
        assert!(interleave(&[]).is_empty());
    }

    #[test]
    fn a_refusal_moves_on_at_once_and_the_first_to_answer_wins() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed_addr = closed.local_addr().unwrap();
        drop(closed);
        let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open_addr = open.local_addr().unwrap();
        let (won, attempts) = crate::event_loop::block_on(race(
            &[closed_addr, open_addr],
            Deadline::after(Duration::from_secs(5)),
        ))
        .unwrap();
        let (_, addr) = won.expect("connected");
        assert_eq!(addr, open_addr);
        assert_eq!(attempts.len(), 2);
        assert!(
            matches!(&attempts[0].ended, Ended::Failed(e) if e.kind() == io::ErrorKind::ConnectionRefused)
        );
        assert!(matches!(attempts[1].ended, Ended::Connected));
        assert!(attempts[1].started < STAGGER, "{:?}", attempts[1].started);
    }
}
