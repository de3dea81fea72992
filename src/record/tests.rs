use super::*;

/// Reads from one buffer, writes into another, like a socket.
struct Duplex(io::Cursor<Vec<u8>>, Vec<u8>);

impl Read for Duplex {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Socket for Duplex {
    fn receive(&mut self, buf: &mut [u8], wait: bool) -> io::Result<(usize, Option<SystemTime>)> {
        Ok((if wait { self.0.read(buf)? } else { 0 }, None))
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

/// Two TLS records: a 1-byte handshake record and a 2-byte application data record.
const TWO_RECORDS: &[u8] = &[22, 3, 3, 0, 1, b'a', 23, 3, 3, 0, 2, b'b', b'c'];

#[test]
fn records_both_directions_with_offsets_reading_record_by_record() {
    let mut r = Recorder::new(Duplex(io::Cursor::new(TWO_RECORDS.to_vec()), Vec::new()));
    let mut buf = [0u8; 64];
    // The header, then the body: each read ends where a record does.
    assert_eq!(r.read(&mut buf).unwrap(), 5);
    assert_eq!(r.read(&mut buf).unwrap(), 1);
    r.write_all(b"hello").unwrap();
    assert_eq!(r.read(&mut buf).unwrap(), 5);
    assert_eq!(r.read(&mut buf[..1]).unwrap(), 1);
    assert_eq!(r.read(&mut buf).unwrap(), 1);
    assert_eq!(r.read(&mut buf).unwrap(), 0);
    let rec = r.recording();
    assert_eq!(rec.server, TWO_RECORDS);
    assert_eq!(&rec.client[..], b"hello");
    let sides: Vec<_> = rec.events.iter().map(|e| (e.side, e.end)).collect();
    assert_eq!(
        sides,
        vec![
            (Side::Server, 5),
            (Side::Server, 6),
            (Side::Client, 5),
            (Side::Server, 11),
            (Side::Server, 12),
            (Side::Server, 13),
        ]
    );
    assert!(rec.events.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(rec.time_of(Side::Server, 7), Some(rec.events[3].at));
    assert_eq!(rec.time_of(Side::Server, 13), None);
}

/// Hands out its bytes with a given kernel arrival time.
struct Stamped(io::Cursor<Vec<u8>>, SystemTime);

impl Read for Stamped {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for Stamped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Socket for Stamped {
    /// Only to a reader that waits: each read takes one header or one body.
    fn receive(&mut self, buf: &mut [u8], wait: bool) -> io::Result<(usize, Option<SystemTime>)> {
        if !wait {
            return Ok((0, None));
        }
        Ok((self.0.read(buf)?, Some(self.1)))
    }
}

#[test]
fn arrival_times_are_the_kernels_within_what_is_possible() {
    let mut buf = [0u8; 64];
    // Arrived before the recording began: at its start.
    let past = SystemTime::now() - Duration::from_secs(5);
    let mut r = Recorder::new(Stamped(io::Cursor::new(TWO_RECORDS.to_vec()), past));
    assert_eq!(r.read(&mut buf).unwrap(), 5);
    assert_eq!(r.recording().events[0].at, Duration::ZERO);
    // Stamped later than the read returned (a clock step): when the read returned.
    let future = SystemTime::now() + Duration::from_secs(3600);
    let mut r = Recorder::new(Stamped(io::Cursor::new(TWO_RECORDS.to_vec()), future));
    assert_eq!(r.read(&mut buf).unwrap(), 5);
    assert!(r.recording().events[0].at < Duration::from_secs(60));
    // Arrival times never go back, whatever the kernel says.
    r.inner.1 = past;
    assert_eq!(r.read(&mut buf).unwrap(), 1);
    let ev = &r.recording().events;
    assert!(ev[1].at >= ev[0].at);
}

/// Reports every write as having left at a given time after the recording began, and the
/// first one a second time (a retransmission), later.
struct Departing {
    start: SystemTime,
    written: u32,
    reports: Vec<(u32, SystemTime)>,
}

impl Read for Departing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Ok(0)
    }
}

impl Write for Departing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written += buf.len() as u32;
        let left = self.start + Duration::from_micros(u64::from(self.written));
        self.reports.push((self.written - 1, left));
        if self.written == 5 {
            // The first write, sent again an hour on.
            self.reports.push((4, left + Duration::from_secs(3600)));
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Socket for Departing {
    fn stamp_times(&self) -> bool {
        true
    }
    fn receive(&mut self, _: &mut [u8], _: bool) -> io::Result<(usize, Option<SystemTime>)> {
        Ok((0, None))
    }
    fn departures(&mut self) -> Vec<(u32, SystemTime)> {
        std::mem::take(&mut self.reports)
    }
}

#[test]
fn writes_take_the_time_they_left_once() {
    let mut r = Recorder::new(Departing {
        start: SystemTime::now(),
        written: 0,
        reports: Vec::new(),
    });
    r.write_all(b"hello").unwrap();
    r.write_all(b"world!").unwrap();
    let (_, rec) = r.into_parts();
    let times: Vec<Duration> = rec.events.iter().map(|e| e.at).collect();
    assert_eq!(rec.events.len(), 2);
    // Never before the write began, never after the recording ended; the repeat ignored.
    assert!(times[0] < Duration::from_secs(60), "{times:?}");
    assert!(times[0] <= times[1], "{times:?}");
}

/// Hands over what it holds whether or not the reader waits, as a socket with data queued.
struct Queued(io::Cursor<Vec<u8>>);

impl Read for Queued {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for Queued {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Socket for Queued {
    fn receive(&mut self, buf: &mut [u8], _: bool) -> io::Result<(usize, Option<SystemTime>)> {
        Ok((self.0.read(buf)?, None))
    }
}

#[test]
fn what_has_come_is_read_at_once_each_record_its_own_event() {
    let mut r = Recorder::new(Queued(io::Cursor::new(TWO_RECORDS.to_vec())));
    let mut buf = [0u8; 64];
    // Both records whole in one read, yet marked where each header and body ends.
    assert_eq!(r.read(&mut buf).unwrap(), TWO_RECORDS.len());
    assert_eq!(r.read(&mut buf).unwrap(), 0);
    let ends: Vec<usize> = r.recording().events.iter().map(|e| e.end).collect();
    assert_eq!(ends, vec![5, 6, 11, 13]);
}

#[test]
fn after_the_handshake_a_thousand_records_are_kept_then_the_recording_is_cut() {
    let one: &[u8] = &[23, 3, 3, 0, 1, b'x'];
    let mut r = Recorder::new(Queued(io::Cursor::new(one.repeat(3000))));
    let mut buf = [0u8; 6];
    r.read_exact(&mut buf).unwrap();
    r.handshake_done();
    let mut sink = Vec::new();
    r.read_to_end(&mut sink).unwrap();
    // Everything still handed on; the recording keeps the first record and 1,000 after it.
    assert_eq!(sink.len() + 6, 3000 * one.len());
    assert!(r.is_cut());
    let (_, rec) = r.into_parts();
    assert!(rec.server_cut);
    assert_eq!(
        rec.server.len(),
        (1 + KEEP_AFTER_HANDSHAKE_RECORDS) * one.len()
    );
}
