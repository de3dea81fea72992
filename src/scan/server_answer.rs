//! Send one raw ClientHello and read how the server answers it.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::client_hello::{build, HelloSpec};
use crate::deadline::Deadline;
use crate::net::Dialer;
use crate::record::Recorder;
use crate::report::ErrorKind;
use crate::wire::alert::alerts;
use crate::wire::code_points::{
    AlertDescription, CipherSuite, HandshakeType, NamedGroup, ProtocolVersion,
};
use crate::wire::codec::Codec;
use crate::wire::handshake;
use crate::wire::key_exchange::{key_exchange, KeyExchange};
use crate::wire::reader::Reader;
use crate::wire::record::{self, Tail};

/// How a server answered a ClientHello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A ServerHello (or HelloRetryRequest) choosing this version and suite, with the
    /// key-exchange group when it shows (TLS 1.3 key_share or HelloRetryRequest, TLS 1.2
    /// ServerKeyExchange).
    Hello {
        version: ProtocolVersion,
        suite: CipherSuite,
        group: Option<NamedGroup>,
        /// The size of a DHE ServerKeyExchange's prime, in bits.
        dh_bits: Option<u32>,
    },
    /// An alert (its description; close_notify when the record holds none).
    Alert(AlertDescription),
    /// The server closed or reset the connection without a word.
    Closed,
    Timeout,
    /// The server's bytes are not TLS.
    NotTls,
    /// The connection itself failed.
    Unreachable,
}

/// At most this much of the server's answer is read: a ServerHello comes first and is small.
pub(super) const READ_LIMIT: usize = 64 * 1024;

/// Reach the server as `dialer` does, send the ClientHello for `spec`, and read the answer, within `deadline`.
pub fn ask(dialer: &Dialer, spec: &HelloSpec, deadline: Deadline) -> Answer {
    let mut sock = match send_hello(dialer, spec, deadline) {
        Ok(sock) => sock,
        Err(answer) => return answer,
    };
    let (got, stop) = read_until(&mut sock, deadline, READ_LIMIT, |b| interpret(b).is_some());
    match stop {
        Stop::Settled => interpret(&got).unwrap_or(Answer::Closed),
        Stop::Closed => Answer::Closed,
        Stop::TooMuch => Answer::NotTls,
        Stop::Timeout => Answer::Timeout,
    }
}

/// At most this much of a server's first flight is read: its certificate chain is most of it.
pub const FLIGHT_LIMIT: usize = 256 * 1024;

/// Reach the server as `dialer` does, send the ClientHello for `spec`, and read the server's
/// first flight:
/// its bytes up to the ServerHelloDone, an alert, the end of the connection, `deadline` or
/// [`FLIGHT_LIMIT`], whichever comes first ([`crate::wire::first_flight::read`] says how far
/// they got). An `Err` when nothing could be sent.
pub fn first_flight(
    dialer: &Dialer,
    spec: &HelloSpec,
    deadline: Deadline,
) -> Result<Vec<u8>, Answer> {
    let mut sock = send_hello(dialer, spec, deadline)?;
    Ok(read_flight(&mut sock, deadline))
}

/// Read a server's first flight from `sock`, once its ClientHello is sent: as
/// [`first_flight`] does, over any stream (one reached through a proxy or after STARTTLS).
pub fn read_flight(sock: &mut impl TimedRead, deadline: Deadline) -> Vec<u8> {
    let (got, _) = read_until(sock, deadline, FLIGHT_LIMIT, |b| {
        crate::wire::first_flight::read(b).end.is_settled()
    });
    got
}

/// A stream whose reads can be bounded in time.
pub trait TimedRead: Read {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
}

impl TimedRead for TcpStream {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        TcpStream::set_read_timeout(self, timeout)
    }
}

impl TimedRead for Recorder<TcpStream> {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.get_ref().set_read_timeout(timeout)
    }
}

/// Connect and send the ClientHello for `spec`; or how that failed.
pub(super) fn send_hello(
    dialer: &Dialer,
    spec: &HelloSpec,
    deadline: Deadline,
) -> Result<TcpStream, Answer> {
    send_bytes(dialer, &build(spec), deadline)
}

/// Connect and send `bytes`; or how that failed.
pub(super) fn send_bytes(
    dialer: &Dialer,
    bytes: &[u8],
    deadline: Deadline,
) -> Result<TcpStream, Answer> {
    let mut sock = dialer.open(deadline).map_err(|e| match e.kind {
        ErrorKind::Timeout => Answer::Timeout,
        _ => Answer::Unreachable,
    })?;
    let left = deadline.remaining().ok_or(Answer::Timeout)?;
    if sock.set_write_timeout(Some(left)).is_err() || sock.write_all(bytes).is_err() {
        return Err(Answer::Closed);
    }
    Ok(sock)
}

/// Why [`read_until`] stopped.
pub(super) enum Stop {
    /// The bytes so far settle what was asked.
    Settled,
    /// The server closed the connection, or it failed.
    Closed,
    /// More than the limit came.
    TooMuch,
    Timeout,
}

impl Stop {
    /// The server ended the connection.
    pub(super) fn closed(&self) -> bool {
        matches!(self, Stop::Closed)
    }
}

/// Read the server's bytes until `settled` says they suffice, or the connection, the limit or
/// the deadline ends it.
pub(super) fn read_until(
    sock: &mut impl TimedRead,
    deadline: Deadline,
    limit: usize,
    settled: impl Fn(&[u8]) -> bool,
) -> (Vec<u8>, Stop) {
    let mut got = Vec::with_capacity(4096);
    let mut buf = [0u8; 4096];
    let stop = loop {
        if settled(&got) {
            break Stop::Settled;
        }
        let Some(left) = deadline.slice() else {
            break Stop::Timeout;
        };
        if sock.set_read_timeout(Some(left)).is_err() {
            break Stop::Closed;
        }
        match sock.read(&mut buf) {
            Ok(0) => break Stop::Closed,
            Ok(n) if got.len() < limit => got.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Ok(_) => break Stop::TooMuch,
            // A slice of the wait is over; the loop asks the deadline for the next.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue
            }
            Err(_) => break Stop::Closed,
        }
    };
    (got, stop)
}

/// The answer, once the bytes so far settle it. Pure.
pub fn interpret(bytes: &[u8]) -> Option<Answer> {
    let (records, tail) = record::split(bytes);
    let mut handshake = Vec::new();
    for r in &records {
        match r.content_type {
            record::ALERT => {
                let first = alerts(r.fragment).first().and_then(|a| a.description);
                return Some(Answer::Alert(
                    first.unwrap_or(AlertDescription::CLOSE_NOTIFY),
                ));
            }
            record::HANDSHAKE => handshake.extend_from_slice(r.fragment),
            // A TLS 1.3 server's ChangeCipherSpec and encrypted records follow its ServerHello.
            record::CHANGE_CIPHER_SPEC | record::APPLICATION_DATA => break,
            _ => return Some(Answer::NotTls),
        }
    }
    if let Some(answer) = from_handshake(&handshake) {
        return Some(answer);
    }
    matches!(tail, Tail::NotTls { .. }).then_some(Answer::NotTls)
}

/// What a ServerHello chose: version, suite, and the group and DH size once known.
type Chosen = (
    ProtocolVersion,
    CipherSuite,
    Option<NamedGroup>,
    Option<u32>,
);

/// Read the server's first flight far enough: the ServerHello, and in TLS 1.2 with an ECDHE
/// suite, on to the ServerKeyExchange for the group. `None` while more is needed.
fn from_handshake(bytes: &[u8]) -> Option<Answer> {
    let mut chosen: Option<Chosen> = None;
    for (msg_type, body) in handshake::messages(bytes) {
        match (msg_type, chosen) {
            (HandshakeType::SERVER_HELLO, None) => {
                let sh = handshake::server_hello(body)?;
                chosen = Some((sh.version, sh.cipher_suite, sh.group, None));
                if sh.version == ProtocolVersion::TLS1_3 {
                    return chosen.map(hello);
                }
            }
            (HandshakeType::SERVER_HELLO, Some(_)) | (_, None) => return Some(Answer::NotTls),
            (HandshakeType::SERVER_KEY_EXCHANGE, Some((v, s, _, _))) => {
                let (group, dh_bits) = if ecdhe(s) {
                    (named_curve(body), None)
                } else {
                    dh_prime(body)
                };
                return Some(hello((v, s, group, dh_bits)));
            }
            // ServerHelloDone: no ServerKeyExchange came.
            (HandshakeType::SERVER_HELLO_DONE, Some(c)) => return Some(hello(c)),
            _ => {}
        }
    }
    // Out of whole messages: settled only when the hello said all there is to say.
    chosen
        .filter(|c| c.2.is_some() || !(ecdhe(c.1) || dhe(c.1)))
        .map(hello)
}

/// A DHE ServerKeyExchange's prime: its RFC 7919 group, when it is one, and its size.
fn dh_prime(body: &[u8]) -> (Option<NamedGroup>, Option<u32>) {
    let Some(p) = Reader::new(body).vec16() else {
        return (None, None);
    };
    let p = p.rest();
    (
        crate::wire::key_exchange::ffdhe_group(p),
        Some(crate::wire::key_exchange::bit_length(p)),
    )
}

/// ECParameters.curve_type of a named curve (RFC 8422 section 5.4).
const NAMED_CURVE: u8 = 3;

/// The curve an ECDHE ServerKeyExchange starts with, when it names one.
fn named_curve(body: &[u8]) -> Option<NamedGroup> {
    let mut r = Reader::new(body);
    (r.u8() == Some(NAMED_CURVE))
        .then(|| NamedGroup::read(&mut r))
        .flatten()
}

fn hello((version, suite, group, dh_bits): Chosen) -> Answer {
    Answer::Hello {
        version,
        suite,
        group,
        dh_bits,
    }
}

/// A suite whose ServerKeyExchange starts with the ECDHE curve (not ECDHE_PSK, whose
/// parameters follow a PSK identity hint).
fn ecdhe(suite: CipherSuite) -> bool {
    matches!(key_exchange(suite.0), KeyExchange::Ecdhe { .. })
}

/// A suite whose ServerKeyExchange starts with the DHE prime (not DHE_PSK's).
fn dhe(suite: CipherSuite) -> bool {
    matches!(key_exchange(suite.0), KeyExchange::Dhe { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_alerts_hellos_and_garbage() {
        assert_eq!(
            interpret(&[21, 3, 3, 0, 2, 2, 70]),
            Some(Answer::Alert(AlertDescription::PROTOCOL_VERSION))
        );
        assert_eq!(
            interpret(&[21, 3, 3, 0, 1, 2]),
            Some(Answer::Alert(AlertDescription::CLOSE_NOTIFY))
        );
        assert_eq!(interpret(&[21, 3, 3, 0]), None, "not yet whole");
        assert_eq!(interpret(b"HTTP/1.0 400 Bad Request"), Some(Answer::NotTls));
        // A TLS 1.0 ServerHello choosing TLS_RSA_WITH_AES_128_CBC_SHA, split over two records.
        let mut body = vec![0x03, 0x01];
        body.extend_from_slice(&[9; 32]);
        body.extend_from_slice(&[0, 0x00, 0x2f, 0]);
        let mut msg = vec![2, 0, 0, body.len() as u8];
        msg.extend_from_slice(&body);
        let (a, b) = msg.split_at(10);
        let mut wire = vec![22, 3, 1, 0, a.len() as u8];
        wire.extend_from_slice(a);
        assert_eq!(interpret(&wire), None);
        wire.extend_from_slice(&[22, 3, 1, 0, b.len() as u8]);
        wire.extend_from_slice(b);
        assert_eq!(
            interpret(&wire),
            Some(Answer::Hello {
                version: ProtocolVersion::TLS1_0,
                suite: CipherSuite(0x002f),
                group: None,
                dh_bits: None
            })
        );
    }

    /// A TLS 1.2 ServerHello choosing `suite`, framed as a handshake message.
    fn server_hello(suite: u16) -> Vec<u8> {
        let mut msg = Vec::new();
        handshake::encode_message(HandshakeType::SERVER_HELLO, &mut msg, |b| {
            b.extend_from_slice(&[3, 3]);
            b.extend_from_slice(&[9; 32]);
            b.push(0);
            b.extend_from_slice(&suite.to_be_bytes());
            b.push(0);
        });
        msg
    }

    fn record(msgs: &[u8]) -> Vec<u8> {
        let mut out = vec![22, 3, 3];
        out.extend_from_slice(&u16::try_from(msgs.len()).unwrap().to_be_bytes());
        out.extend_from_slice(msgs);
        out
    }

    #[test]
    fn an_ecdhe_suite_waits_for_the_curve() {
        let mut msgs = server_hello(0xc02f);
        assert_eq!(interpret(&record(&msgs)), None, "the curve comes next");
        handshake::encode_message(HandshakeType::SERVER_KEY_EXCHANGE, &mut msgs, |b| {
            b.extend_from_slice(&[3, 0, 23, 1, 4]);
        });
        assert_eq!(
            interpret(&record(&msgs)),
            Some(Answer::Hello {
                version: ProtocolVersion::TLS1_2,
                suite: CipherSuite(0xc02f),
                group: Some(NamedGroup::SECP256R1),
                dh_bits: None
            })
        );
        // A second ServerHello, or anything before the first, is not TLS as we know it.
        let twice = [server_hello(0x002f), server_hello(0x002f)].concat();
        assert_eq!(interpret(&record(&twice)), Some(Answer::NotTls));
        let mut done_first = Vec::new();
        handshake::encode_message(HandshakeType::SERVER_HELLO_DONE, &mut done_first, |_| {});
        assert_eq!(interpret(&record(&done_first)), Some(Answer::NotTls));
        // An RSA suite settles at the ServerHello; an ECDHE one at ServerHelloDone without a
        // ServerKeyExchange.
        assert!(matches!(
            interpret(&record(&server_hello(0x002f))),
            Some(Answer::Hello { group: None, .. })
        ));
        // A DHE suite waits for its prime: an RFC 7919 one names its group.
        let mut dhe = server_hello(0x009e);
        assert_eq!(interpret(&record(&dhe)), None, "the prime comes next");
        let mut p = vec![0xff; 256];
        p[8..16].copy_from_slice(&[0xad, 0xf8, 0x54, 0x58, 0xa2, 0xbb, 0x4a, 0x9a]);
        handshake::encode_message(HandshakeType::SERVER_KEY_EXCHANGE, &mut dhe, |b| {
            b.extend_from_slice(&[1, 0]);
            b.extend_from_slice(&p);
            b.extend_from_slice(&[0, 1, 2, 0, 1, 7]);
        });
        assert!(matches!(
            interpret(&record(&dhe)),
            Some(Answer::Hello {
                group: Some(NamedGroup::FFDHE2048),
                dh_bits: Some(2048),
                ..
            })
        ));
        let mut no_kx = server_hello(0xc02f);
        handshake::encode_message(HandshakeType::SERVER_HELLO_DONE, &mut no_kx, |_| {});
        assert!(matches!(
            interpret(&record(&no_kx)),
            Some(Answer::Hello { group: None, .. })
        ));
    }
}
