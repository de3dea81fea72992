//! The preamble's side of the socket: bounded reads and writes, each line or message logged
//! with its time. Reads go byte by byte: preambles are short, and a byte too many would
//! belong to the TLS handshake that follows on the same socket.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime};

use super::{Cause, Refused};
use crate::deadline::Deadline;
use crate::record::Chunk;
use crate::report::{PreambleLine, Side};

/// At most this many lines or messages are kept for the report.
const MAX_LOGGED: usize = 64;
/// At most this many characters of one logged line.
const MAX_LOGGED_CHARS: usize = 1024;
/// At most this much of what the server said is kept, to recognise it when the preamble fails.
const MAX_HEARD: usize = 4096;
/// At most this much of the exchange is kept raw, for `--pcap` (preambles are a few hundred
/// bytes; past this, the capture's preamble is cut short).
const MAX_RAW: usize = 64 * 1024;
/// Server bytes read this close together came in one segment, as far as a capture goes.
const SAME_SEGMENT: Duration = Duration::from_millis(1);

/// The socket, the deadline, and the record of the exchange so far.
pub(super) struct Wire<'a> {
    stream: &'a mut TcpStream,
    deadline: Deadline,
    start: Instant,
    pub(super) log: Vec<PreambleLine>,
    pub(super) truncated: bool,
    /// The server's first bytes, raw, up to [`MAX_HEARD`].
    pub(super) heard: Vec<u8>,
    /// Every byte both ways, with the wall-clock time it crossed, up to [`MAX_RAW`].
    pub(super) raw: Vec<Chunk>,
    raw_kept: usize,
}

impl<'a> Wire<'a> {
    pub(super) fn new(stream: &'a mut TcpStream, deadline: Deadline) -> Self {
        Wire {
            stream,
            deadline,
            start: Instant::now(),
            log: Vec::new(),
            truncated: false,
            heard: Vec::new(),
            raw: Vec::new(),
            raw_kept: 0,
        }
    }

    /// Keep `bytes` for the capture: server bytes read within [`SAME_SEGMENT`] of the last
    /// ones join them.
    fn keep_raw(&mut self, from: Side, bytes: &[u8]) {
        if self.raw_kept + bytes.len() > MAX_RAW {
            return;
        }
        self.raw_kept += bytes.len();
        let now = SystemTime::now();
        if let Some(last) = self.raw.last_mut() {
            let close = now
                .duration_since(last.at)
                .is_ok_and(|gap| gap < SAME_SEGMENT);
            if from == Side::Server && last.from == Side::Server && close {
                last.bytes.extend_from_slice(bytes);
                return;
            }
        }
        self.raw.push(Chunk {
            from,
            at: now,
            bytes: bytes.to_vec(),
        });
    }

    fn note(&mut self, from: Side, text: String) {
        if self.log.len() >= MAX_LOGGED {
            self.truncated = true;
            return;
        }
        let text = if text.chars().count() > MAX_LOGGED_CHARS {
            let mut t: String = text.chars().take(MAX_LOGGED_CHARS).collect();
            t.push('…');
            t
        } else {
            text
        };
        let t_ms = (self.start.elapsed().as_secs_f64() * 1e6).round() / 1e3;
        self.log.push(PreambleLine { t_ms, from, text });
    }

    /// Log what the server said (a line, a fragment, a message described).
    pub(super) fn heard_text(&mut self, text: impl Into<String>) {
        self.note(Side::Server, text.into());
    }

    /// Send `bytes`, logged as `shown`.
    pub(super) fn send(&mut self, bytes: &[u8], shown: impl Into<String>) -> Result<(), Refused> {
        self.note(Side::Client, shown.into());
        let left = self.deadline.remaining().ok_or_else(timed_out)?;
        self.stream
            .set_write_timeout(Some(left))
            .map_err(|e| Refused::new(e.to_string()))?;
        self.keep_raw(Side::Client, bytes);
        self.stream
            .write_all(bytes)
            .map_err(|e| Refused::new(format!("cannot send: {e}")).because(Cause::Closed))
    }

    /// One byte, or `None` when the server closed the connection.
    pub(super) fn byte(&mut self) -> Result<Option<u8>, Refused> {
        loop {
            let left = self.deadline.slice().ok_or_else(timed_out)?;
            match self.read_byte_within(left) {
                Err(e) if e.cause == Cause::Timeout && self.deadline.remaining().is_some() => {}
                read => return read,
            }
        }
    }

    fn read_byte_within(&mut self, left: Duration) -> Result<Option<u8>, Refused> {
        self.stream
            .set_read_timeout(Some(left))
            .map_err(|e| Refused::new(e.to_string()))?;
        let mut byte = [0u8; 1];
        match self.stream.read(&mut byte) {
            Ok(0) => Ok(None),
            Ok(_) => {
                self.keep_raw(Side::Server, &byte);
                if self.heard.len() < MAX_HEARD {
                    self.heard.push(byte[0]);
                }
                Ok(Some(byte[0]))
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Err(timed_out())
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {
                Err(Refused::new("the server reset the connection".to_string())
                    .because(Cause::Closed))
            }
            Err(e) => Err(Refused::new(e.to_string())),
        }
    }

    /// Exactly `buf.len()` bytes.
    pub(super) fn exact(&mut self, buf: &mut [u8]) -> Result<(), Refused> {
        for slot in buf.iter_mut() {
            *slot = self.byte()?.ok_or_else(closed)?;
        }
        Ok(())
    }

    /// After an answer that began unexpectedly: the rest of what the server has sent, up to a
    /// line's end or 512 bytes, waiting at most a moment for it (it is usually in the same
    /// segment), so that the message can quote a whole line rather than its first byte.
    pub(super) fn rest_of_line(&mut self) {
        const MOMENT: Duration = Duration::from_millis(200);
        for _ in 0..512 {
            if self.heard.last() == Some(&b'\n') {
                return;
            }
            let Some(left) = self.deadline.remaining() else {
                return;
            };
            match self.read_byte_within(left.min(MOMENT)) {
                Ok(Some(_)) => {}
                _ => return,
            }
        }
    }
}

pub(super) fn timed_out() -> Refused {
    Refused::new("no answer within the timeout".to_string()).because(Cause::Timeout)
}

pub(super) fn closed() -> Refused {
    Refused::new("the server closed the connection".to_string()).because(Cause::Closed)
}
