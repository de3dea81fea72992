//! The instrumented transport: a `Read + Write` wrapper between the socket and rustls that keeps
//! every byte in both directions, with the monotonic time each chunk crossed the wire: a write
//! when it began, a read when the kernel received its last segment (Linux) or when it returned.
//!
//! The bytes of each direction are kept once, contiguously (`client`, `server`); `events` marks
//! where each read or write ended and when. The transcript parser works from these slices, so a
//! probe never copies its transcript twice.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime};

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
    /// The server sent more after the handshake than is kept ([`KEEP_AFTER_HANDSHAKE_BYTES`],
    /// [`KEEP_AFTER_HANDSHAKE_RECORDS`]); `server` ends at the last record kept.
    pub server_cut: bool,
    /// The wall clock when the recording started: `Event::at` counts from here.
    pub wall_start: Option<SystemTime>,
    /// When the server ended the connection, and how, if a read saw it.
    pub server_closed: Option<(Duration, Closing)>,
}

/// Bytes that crossed the wire outside the recorder (the STARTTLS preamble), for a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub from: Side,
    pub at: SystemTime,
    pub bytes: Vec<u8>,
}

/// How a peer ended a TCP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Fin,
    Reset,
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

/// A stream that can hand over, with or without waiting, what has arrived, and say when the
/// kernel received it, and when what was written left.
pub trait Socket: Read + Write {
    /// Ask the kernel to stamp each segment as it arrives and each write as it leaves (Linux
    /// `SO_TIMESTAMPNS`, `SO_TIMESTAMPING`); true when departures will be reported. Where it
    /// cannot, reads are stamped when they return and writes as they begin.
    fn stamp_times(&self) -> bool {
        false
    }

    /// Read into `buf`; without `wait`, only what is already there (0 when nothing is). With
    /// the bytes, the kernel's receive time of the last segment they came from, when known.
    fn receive(&mut self, buf: &mut [u8], wait: bool) -> io::Result<(usize, Option<SystemTime>)>;

    /// The departures reported since the last call: for each write that has left, the offset
    /// of its last byte among the bytes written since [`Socket::stamp_times`], and when.
    fn departures(&mut self) -> Vec<(u32, SystemTime)> {
        Vec::new()
    }
}

impl Socket for TcpStream {
    #[cfg(target_os = "linux")]
    fn stamp_times(&self) -> bool {
        linux::stamp_times(self)
    }

    #[cfg(target_os = "linux")]
    fn receive(&mut self, buf: &mut [u8], wait: bool) -> io::Result<(usize, Option<SystemTime>)> {
        linux::receive(self, buf, wait)
    }

    #[cfg(target_os = "linux")]
    fn departures(&mut self) -> Vec<(u32, SystemTime)> {
        linux::departures(self)
    }

    #[cfg(not(target_os = "linux"))]
    fn receive(&mut self, buf: &mut [u8], wait: bool) -> io::Result<(usize, Option<SystemTime>)> {
        use rustix::net::{recv, RecvFlags};
        let flags = if wait {
            RecvFlags::empty()
        } else {
            RecvFlags::DONTWAIT
        };
        match recv(&*self, buf, flags) {
            Ok((n, _)) => Ok((n, None)),
            Err(rustix::io::Errno::AGAIN) if !wait => Ok((0, None)),
            Err(e) => Err(e.into()),
        }
    }
}

/// Wraps a stream and records what crosses it. Times count from [`Recorder::new`].
///
/// Server bytes carry the kernel's arrival time where the platform gives one (Linux), else
/// the time the read returned; and reads stop at TLS record boundaries, so that each record
/// gets the time of the segment that completed it, as a capture shows it. Before each write,
/// what the peer has already sent is read (without waiting) and stamped, then held for the
/// next read. Client bytes are stamped as they are handed to the kernel, then moved to the
/// time the kernel reports they left, where it does (Linux).
pub struct Recorder<S> {
    inner: S,
    start: Instant,
    /// The wall clock at `start`: kernel timestamps are wall-clock times.
    wall_start: SystemTime,
    rec: Recording,
    /// Bytes read ahead of a write, recorded already, not yet handed to the reader.
    ahead: VecDeque<u8>,
    /// An error met reading ahead (a reset is reported once): for the next read, after `ahead`.
    ahead_error: Option<io::Error>,
    /// Where the server's next record header starts, as far as its framing is known.
    frame_at: usize,
    /// The time of the latest server bytes: arrival times never go back.
    last_server_at: Duration,
    /// Whether the kernel reports when writes leave, and how many have not been reported yet.
    departures_reported: bool,
    departing: usize,
    /// The end of the latest write whose departure was taken.
    departed: usize,
    /// Server records framed so far, and the bytes and records kept when the handshake ended.
    records: usize,
    after_handshake: Option<(usize, usize)>,
}

impl<S> Recorder<S> {
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    pub fn recording(&self) -> &Recording {
        &self.rec
    }

    /// A read met the server's end of the connection.
    fn closed(&mut self, how: Closing) {
        if self.rec.server_closed.is_none() {
            let at = self.start.elapsed().max(self.last_server_at);
            self.rec.server_closed = Some((at, how));
        }
    }

    fn mark(&mut self, side: Side, at: Duration) {
        let end = match side {
            Side::Client => self.rec.client.len(),
            Side::Server => self.rec.server.len(),
        };
        self.rec.events.push(Event { side, at, end });
    }

    /// Keep server bytes that just arrived, stamped with the kernel's arrival time when there
    /// is one: never later than the read that returned them (`read_at`), never before the
    /// previous server bytes.
    fn keep_server(&mut self, got: &[u8], kernel: Option<SystemTime>, read_at: Duration) {
        // Bytes that came before the recording started count from its start.
        let arrived = kernel.map_or(read_at, |k| {
            k.duration_since(self.wall_start)
                .unwrap_or(Duration::ZERO)
                .min(read_at)
        });
        if self.rec.server_cut {
            return;
        }
        let at = arrived.max(self.last_server_at);
        self.last_server_at = at;
        self.rec.server.extend_from_slice(got);
        self.mark(Side::Server, at);
    }

    /// How many bytes the next server read may take so that it ends where a TLS record does
    /// (the header, then the body). A peer that does not speak TLS just gets odd-sized reads.
    /// At a record's start, past the budget, the recording is cut: any size will do then.
    fn until_record_end(&mut self) -> usize {
        if self.rec.server_cut {
            return usize::MAX;
        }
        let have = self.rec.server.len();
        loop {
            if have == self.frame_at && self.over_budget() {
                self.rec.server_cut = true;
                return usize::MAX;
            }
            let body = self.frame_at.saturating_add(HEADER_LEN);
            if have < body {
                return body - have;
            }
            let len = match self.rec.server.get(body - 2..body) {
                Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
                _ => return usize::MAX,
            };
            let end = body.saturating_add(len);
            if have < end {
                return end - have;
            }
            self.frame_at = end;
            self.records += 1;
        }
    }

    /// Whether what is kept already fills the budget.
    fn over_budget(&self) -> bool {
        let kept = self.rec.server.len();
        kept >= KEEP_AT_MOST
            || self.after_handshake.is_some_and(|(bytes, records)| {
                kept.saturating_sub(bytes) >= KEEP_AFTER_HANDSHAKE_BYTES
                    || self.records.saturating_sub(records) >= KEEP_AFTER_HANDSHAKE_RECORDS
            })
    }

    /// The handshake is over: from here, the budget for what comes after it counts.
    pub fn handshake_done(&mut self) {
        if self.after_handshake.is_none() {
            // Count the records already whole first.
            let _ = self.until_record_end();
            self.after_handshake = Some((self.rec.server.len(), self.records));
        }
    }

    /// Whether the server sent more than is kept: nothing more is worth reading.
    pub fn is_cut(&self) -> bool {
        self.rec.server_cut
    }
}

/// After the handshake, what the server sends is kept up to this many bytes, and this many
/// records; the rest is still read and handed on, not recorded, and the recording says so.
pub const KEEP_AFTER_HANDSHAKE_BYTES: usize = 1024 * 1024;
pub const KEEP_AFTER_HANDSHAKE_RECORDS: usize = 1000;

/// Whatever the stage, at most this much of the server's bytes is kept (a handshake is a few
/// kilobytes; rustls refuses messages over 64 KiB, and certificate chains are one message).
const KEEP_AT_MOST: usize = 16 * 1024 * 1024;

/// A TLS record header: type, version, length.
const HEADER_LEN: usize = 5;

/// At most this much is read ahead of one write; the rest waits for the next read.
const AHEAD_LIMIT: usize = 64 * 1024;

/// At most this much is taken by one read ahead.
const READ_AHEAD_AT_MOST: usize = 16 * 1024;

impl<S: Socket> Recorder<S> {
    pub fn into_parts(mut self) -> (S, Recording) {
        self.take_departures();
        (self.inner, self.rec)
    }

    pub fn new(inner: S) -> Self {
        let departures_reported = inner.stamp_times();
        #[cfg(target_os = "linux")]
        linux::wait_until_on();
        let wall_start = SystemTime::now();
        Recorder {
            inner,
            start: Instant::now(),
            wall_start,
            rec: Recording {
                wall_start: Some(wall_start),
                ..Recording::default()
            },
            ahead: VecDeque::new(),
            ahead_error: None,
            frame_at: 0,
            last_server_at: Duration::ZERO,
            departures_reported,
            departing: 0,
            departed: 0,
            records: 0,
            after_handshake: None,
        }
    }

    /// Move each write the kernel has seen leave to the time it left: later than it was
    /// handed over, never later than now.
    fn take_departures(&mut self) {
        if !self.departures_reported || self.departing == 0 {
            return;
        }
        let now = self.start.elapsed();
        for (last_byte, when) in self.inner.departures() {
            let Ok(left) = when.duration_since(self.wall_start) else {
                continue;
            };
            // A segment sent again (a retransmission, a tail-loss probe) is reported again:
            // only its first departure counts.
            let departed = self.departed;
            let write = self.rec.events.iter_mut().rev().find(|e| {
                e.side == Side::Client
                    && e.end > departed
                    && (e.end as u32).wrapping_sub(1) == last_byte
            });
            if let Some(write) = write {
                write.at = left.clamp(write.at, now);
                self.departed = write.end;
                self.departing = self.departing.saturating_sub(1);
            }
        }
    }

    /// Read and stamp what the peer has sent so far, for the next read.
    fn read_ahead(&mut self) {
        self.take_departures();
        // On the heap, and only as large as the record asks: a buffer on the stack would stay
        // resident in every probe thread's stack for the thread's life, 16 KiB each at a high
        // `--concurrency`.
        let mut buf = Vec::new();
        while self.ahead.len() < AHEAD_LIMIT && self.ahead_error.is_none() {
            let want = self.until_record_end().min(READ_AHEAD_AT_MOST);
            if buf.len() < want {
                buf.resize(want, 0);
            }
            let slot = buf.get_mut(..want).unwrap_or_default();
            match self.inner.receive(slot, false) {
                Ok((n, kernel)) if n > 0 => {
                    let read_at = self.start.elapsed();
                    let got = slot.get(..n).unwrap_or_default();
                    self.ahead.extend(got);
                    self.keep_server(got, kernel, read_at);
                }
                // Nothing waiting, or the end: the next read will say.
                Ok(_) => return,
                Err(e) => {
                    if e.kind() == io::ErrorKind::ConnectionReset {
                        self.closed(Closing::Reset);
                    }
                    self.ahead_error = Some(e);
                    return;
                }
            }
        }
    }
}

impl<S: Socket> Read for Recorder<S> {
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
        self.take_departures();
        // Wait for the first bytes; then take, without waiting, what else has come, up to
        // `buf`: a record's header and its body in one read, as a peer that sends an alert
        // and resets sends them (what the kernel has not handed over by the reset is lost).
        let mut filled = 0;
        while filled < buf.len() {
            let want = self.until_record_end().min(buf.len() - filled);
            let Some(slot) = buf.get_mut(filled..filled + want) else {
                break;
            };
            match self.inner.receive(slot, filled == 0) {
                Ok((0, _)) => {
                    if filled == 0 {
                        self.closed(Closing::Fin);
                    }
                    break;
                }
                Ok((n, kernel)) => {
                    let read_at = self.start.elapsed();
                    self.keep_server(slot.get(..n).unwrap_or_default(), kernel, read_at);
                    filled += n;
                }
                Err(e) if filled == 0 => {
                    if e.kind() == io::ErrorKind::ConnectionReset {
                        self.closed(Closing::Reset);
                    }
                    return Err(e);
                }
                Err(e) => {
                    if e.kind() == io::ErrorKind::ConnectionReset {
                        self.closed(Closing::Reset);
                    }
                    // For the next read, after these bytes.
                    self.ahead_error = Some(e);
                    break;
                }
            }
        }
        Ok(filled)
    }
}

impl<S: Socket> Write for Recorder<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.read_ahead();
        // Stamped as the bytes are handed to the kernel, not once write() returns: the peer
        // may have answered by then.
        let at = self.start.elapsed();
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.rec.client.extend_from_slice(&buf[..n]);
            self.mark(Side::Client, at);
            self.departing = self.departing.saturating_add(1);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(target_os = "linux")]
mod linux;
#[cfg(test)]
mod tests;
