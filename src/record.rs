//! The instrumented transport: a `Read + Write` wrapper between the socket and rustls that keeps
//! every byte in both directions, with the monotonic time each chunk crossed the wire: a write
//! when it began, a read when it returned.
//!
//! The bytes of each direction are kept once, contiguously (`client`, `server`); `events` marks
//! where each read or write ended and when. The transcript parser works from these slices, so a
//! probe never copies its transcript twice.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::report::Side;

/// One read from, or write to, the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub side: Side,
    /// Time since the recording started.
    pub at: Duration,
    /// Offset in that side's byte buffer just past the bytes this event carried.
    pub end: usize,
}

/// Every byte seen so far, per direction, and when it was seen.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    /// Bytes written by us (the client), in order.
    pub client: Vec<u8>,
    /// Bytes read from the server, in order.
    pub server: Vec<u8>,
    pub events: Vec<Event>,
}

impl Recording {
    pub fn bytes(&self, side: Side) -> &[u8] {
        match side {
            Side::Client => &self.client,
            Side::Server => &self.server,
        }
    }

    /// When the byte at `offset` of `side`'s stream crossed the wire (the time of the event that
    /// carried it), or `None` when no such byte was recorded.
    pub fn time_of(&self, side: Side, offset: usize) -> Option<Duration> {
        self.events
            .iter()
            .find(|e| e.side == side && e.end > offset)
            .map(|e| e.at)
    }
}

/// A stream that can hand over, without waiting, what has already arrived.
pub trait Pending {
    /// Read what is waiting into `buf` without blocking; 0 when nothing is.
    fn read_pending(&mut self, buf: &mut [u8]) -> io::Result<usize>;
}

impl Pending for TcpStream {
    fn read_pending(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.set_nonblocking(true)?;
        let got = match self.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
            other => other,
        };
        self.set_nonblocking(false)?;
        got
    }
}

/// Wraps a stream and records what crosses it. Times count from [`Recorder::new`].
///
/// Before each write, what the peer has already sent is read (without waiting) and stamped,
/// then held for the next read: a server record that arrived before one of ours is recorded
/// before it, as on the wire, even when rustls asks for it only later.
pub struct Recorder<S> {
    inner: S,
    start: Instant,
    rec: Recording,
    /// Bytes read ahead of a write, recorded already, not yet handed to the reader.
    ahead: VecDeque<u8>,
    /// An error met reading ahead (a reset is reported once): for the next read, after `ahead`.
    ahead_error: Option<io::Error>,
}

impl<S> Recorder<S> {
    pub fn new(inner: S) -> Self {
        Recorder {
            inner,
            start: Instant::now(),
            rec: Recording::default(),
            ahead: VecDeque::new(),
            ahead_error: None,
        }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    pub fn recording(&self) -> &Recording {
        &self.rec
    }

    pub fn into_parts(self) -> (S, Recording) {
        (self.inner, self.rec)
    }

    fn mark(&mut self, side: Side, at: Duration) {
        let end = match side {
            Side::Client => self.rec.client.len(),
            Side::Server => self.rec.server.len(),
        };
        self.rec.events.push(Event { side, at, end });
    }
}

/// At most this much is read ahead of one write; the rest waits for the next read.
const AHEAD_LIMIT: usize = 64 * 1024;

impl<S: Pending> Recorder<S> {
    /// Read and stamp what the peer has sent so far, for the next read.
    fn read_ahead(&mut self) {
        let mut buf = [0u8; 16 * 1024];
        while self.ahead.len() < AHEAD_LIMIT && self.ahead_error.is_none() {
            match self.inner.read_pending(&mut buf) {
                Ok(n) if n > 0 => {
                    let got = buf.get(..n).unwrap_or_default();
                    self.rec.server.extend_from_slice(got);
                    self.ahead.extend(got);
                    self.mark(Side::Server, self.start.elapsed());
                }
                // Nothing waiting, or the end: the next read will say.
                Ok(_) => return,
                Err(e) => {
                    self.ahead_error = Some(e);
                    return;
                }
            }
        }
    }
}

impl<S: Read> Read for Recorder<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.ahead.is_empty() {
            // Recorded when it was read ahead.
            let n = self.ahead.len().min(buf.len());
            for (slot, byte) in buf.iter_mut().zip(self.ahead.drain(..n)) {
                *slot = byte;
            }
            return Ok(n);
        }
        if let Some(e) = self.ahead_error.take() {
            return Err(e);
        }
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.rec.server.extend_from_slice(&buf[..n]);
            // The earliest moment we can know of these bytes: when the read returned.
            self.mark(Side::Server, self.start.elapsed());
        }
        Ok(n)
    }
}

impl<S: Write + Pending> Write for Recorder<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.read_ahead();
        // Stamped as the bytes are handed to the kernel, not once write() returns: the peer
        // may have answered by then.
        let at = self.start.elapsed();
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.rec.client.extend_from_slice(&buf[..n]);
            self.mark(Side::Client, at);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads from one buffer, writes into another, like a socket.
    struct Duplex(io::Cursor<Vec<u8>>, Vec<u8>);

    impl Read for Duplex {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read(buf)
        }
    }

    impl Pending for Duplex {
        fn read_pending(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Ok(0)
        }
    }

    impl Write for Duplex {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.1.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn records_both_directions_with_offsets() {
        let mut r = Recorder::new(Duplex(
            io::Cursor::new(b"server-bytes".to_vec()),
            Vec::new(),
        ));
        let mut buf = [0u8; 6];
        r.read_exact(&mut buf).unwrap();
        r.write_all(b"hello").unwrap();
        r.read_exact(&mut buf).unwrap();
        let rec = r.recording();
        assert_eq!(rec.server, b"server-bytes");
        assert_eq!(&rec.client[..], b"hello");
        let sides: Vec<_> = rec.events.iter().map(|e| (e.side, e.end)).collect();
        assert_eq!(
            sides,
            vec![(Side::Server, 6), (Side::Client, 5), (Side::Server, 12)]
        );
        assert!(rec.events.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(rec.time_of(Side::Server, 7), Some(rec.events[2].at));
        assert_eq!(rec.time_of(Side::Server, 12), None);
    }
}
