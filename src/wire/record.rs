//! The TLS record layer: split one direction's bytes into records.

use super::code_points::{ContentType, ProtocolVersion};
use super::reader::Reader;

pub const CHANGE_CIPHER_SPEC: ContentType = ContentType::CHANGE_CIPHER_SPEC;
pub const ALERT: ContentType = ContentType::ALERT;
pub const HANDSHAKE: ContentType = ContentType::HANDSHAKE;
pub const APPLICATION_DATA: ContentType = ContentType::APPLICATION_DATA;
pub const HEARTBEAT: ContentType = ContentType::HEARTBEAT;

/// The largest fragment a record may carry: 2^14 plus the 2048 bytes of expansion TLS 1.2
/// allows (RFC 5246 section 6.2.3). Anything longer is not TLS.
pub const MAX_FRAGMENT: usize = 16_384 + 2048;

/// One record, borrowed from the stream it was split from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    pub content_type: ContentType,
    pub version: ProtocolVersion,
    /// The 5-byte header (the AEAD's additional data in TLS 1.3).
    pub header: &'a [u8],
    pub fragment: &'a [u8],
    /// Offset of the record's first byte in the stream.
    pub start: usize,
    /// Offset just past the record's last byte.
    pub end: usize,
}

/// How a stream ended after its last whole record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// Every byte belonged to a whole record.
    Clean,
    /// A record was cut short (the connection ended or failed mid-record).
    Truncated { at: usize },
    /// Bytes at this offset are not a TLS record header.
    NotTls { at: usize },
}

/// Split `stream` into records.
pub fn split(stream: &[u8]) -> (Vec<Record<'_>>, Tail) {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < stream.len() {
        let rest = stream.get(pos..).unwrap_or_default();
        let mut r = Reader::new(rest);
        let (Some(content_type), Some(version)) = (r.u8(), r.u16()) else {
            return (out, tail_for_partial(rest, pos));
        };
        if !is_header(content_type, version) {
            return (out, Tail::NotTls { at: pos });
        }
        let Some(len) = r.u16().map(usize::from) else {
            return (out, Tail::Truncated { at: pos });
        };
        if len > MAX_FRAGMENT {
            return (out, Tail::NotTls { at: pos });
        }
        let Some(fragment) = r.bytes(len) else {
            return (out, Tail::Truncated { at: pos });
        };
        let end = pos + 5 + len;
        out.push(Record {
            content_type: ContentType(content_type),
            version: ProtocolVersion(version),
            header: rest.get(..5).unwrap_or_default(),
            fragment,
            start: pos,
            end,
        });
        pos = end;
    }
    (out, Tail::Clean)
}

/// The content types TLS 1.2 and 1.3 records carry, as a range of their numbers.
const KNOWN_TYPES: std::ops::RangeInclusive<u8> = CHANGE_CIPHER_SPEC.0..=HEARTBEAT.0;

fn is_header(content_type: u8, version: u16) -> bool {
    KNOWN_TYPES.contains(&content_type) && version >> 8 == 3
}

/// A partial header is "truncated" if what there is could begin a record, else "not TLS".
fn tail_for_partial(rest: &[u8], pos: usize) -> Tail {
    let plausible = match rest {
        [t] => KNOWN_TYPES.contains(t),
        [t, major, ..] => KNOWN_TYPES.contains(t) && *major == 3,
        [] => true,
    };
    if plausible {
        Tail::Truncated { at: pos }
    } else {
        Tail::NotTls { at: pos }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_records_and_reports_the_tail() {
        let stream = [22, 3, 3, 0, 2, 1, 2, 21, 3, 3, 0, 2, 2, 40, 23, 3];
        let (records, tail) = split(&stream);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].fragment, &[1, 2]);
        assert_eq!((records[1].start, records[1].end), (7, 14));
        assert_eq!(tail, Tail::Truncated { at: 14 });
    }

    #[test]
    fn recognises_what_is_not_tls() {
        assert_eq!(
            split(b"HTTP/1.1 400 Bad Request\r\n").1,
            Tail::NotTls { at: 0 }
        );
        assert_eq!(split(b"SSH-2.0-OpenSSH").1, Tail::NotTls { at: 0 });
        assert_eq!(split(&[22, 3, 3, 0xff, 0xff]).1, Tail::NotTls { at: 0 });
        assert_eq!(split(b"H").1, Tail::NotTls { at: 0 });
    }
}
