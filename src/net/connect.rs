use std::io;
use std::net::{SocketAddr, TcpStream};

use super::eyeballs::{self, Ended};
use super::NetError;
use crate::deadline::Deadline;
use crate::report::{ms, AttemptOutcome, ConnectAttempt, ErrorKind};
use crate::shortage::Shortage;

/// Connect to the first address that answers within `deadline`, racing them as Happy
/// Eyeballs does ([`super::eyeballs`]); on this thread, blocking until it is done.
pub fn connect(
    addrs: &[SocketAddr],
    deadline: Deadline,
) -> Result<(TcpStream, SocketAddr), NetError> {
    match crate::event_loop::block_on(connect_reporting(addrs, deadline)) {
        Ok((connected, _)) => connected,
        Err(e) => Err(classify(
            addrs.first().copied().unwrap_or(([0, 0, 0, 0], 0).into()),
            &e,
        )
        .1),
    }
}

/// Like [`connect`], with every attempt made: where, when, how it ended.
///
/// When every address fails, the error reported is the most telling one: a local shortage
/// (nothing was learnt) over a refusal (the host is there, the port is closed) over a timeout
/// over an unreachable network; its message says how many other addresses were tried.
pub async fn connect_reporting(
    addrs: &[SocketAddr],
    deadline: Deadline,
) -> (
    Result<(TcpStream, SocketAddr), NetError>,
    Vec<ConnectAttempt>,
) {
    let (won, mut attempts) = eyeballs::race(&eyeballs::interleave(addrs), deadline).await;
    let won = won.and_then(|(stream, addr)| match not_to_itself(stream) {
        Ok(stream) => {
            let _ = stream.set_nodelay(true);
            Some((stream, addr))
        }
        Err(e) => {
            if let Some(a) = attempts.iter_mut().find(|a| a.addr == addr) {
                a.ended = Ended::Failed(e);
            }
            None
        }
    });
    let mut worst: Option<(u8, NetError)> = None;
    let reported = attempts
        .iter()
        .map(|a| {
            let (outcome, error) = match &a.ended {
                Ended::Connected => (AttemptOutcome::Connected, None),
                Ended::Abandoned => (AttemptOutcome::Abandoned, None),
                Ended::TimedOut | Ended::Failed(_) => {
                    let timed_out = io::Error::from(io::ErrorKind::TimedOut);
                    let e = match &a.ended {
                        Ended::Failed(e) => e,
                        _ => &timed_out,
                    };
                    let (rank, err) = classify(a.addr, e);
                    let outcome = AttemptOutcome::of(err.kind);
                    let message = err.message.clone();
                    if worst.as_ref().is_none_or(|(r, _)| rank > *r) {
                        worst = Some((rank, err));
                    }
                    (outcome, Some(message))
                }
            };
            ConnectAttempt {
                address: a.addr.to_string(),
                outcome,
                error,
                started_ms: ms(a.started),
                elapsed_ms: ms(a.elapsed),
            }
        })
        .collect();
    let result = match won {
        Some(w) => Ok(w),
        None => Err(match worst {
            Some((_, mut e)) => {
                let others = attempts.len() - 1;
                if others > 0 {
                    let s = if others == 1 { "" } else { "es" };
                    e.message = format!("{} (and {others} other address{s} tried)", e.message);
                }
                e
            }
            None => NetError {
                kind: ErrorKind::Timeout,
                message: "connect timed out".into(),
                hint: Some(
                    "the host did not answer; check the address and any firewall, or raise --timeout"
                        .into(),
                ),
            },
        }),
    };
    (result, reported)
}

/// A connection to a closed local port can be made from that same port (a TCP simultaneous
/// open with itself): we would read back our own ClientHello. Nothing listens there: refused.
///
/// A peer that accepted and reset at once has no address left to give (`ENOTCONN`): the
/// connection was made, and the handshake's first write or read meets the reset and says so.
fn not_to_itself(stream: TcpStream) -> io::Result<TcpStream> {
    let peer = match stream.peer_addr() {
        Ok(peer) => peer,
        Err(e) if e.kind() == io::ErrorKind::NotConnected => return Ok(stream),
        Err(e) => return Err(e),
    };
    if stream.local_addr()? == peer {
        return Err(io::ErrorKind::ConnectionRefused.into());
    }
    Ok(stream)
}

fn classify(addr: SocketAddr, e: &io::Error) -> (u8, NetError) {
    if let Some(shortage) = Shortage::of(e) {
        return (5, NetError::shortage(shortage));
    }
    let (rank, kind, message, hint) = match e.kind() {
        io::ErrorKind::ConnectionRefused => (
            4,
            ErrorKind::ConnectionRefused,
            format!("connection refused by {addr}"),
            format!(
                "nothing is listening on port {}: check the port and that the service runs",
                addr.port()
            ),
        ),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => (
            3,
            ErrorKind::Timeout,
            format!("connect to {addr} timed out"),
            "the host did not answer; check the address and any firewall, or raise --timeout"
                .to_string(),
        ),
        io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => (
            2,
            ErrorKind::Unreachable,
            format!("{addr} is unreachable: {e}"),
            "check the address and this machine's network route".to_string(),
        ),
        _ => (
            1,
            ErrorKind::Other,
            format!("cannot connect to {addr}: {e}"),
            "check the address and this machine's network".to_string(),
        ),
    };
    (
        rank,
        NetError {
            kind,
            message,
            hint: Some(hint),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_that_resets_on_accept_was_still_connected_to() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        socket2::SockRef::from(&accepted)
            .set_linger(Some(std::time::Duration::ZERO))
            .unwrap();
        drop(accepted);
        // Blocks until the reset has arrived; afterwards the socket has no peer address.
        let mut byte = [0u8; 1];
        assert_eq!(
            client.peek(&mut byte).unwrap_err().kind(),
            io::ErrorKind::ConnectionReset
        );
        assert_eq!(
            client.peer_addr().unwrap_err().kind(),
            io::ErrorKind::NotConnected
        );
        assert!(not_to_itself(client).is_ok());
    }

    #[test]
    fn socket_errors_map_to_the_contract_kinds() {
        let addr: SocketAddr = "192.0.2.1:443".parse().unwrap();
        for (io_kind, kind) in [
            (
                io::ErrorKind::ConnectionRefused,
                ErrorKind::ConnectionRefused,
            ),
            (io::ErrorKind::TimedOut, ErrorKind::Timeout),
            (io::ErrorKind::NetworkUnreachable, ErrorKind::Unreachable),
            (io::ErrorKind::HostUnreachable, ErrorKind::Unreachable),
            (io::ErrorKind::PermissionDenied, ErrorKind::Other),
        ] {
            let (_, e) = classify(addr, &io::Error::from(io_kind));
            assert_eq!(e.kind, kind, "{io_kind:?}");
            assert!(e.message.contains("192.0.2.1:443"), "{}", e.message);
            assert!(e.hint.is_some());
        }
    }

    #[test]
    fn a_local_shortage_is_no_verdict_on_the_server() {
        let addr: SocketAddr = "192.0.2.1:443".parse().unwrap();
        let emfile = io::Error::from_raw_os_error(24);
        let (rank, e) = classify(addr, &emfile);
        assert_eq!(e.kind, ErrorKind::Local);
        assert!(
            e.message.starts_with("too many open files here"),
            "{}",
            e.message
        );
        let (refused, _) = classify(addr, &io::Error::from(io::ErrorKind::ConnectionRefused));
        assert!(rank > refused);
    }

    #[test]
    fn a_refusal_outranks_an_unreachable_address() {
        let refused = classify(
            "127.0.0.1:1".parse().unwrap(),
            &io::Error::from(io::ErrorKind::ConnectionRefused),
        );
        let unreachable = classify(
            "[::1]:1".parse().unwrap(),
            &io::Error::from(io::ErrorKind::NetworkUnreachable),
        );
        assert!(refused.0 > unreachable.0);
    }
}
