use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use rustls::ClientConnection;

use crate::deadline::Deadline;
use crate::event_loop;
use crate::record::Recorder;

/// Why a handshake did not complete.
#[derive(Debug)]
pub enum DriveError {
    /// rustls refused what the peer sent, or the peer sent an alert.
    Tls(rustls::Error),
    /// The peer closed the connection (EOF) before the handshake completed.
    Closed,
    /// The deadline passed while waiting for the peer.
    Timeout,
    Io(io::Error),
    /// The peer turned us away in its own protocol, after the handshake (its words, quoted).
    Refused(String),
}

/// The words reports carry (`--reconnect`'s `error`, `--send`'s `note`): what happened, in
/// plain words, never an enum's name.
impl fmt::Display for DriveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriveError::Tls(e) => f.write_str(&crate::diagnose::words::tls_error(e)),
            DriveError::Closed => f.write_str("the server closed the connection"),
            DriveError::Timeout => f.write_str("no answer from the server in time"),
            DriveError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset => {
                f.write_str("the server reset the connection")
            }
            DriveError::Io(e) => write!(f, "the connection failed: {e}"),
            DriveError::Refused(words) => write!(f, "the server refused us: {words}"),
        }
    }
}

/// How long, after the handshake, we keep listening for what a server sends once it has our
/// Finished: TLS 1.3 session tickets, and alerts such as `certificate_required` that reject the
/// client only after the client thinks the handshake is done. Bounded further by the deadline.
const AFTER_HANDSHAKE: Duration = Duration::from_secs(1);

/// Run the handshake to completion, or to the first failure, within `deadline`.
pub async fn drive_handshake(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    deadline: Deadline,
) -> Result<(), DriveError> {
    loop {
        if let Err(e) = flush(conn, io, deadline).await {
            return Err(what_the_peer_said(conn, io, deadline, e).await);
        }
        if !conn.is_handshaking() {
            io.handshake_done();
            return Ok(());
        }
        read_some(conn, io, deadline, None).await?;
    }
}

/// A write failed: the peer may have said why before it went (an alert, already on its way
/// when we wrote), or closed or reset the connection. That is the failure, if it is there;
/// otherwise the write's own error.
async fn what_the_peer_said(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    deadline: Deadline,
    write_error: DriveError,
) -> DriveError {
    if !matches!(write_error, DriveError::Io(_)) {
        return write_error;
    }
    match read_some(conn, io, deadline.capped(AFTER_HANDSHAKE), None).await {
        // Its alert, or how it went (a close, a reset) says more than our broken pipe.
        Err(e @ (DriveError::Tls(_) | DriveError::Closed)) => e,
        Err(DriveError::Io(e)) if e.kind() == io::ErrorKind::ConnectionReset => DriveError::Io(e),
        _ => write_error,
    }
}

/// After a handshake in which the server asked for a client certificate and got none: its
/// verdict may come only once the handshake is done (TLS 1.3 servers read our certificate
/// after their Finished). Read until it shows, within the short window after the handshake:
/// data from the server, or silence, is `Ok` (session tickets are no verdict: servers such as
/// Postfix send them before they judge); an alert, a close (even a polite one), a reset, or
/// bytes that are not TLS is the server turning us away.
pub async fn await_verdict(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    deadline: Deadline,
) -> Result<(), DriveError> {
    let deadline = deadline.capped(AFTER_HANDSHAKE);
    let mut data = Vec::new();
    loop {
        match read_some(conn, io, deadline, Some(&mut data)).await {
            // Tickets beyond what the recording keeps: no verdict is coming.
            Ok(false) if io.is_cut() => return Ok(()),
            Ok(false) if data.is_empty() => {}
            Ok(false) | Err(DriveError::Timeout) => return Ok(()),
            Ok(true) => return Err(DriveError::Closed),
            Err(e) => return Err(e),
        }
    }
}

/// Send application data, then collect the peer's answer until `enough` says so, the peer
/// closes, `limit` bytes arrived, or `deadline` passes (whichever first). What arrived is
/// returned even when the exchange ended in an error, with that error.
pub async fn exchange(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    data: &[u8],
    limit: usize,
    enough: impl Fn(&[u8]) -> bool,
    deadline: Deadline,
) -> (Vec<u8>, Option<DriveError>) {
    let mut answer = Vec::new();
    if let Err(e) = conn.writer().write_all(data) {
        return (answer, Some(DriveError::Io(e)));
    }
    if let Err(e) = flush(conn, io, deadline).await {
        return (answer, Some(e));
    }
    // A server that sends more than the recording keeps is not heard further.
    while !enough(&answer) && answer.len() < limit && !io.is_cut() {
        match read_some(conn, io, deadline, Some(&mut answer)).await {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return (answer, Some(e)),
        }
    }
    (answer, None)
}

/// Close the connection politely and collect what the server sends after the handshake, until
/// it closes, fails, or the short post-handshake window ends. A failure here (an alert) means
/// the server rejected the handshake after all.
pub async fn finish(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    deadline: Deadline,
) -> Result<(), DriveError> {
    let deadline = deadline.capped(AFTER_HANDSHAKE);
    conn.send_close_notify();
    // A write failure here means the peer is already gone: what it sent is still to be read.
    let _ = flush(conn, io, deadline).await;
    while !io.is_cut() {
        match read_some(conn, io, deadline, None).await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(DriveError::Tls(e)) => return Err(DriveError::Tls(e)),
            // EOF, reset or the end of the window after the handshake completed is a normal end.
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Write everything rustls has queued. The socket is non-blocking: when the kernel takes no
/// more, wait until it does, within `deadline`.
async fn flush(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    deadline: Deadline,
) -> Result<(), DriveError> {
    while conn.wants_write() {
        deadline.remaining().ok_or(DriveError::Timeout)?;
        match conn.write_tls(io) {
            Ok(_) => {}
            // Nothing was written; rustls still holds it all.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                wait(event_loop::writable(io.get_ref(), deadline).await)?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(DriveError::Io(e)),
        }
    }
    io.flush().map_err(DriveError::Io)
}

/// A wait's end as the drive reports it: the deadline is a timeout.
fn wait(waited: io::Result<()>) -> Result<(), DriveError> {
    match waited {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::TimedOut => Err(DriveError::Timeout),
        Err(e) => Err(DriveError::Io(e)),
    }
}

/// Read once from the peer and let rustls process it; application data goes to `plaintext`
/// (or is dropped). Returns `Ok(true)` once the peer has closed cleanly (close_notify).
async fn read_some(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    deadline: Deadline,
    plaintext: Option<&mut Vec<u8>>,
) -> Result<bool, DriveError> {
    loop {
        deadline.remaining().ok_or(DriveError::Timeout)?;
        match conn.read_tls(io) {
            Ok(0) => return Err(DriveError::Closed),
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                wait(event_loop::readable(io.get_ref(), deadline).await)?;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(DriveError::Io(e)),
        }
    }
    match conn.process_new_packets() {
        Ok(state) => {
            // Application data nobody asked for (a server that speaks first) is drained so
            // rustls's buffer does not fill.
            if state.plaintext_bytes_to_read() > 0 {
                let mut reader = conn.reader().take(u64::MAX);
                let _ = match plaintext {
                    Some(buf) => reader.read_to_end(buf).map(|_| ()),
                    None => io::copy(&mut reader, &mut io::sink()).map(|_| ()),
                };
            }
            Ok(state.peer_has_closed())
        }
        Err(e) => {
            // Send the alert rustls queued, so the server learns why (and it shows in the
            // transcript); best effort, the connection is failing anyway.
            let _ = flush(conn, io, deadline).await;
            Err(DriveError::Tls(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_plain_words() {
        let errors = [
            DriveError::Tls(rustls::Error::AlertReceived(
                rustls::AlertDescription::HandshakeFailure,
            )),
            DriveError::Closed,
            DriveError::Timeout,
            DriveError::Io(io::Error::from(io::ErrorKind::ConnectionReset)),
        ];
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "the server sent the alert handshake_failure",
                "the server closed the connection",
                "no answer from the server in time",
                "the server reset the connection",
            ]
        );
    }
}
