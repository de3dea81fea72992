//! One TCP connection as the IP packets a capture on the wire would have shown: the three-way
//! handshake, the bytes of each side in segments at the times they crossed, and the end (FIN or
//! RST). Pure: a [`Conversation`] in, timed packets out, with real checksums so that a decoder
//! has nothing to complain of.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::SystemTime;

use crate::record::Closing;
use crate::report::Side;

/// The client's and the server's first sequence numbers: any will do, fixed for repeatable files.
const CLIENT_ISN: u32 = 0x1000_0000;
const SERVER_ISN: u32 = 0x2000_0000;
/// The most a segment carries: more is split (an IPv4 length is 16 bits).
const MAX_SEGMENT: usize = 16 * 1024;
const WINDOW: u16 = 65535;
const TTL: u8 = 64;

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

/// Bytes one side sent at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data {
    pub from: Side,
    pub at: SystemTime,
    pub bytes: Vec<u8>,
}

/// How one side ended the connection, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    pub from: Side,
    pub at: SystemTime,
    pub how: Closing,
}

/// A whole connection, in the order things happened.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// When the SYN left, and when the SYN/ACK came (the ACK is sent then).
    pub syn_at: SystemTime,
    pub established_at: SystemTime,
    pub data: Vec<Data>,
    pub ends: Vec<End>,
}

/// One packet and the time it crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub at: SystemTime,
    pub bytes: Vec<u8>,
}

/// The packets of `c`, in time order.
pub fn packets(c: &Conversation) -> Vec<Packet> {
    let (client, server) = same_family(c.client, c.server);
    let mut seq = [CLIENT_ISN, SERVER_ISN];
    let mut out = Vec::new();
    let mut send = |from: Side, at: SystemTime, flags: u8, payload: &[u8], seq: &mut [u32; 2]| {
        let (me, peer) = index(from);
        let (src, dst) = match from {
            Side::Client => (client, server),
            Side::Server => (server, client),
        };
        let ack = if flags & ACK != 0 { seq[peer] } else { 0 };
        let bytes = datagram(src, dst, seq[me], ack, flags, payload);
        let consumed = payload.len() as u32 + u32::from(flags & (SYN | FIN) != 0);
        seq[me] = seq[me].wrapping_add(consumed);
        out.push(Packet { at, bytes });
    };
    send(Side::Client, c.syn_at, SYN, &[], &mut seq);
    send(Side::Server, c.established_at, SYN | ACK, &[], &mut seq);
    send(Side::Client, c.established_at, ACK, &[], &mut seq);

    // Data and ends together in time order; at equal times, data first.
    let mut steps: Vec<(SystemTime, usize, Option<&Data>, Option<&End>)> = Vec::new();
    for (i, d) in c.data.iter().enumerate() {
        steps.push((d.at, i, Some(d), None));
    }
    for (i, e) in c.ends.iter().enumerate() {
        steps.push((e.at, c.data.len() + i, None, Some(e)));
    }
    steps.sort_by_key(|&(at, order, ..)| (at, order));
    let mut closed = [false, false];
    for (at, _, data, end) in steps {
        if let Some(d) = data {
            if closed[index(d.from).0] {
                continue;
            }
            let mut parts = d.bytes.chunks(MAX_SEGMENT).peekable();
            while let Some(part) = parts.next() {
                let flags = if parts.peek().is_none() {
                    ACK | PSH
                } else {
                    ACK
                };
                send(d.from, at, flags, part, &mut seq);
            }
            // The peer's acknowledgement, at once: the window never fills.
            if !closed[index(d.from).1] {
                send(other(d.from), at, ACK, &[], &mut seq);
            }
        }
        if let Some(e) = end {
            if closed[index(e.from).0] {
                continue;
            }
            closed[index(e.from).0] = true;
            match e.how {
                Closing::Fin => send(e.from, at, FIN | ACK, &[], &mut seq),
                Closing::Reset => {
                    send(e.from, at, RST | ACK, &[], &mut seq);
                    // Nothing crosses a reset connection.
                    closed = [true, true];
                }
            }
        }
    }
    out
}

fn other(side: Side) -> Side {
    match side {
        Side::Client => Side::Server,
        Side::Server => Side::Client,
    }
}

/// (this side, the other) as indices into the sequence numbers.
fn index(side: Side) -> (usize, usize) {
    match side {
        Side::Client => (0, 1),
        Side::Server => (1, 0),
    }
}

/// Both addresses in one family: a v4 one beside a v6 one becomes v4-mapped.
fn same_family(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    let v6 = |s: SocketAddr| match s.ip() {
        IpAddr::V4(v4) => SocketAddr::new(IpAddr::V6(v4.to_ipv6_mapped()), s.port()),
        IpAddr::V6(_) => s,
    };
    if a.is_ipv4() == b.is_ipv4() {
        (a, b)
    } else {
        (v6(a), v6(b))
    }
}

/// An IP datagram carrying one TCP segment.
fn datagram(
    src: SocketAddr,
    dst: SocketAddr,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: &[u8],
) -> Vec<u8> {
    let mut tcp = Vec::with_capacity(20 + payload.len());
    tcp.extend_from_slice(&src.port().to_be_bytes());
    tcp.extend_from_slice(&dst.port().to_be_bytes());
    tcp.extend_from_slice(&seq.to_be_bytes());
    tcp.extend_from_slice(&ack.to_be_bytes());
    // Data offset: five words, no options.
    tcp.push(5 << 4);
    tcp.push(flags);
    tcp.extend_from_slice(&WINDOW.to_be_bytes());
    tcp.extend_from_slice(&[0, 0, 0, 0]);
    tcp.extend_from_slice(payload);
    let tcp_len = tcp.len() as u32;

    let mut sum = Checksum::default();
    match (src.ip(), dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            sum.add(&s.octets());
            sum.add(&d.octets());
            sum.add(&[0, 6]);
            sum.add(&(tcp_len as u16).to_be_bytes());
        }
        (s, d) => {
            sum.add(&v6(s).octets());
            sum.add(&v6(d).octets());
            sum.add(&tcp_len.to_be_bytes());
            sum.add(&[0, 0, 0, 6]);
        }
    }
    sum.add(&tcp);
    tcp[16..18].copy_from_slice(&sum.finish().to_be_bytes());

    let mut ip = Vec::with_capacity(40 + tcp.len());
    match (src.ip(), dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            ip.push(0x45);
            ip.push(0);
            ip.extend_from_slice(&((20 + tcp_len) as u16).to_be_bytes());
            // Identification 0, don't fragment.
            ip.extend_from_slice(&[0, 0, 0x40, 0]);
            ip.push(TTL);
            ip.push(6);
            ip.extend_from_slice(&[0, 0]);
            ip.extend_from_slice(&s.octets());
            ip.extend_from_slice(&d.octets());
            let mut sum = Checksum::default();
            sum.add(&ip);
            let header = sum.finish().to_be_bytes();
            ip[10..12].copy_from_slice(&header);
        }
        (s, d) => {
            ip.extend_from_slice(&[0x60, 0, 0, 0]);
            ip.extend_from_slice(&(tcp_len as u16).to_be_bytes());
            ip.push(6);
            ip.push(TTL);
            ip.extend_from_slice(&v6(s).octets());
            ip.extend_from_slice(&v6(d).octets());
        }
    }
    ip.extend_from_slice(&tcp);
    ip
}

fn v6(ip: IpAddr) -> Ipv6Addr {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    }
}

/// The Internet checksum (RFC 1071) over bytes added in order, each piece of even length
/// but the last.
#[derive(Default)]
struct Checksum {
    sum: u64,
    odd: Option<u8>,
}

impl Checksum {
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match self.odd.take() {
                Some(hi) => self.sum += u64::from(u16::from_be_bytes([hi, b])),
                None => self.odd = Some(b),
            }
        }
    }

    fn finish(mut self) -> u16 {
        if let Some(hi) = self.odd.take() {
            self.sum += u64::from(u16::from_be_bytes([hi, 0]));
        }
        while self.sum >> 16 != 0 {
            self.sum = (self.sum & 0xFFFF) + (self.sum >> 16);
        }
        !(self.sum as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_000_000 + ms)
    }

    fn conversation(client: &str, server: &str) -> Conversation {
        Conversation {
            client: client.parse().unwrap(),
            server: server.parse().unwrap(),
            syn_at: at(0),
            established_at: at(1),
            data: vec![
                Data {
                    from: Side::Client,
                    at: at(2),
                    bytes: b"hello".to_vec(),
                },
                Data {
                    from: Side::Server,
                    at: at(3),
                    bytes: vec![7; MAX_SEGMENT + 1],
                },
            ],
            ends: vec![
                End {
                    from: Side::Client,
                    at: at(5),
                    how: Closing::Fin,
                },
                End {
                    from: Side::Server,
                    at: at(4),
                    how: Closing::Fin,
                },
            ],
        }
    }

    /// (flags, seq, ack, payload length) of a v4 packet, its checksums verified.
    fn tcp_of(p: &[u8]) -> (u8, u32, u32, usize) {
        let mut sum = Checksum::default();
        sum.add(&p[..20]);
        assert_eq!(sum.finish(), 0, "IPv4 header checksum");
        let tcp = &p[20..];
        let mut sum = Checksum::default();
        sum.add(&p[12..20]);
        sum.add(&[0, 6]);
        sum.add(&(tcp.len() as u16).to_be_bytes());
        sum.add(tcp);
        assert_eq!(sum.finish(), 0, "TCP checksum");
        let word = |at: usize| u32::from_be_bytes(tcp[at..at + 4].try_into().unwrap());
        (tcp[13], word(4), word(8), tcp.len() - 20)
    }

    #[test]
    fn a_connection_is_handshake_data_and_fins_in_time_order() {
        let c = conversation("127.0.0.1:40000", "127.0.0.1:443");
        let p = packets(&c);
        let shape: Vec<_> = p.iter().map(|p| tcp_of(&p.bytes)).collect();
        let c0 = CLIENT_ISN;
        let s0 = SERVER_ISN;
        assert_eq!(
            shape,
            [
                (SYN, c0, 0, 0),
                (SYN | ACK, s0, c0 + 1, 0),
                (ACK, c0 + 1, s0 + 1, 0),
                (ACK | PSH, c0 + 1, s0 + 1, 5),
                (ACK, s0 + 1, c0 + 6, 0),
                (ACK, s0 + 1, c0 + 6, MAX_SEGMENT),
                (ACK | PSH, s0 + 1 + MAX_SEGMENT as u32, c0 + 6, 1),
                (ACK, c0 + 6, s0 + 2 + MAX_SEGMENT as u32, 0),
                // The server's FIN came first.
                (FIN | ACK, s0 + 2 + MAX_SEGMENT as u32, c0 + 6, 0),
                (FIN | ACK, c0 + 6, s0 + 3 + MAX_SEGMENT as u32, 0),
            ]
        );
        let times: Vec<_> = p.iter().map(|p| p.at).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        // Ports in place.
        assert_eq!(&p[0].bytes[20..24], &[0x9c, 0x40, 0x01, 0xbb]);
    }

    #[test]
    fn nothing_crosses_after_a_reset() {
        let mut c = conversation("127.0.0.1:40000", "127.0.0.1:443");
        c.ends[1].how = Closing::Reset;
        let p = packets(&c);
        let flags: Vec<u8> = p.iter().map(|p| tcp_of(&p.bytes).0).collect();
        assert_eq!(flags.last(), Some(&(RST | ACK)));
        assert_eq!(flags.iter().filter(|&&f| f & FIN != 0).count(), 0);
    }

    #[test]
    fn ipv6_and_mixed_families() {
        let c = conversation("[::1]:40000", "[::1]:443");
        let p = packets(&c);
        assert_eq!(p[0].bytes[0] >> 4, 6);
        assert_eq!(p[0].bytes.len(), 60);
        assert_eq!(u16::from_be_bytes([p[3].bytes[4], p[3].bytes[5]]), 25);
        assert_eq!(u16::from_be_bytes([p[4].bytes[4], p[4].bytes[5]]), 20);
        let c = conversation("127.0.0.1:40000", "[::1]:443");
        let p = packets(&c);
        assert_eq!(p[0].bytes[0] >> 4, 6);
        assert_eq!(
            &p[0].bytes[8..24],
            &"::ffff:127.0.0.1".parse::<Ipv6Addr>().unwrap().octets()
        );
    }
}
