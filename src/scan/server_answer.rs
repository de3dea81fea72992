//! Send one raw ClientHello and read how the server answers it.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use super::client_hello::{build, HelloSpec};
use crate::deadline::Deadline;
use crate::wire::handshake::server_choice;
use crate::wire::reader::Reader;
use crate::wire::record::{self, Tail};

/// How a server answered a ClientHello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A ServerHello (or HelloRetryRequest) choosing this version and suite, with the
    /// key-exchange group when it shows (TLS 1.3 key_share or HelloRetryRequest, TLS 1.2
    /// ServerKeyExchange).
    Hello {
        version: u16,
        suite: u16,
        group: Option<u16>,
    },
    /// An alert (its description code).
    Alert(u8),
    /// The server closed or reset the connection without a word.
    Closed,
    Timeout,
    /// The server's bytes are not TLS.
    NotTls,
    /// The connection itself failed.
    Unreachable,
}

/// At most this much of the server's answer is read: a ServerHello comes first and is small.
const READ_LIMIT: usize = 64 * 1024;

/// Connect to `addr`, send the ClientHello for `spec`, and read the answer, within `deadline`.
pub fn ask(addr: SocketAddr, spec: &HelloSpec, deadline: Deadline) -> Answer {
    let Some(left) = deadline.remaining() else {
        return Answer::Timeout;
    };
    let Ok(mut sock) = TcpStream::connect_timeout(&addr, left) else {
        return Answer::Unreachable;
    };
    let _ = sock.set_nodelay(true);
    let Some(left) = deadline.remaining() else {
        return Answer::Timeout;
    };
    if sock.set_write_timeout(Some(left)).is_err() || sock.write_all(&build(spec)).is_err() {
        return Answer::Closed;
    }
    let mut got = Vec::with_capacity(4096);
    let mut buf = [0u8; 4096];
    loop {
        if let Some(answer) = interpret(&got) {
            return answer;
        }
        let Some(left) = deadline.remaining() else {
            return Answer::Timeout;
        };
        if sock.set_read_timeout(Some(left)).is_err() {
            return Answer::Closed;
        }
        match sock.read(&mut buf) {
            Ok(0) => return Answer::Closed,
            Ok(n) if got.len() < READ_LIMIT => got.extend_from_slice(&buf[..n]),
            Ok(_) => return Answer::NotTls,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Answer::Timeout
            }
            Err(_) => return Answer::Closed,
        }
    }
}

/// The answer, once the bytes so far settle it. Pure.
pub fn interpret(bytes: &[u8]) -> Option<Answer> {
    let (records, tail) = record::split(bytes);
    let mut handshake = Vec::new();
    for r in &records {
        match r.content_type {
            record::ALERT => return Some(Answer::Alert(r.fragment.get(1).copied().unwrap_or(0))),
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

/// Read the server's first flight far enough: the ServerHello, and in TLS 1.2 with an ECDHE
/// suite, on to the ServerKeyExchange for the group. `None` while more is needed.
fn from_handshake(bytes: &[u8]) -> Option<Answer> {
    let mut h = Reader::new(bytes);
    let mut chosen: Option<(u16, u16, Option<u16>)> = None;
    loop {
        let (Some(msg_type), Some(len)) = (h.u8(), h.u24()) else {
            // Out of whole messages: settled only when the hello said all there is to say.
            return chosen.filter(|c| c.2.is_some() || !ecdhe(c.1)).map(hello);
        };
        let Some(body) = h.bytes(len) else {
            return chosen.filter(|c| c.2.is_some() || !ecdhe(c.1)).map(hello);
        };
        match (msg_type, chosen) {
            (2, None) => {
                let (version, suite, _) = server_choice(body)?;
                let group = server_group(body);
                chosen = Some((version, suite, group));
                if version == 0x0304 {
                    return chosen.map(hello);
                }
            }
            (2, Some(_)) => return Some(Answer::NotTls),
            (_, None) => return Some(Answer::NotTls),
            // ServerKeyExchange: ECDHE names its curve first.
            (12, Some((v, s, _))) => {
                let mut r = Reader::new(body);
                let group = (r.u8() == Some(3)).then(|| r.u16()).flatten();
                return Some(hello((v, s, group)));
            }
            // ServerHelloDone: no ServerKeyExchange came.
            (14, Some(c)) => return Some(hello(c)),
            _ => {}
        }
    }
}

fn hello((version, suite, group): (u16, u16, Option<u16>)) -> Answer {
    Answer::Hello {
        version,
        suite,
        group,
    }
}

/// A suite whose ServerKeyExchange starts with the ECDHE curve (not ECDHE_PSK, whose
/// parameters follow a PSK identity hint).
fn ecdhe(suite: u16) -> bool {
    matches!(
        crate::wire::key_exchange::key_exchange(suite),
        crate::wire::key_exchange::KeyExchange::Ecdhe { .. }
    )
}

/// The key_share group of a ServerHello or HelloRetryRequest.
fn server_group(body: &[u8]) -> Option<u16> {
    match crate::wire::handshake::parse(2, body, &mut Default::default()).1 {
        crate::report::MessageFields::ServerHello(f) => {
            f.group.and_then(|g| crate::wire::names::group_code(&g))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_alerts_hellos_and_garbage() {
        assert_eq!(interpret(&[21, 3, 3, 0, 2, 2, 70]), Some(Answer::Alert(70)));
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
                version: 0x0301,
                suite: 0x002f,
                group: None
            })
        );
    }
}
