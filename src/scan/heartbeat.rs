//! The Heartbleed question (CVE-2014-0160), asked without harm: one HeartbeatRequest that
//! claims more payload than it carries, then an honest one. A server that checks the length
//! drops the first (RFC 6520 section 4) and echoes the second; a vulnerable one answers the
//! first with memory of its own, at most [`CLAIMED`] bytes of it, which we do not keep. Pure.

use crate::wire::code_points::ProtocolVersion;
use crate::wire::codec::Codec;
use crate::wire::reader::Reader;
use crate::wire::record;

const HEARTBEAT_REQUEST: u8 = 1;
const HEARTBEAT_RESPONSE: u8 = 2;
/// The payload length the first request claims, carrying none: small, so that a vulnerable
/// server's answer is bounded too.
pub const CLAIMED: u16 = 64;
/// The honest request's payload, and the padding RFC 6520 requires (at least 16 bytes).
const PAYLOAD: [u8; 16] = *b"tlsprobe-honest!";
const PADDING: [u8; 16] = [0; 16];

/// The two heartbeat records, in `version`'s record framing.
pub fn requests(version: ProtocolVersion) -> Vec<u8> {
    let mut out = Vec::new();
    let mut framed = |body: &[u8]| {
        record::HEARTBEAT.encode(&mut out);
        version.encode(&mut out);
        out.extend_from_slice(&(body.len() as u16).to_be_bytes());
        out.extend_from_slice(body);
    };
    let mut lying = vec![HEARTBEAT_REQUEST];
    lying.extend_from_slice(&CLAIMED.to_be_bytes());
    framed(&lying);
    let mut honest = vec![HEARTBEAT_REQUEST];
    honest.extend_from_slice(&(PAYLOAD.len() as u16).to_be_bytes());
    honest.extend_from_slice(&PAYLOAD);
    honest.extend_from_slice(&PADDING);
    framed(&honest);
    out
}

/// Whether the server is vulnerable, once its records settle it: `Some(true)` for a
/// HeartbeatResponse longer than the honest payload, `Some(false)` for the honest echo alone
/// or an alert, `None` while more is needed.
pub fn vulnerable(bytes: &[u8]) -> Option<bool> {
    let (records, _) = record::split(bytes);
    for r in &records {
        match r.content_type {
            record::HEARTBEAT => {
                let mut m = Reader::new(r.fragment);
                if m.u8() != Some(HEARTBEAT_RESPONSE) {
                    continue;
                }
                let len = m.u16()?;
                return Some(usize::from(len) != PAYLOAD.len());
            }
            record::ALERT => return Some(false),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(payload_len: u16, carried: usize) -> Vec<u8> {
        let mut body = vec![HEARTBEAT_RESPONSE];
        body.extend_from_slice(&payload_len.to_be_bytes());
        body.resize(3 + carried + 16, 0xaa);
        let mut out = vec![24, 3, 3];
        out.extend_from_slice(&(body.len() as u16).to_be_bytes());
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn two_requests_one_lying() {
        let r = requests(ProtocolVersion::TLS1_2);
        assert_eq!(&r[..8], &[24, 3, 3, 0, 3, 1, 0, CLAIMED as u8]);
        assert_eq!(&r[8..13], &[24, 3, 3, 0, 35]);
        assert_eq!(r.len(), 8 + 5 + 35);
    }

    #[test]
    fn the_echo_length_decides() {
        assert_eq!(vulnerable(&response(16, 16)), Some(false));
        assert_eq!(
            vulnerable(&response(CLAIMED, usize::from(CLAIMED))),
            Some(true)
        );
        assert_eq!(vulnerable(&[21, 3, 3, 0, 2, 2, 10]), Some(false));
        assert_eq!(vulnerable(&response(16, 16)[..6]), None, "not yet whole");
        assert_eq!(vulnerable(&[22, 3, 3, 0, 1, 14]), None);
    }
}
