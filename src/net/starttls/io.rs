//! Bounded reads and writes for the preambles. They read byte by byte: preambles are short,
//! and a byte too many would belong to the TLS handshake that follows on the same socket.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;

use super::Refused;
use crate::deadline::Deadline;

fn timed_out() -> Refused {
    Refused("no answer within the timeout".into())
}

pub(super) fn send(
    stream: &mut TcpStream,
    bytes: &[u8],
    deadline: Deadline,
) -> Result<(), Refused> {
    let left = deadline.remaining().ok_or_else(timed_out)?;
    stream
        .set_write_timeout(Some(left))
        .map_err(|e| Refused(e.to_string()))?;
    stream
        .write_all(bytes)
        .map_err(|e| Refused(format!("cannot send: {e}")))
}

/// One byte, or `None` when the server closed the connection.
pub(super) fn read_byte(stream: &mut TcpStream, deadline: Deadline) -> Result<Option<u8>, Refused> {
    let left = deadline.remaining().ok_or_else(timed_out)?;
    stream
        .set_read_timeout(Some(left))
        .map_err(|e| Refused(e.to_string()))?;
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(byte[0])),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            Err(timed_out())
        }
        Err(e) => Err(Refused(e.to_string())),
    }
}

/// Exactly `buf.len()` bytes.
pub(super) fn read_exact(
    stream: &mut TcpStream,
    buf: &mut [u8],
    deadline: Deadline,
) -> Result<(), Refused> {
    for slot in buf.iter_mut() {
        *slot = read_byte(stream, deadline)?
            .ok_or_else(|| Refused("the server closed the connection".into()))?;
    }
    Ok(())
}
