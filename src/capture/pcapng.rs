//! The pcapng file format (draft-ietf-opsawg-pcapng), the blocks a capture of ours needs: a
//! Section Header, one Interface Description (raw IP packets, nanosecond times), a Decryption
//! Secrets Block with the TLS key log, and Enhanced Packet Blocks. Pure: bytes in, bytes out;
//! little-endian throughout, as the byte-order magic says.

use std::time::{SystemTime, UNIX_EPOCH};

const SECTION_HEADER: u32 = 0x0A0D_0D0A;
const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
const INTERFACE_DESCRIPTION: u32 = 0x0000_0001;
const ENHANCED_PACKET: u32 = 0x0000_0006;
const DECRYPTION_SECRETS: u32 = 0x0000_000A;
/// The Decryption Secrets Block's type for an NSS key log ("TLSK").
const TLS_KEY_LOG: u32 = 0x544C_534B;
/// LINKTYPE_RAW: each packet is an IPv4 or IPv6 header and what follows.
const LINKTYPE_RAW: u16 = 101;

const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
const SHB_USERAPPL: u16 = 4;
const IF_NAME: u16 = 2;
const IF_TSRESOL: u16 = 9;

/// One section: header, interface, secrets, packets, in that order, as Wireshark wants the
/// secrets before the packets they open.
#[derive(Debug, Default)]
pub struct Section {
    bytes: Vec<u8>,
}

impl Section {
    /// A section whose header carries `comment`, with one raw-IP interface named `interface`.
    pub fn new(comment: &str, interface: &str) -> Section {
        let mut s = Section::default();
        let mut body = Vec::new();
        body.extend_from_slice(&BYTE_ORDER_MAGIC.to_le_bytes());
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        // Section length: not given.
        body.extend_from_slice(&(-1i64).to_le_bytes());
        option(&mut body, OPT_COMMENT, comment.as_bytes());
        let appl = concat!("tlsprobe ", env!("CARGO_PKG_VERSION"));
        option(&mut body, SHB_USERAPPL, appl.as_bytes());
        end_options(&mut body);
        s.block(SECTION_HEADER, &body);

        let mut body = Vec::new();
        body.extend_from_slice(&LINKTYPE_RAW.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        // Snap length: whole packets.
        body.extend_from_slice(&0u32.to_le_bytes());
        option(&mut body, IF_NAME, interface.as_bytes());
        // Times in units of 10^-9 s.
        option(&mut body, IF_TSRESOL, &[9]);
        end_options(&mut body);
        s.block(INTERFACE_DESCRIPTION, &body);
        s
    }

    /// The TLS key log (NSS format, `LABEL client_random secret` lines).
    pub fn secrets(&mut self, key_log: &[u8]) {
        let mut body = Vec::new();
        body.extend_from_slice(&TLS_KEY_LOG.to_le_bytes());
        body.extend_from_slice(&(key_log.len() as u32).to_le_bytes());
        body.extend_from_slice(key_log);
        pad(&mut body);
        self.block(DECRYPTION_SECRETS, &body);
    }

    /// One packet (an IP datagram) seen at `at`, with a comment if any.
    pub fn packet(&mut self, at: SystemTime, packet: &[u8], comment: Option<&str>) {
        let ns = at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let mut body = Vec::new();
        // Interface 0.
        body.extend_from_slice(&0u32.to_le_bytes());
        body.extend_from_slice(&((ns >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(ns as u32).to_le_bytes());
        body.extend_from_slice(&(packet.len() as u32).to_le_bytes());
        body.extend_from_slice(&(packet.len() as u32).to_le_bytes());
        body.extend_from_slice(packet);
        pad(&mut body);
        if let Some(comment) = comment {
            option(&mut body, OPT_COMMENT, comment.as_bytes());
            end_options(&mut body);
        }
        self.block(ENHANCED_PACKET, &body);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// type, total length, body (a multiple of 4 bytes), total length again.
    fn block(&mut self, kind: u32, body: &[u8]) {
        let total = (body.len() + 12) as u32;
        self.bytes.extend_from_slice(&kind.to_le_bytes());
        self.bytes.extend_from_slice(&total.to_le_bytes());
        self.bytes.extend_from_slice(body);
        self.bytes.extend_from_slice(&total.to_le_bytes());
    }
}

/// An option: code, length, value padded to 32 bits. Values longer than an option holds are
/// cut (a comment of 64 KiB is not one a person reads).
fn option(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = value.get(..usize::from(u16::MAX) - 3).unwrap_or(value);
    out.extend_from_slice(&code.to_le_bytes());
    out.extend_from_slice(&(value.len() as u16).to_le_bytes());
    out.extend_from_slice(value);
    pad(out);
}

fn end_options(out: &mut Vec<u8>) {
    out.extend_from_slice(&OPT_END.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
}

fn pad(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    /// The blocks of a file: type and body, each checked for its two equal lengths.
    fn blocks(b: &[u8]) -> Vec<(u32, &[u8])> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < b.len() {
            let kind = u32_at(b, at);
            let total = u32_at(b, at + 4) as usize;
            assert!(total.is_multiple_of(4));
            assert_eq!(u32_at(b, at + total - 4) as usize, total);
            out.push((kind, &b[at + 8..at + total - 4]));
            at += total;
        }
        assert_eq!(at, b.len());
        out
    }

    #[test]
    fn a_section_is_header_interface_secrets_packets() {
        let mut s = Section::new("probe of example.com:443", "tlsprobe");
        s.secrets(b"CLIENT_RANDOM 01 02\n");
        let at = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        s.packet(at, &[0x45, 0, 0, 3, 9], Some("ClientHello"));
        s.packet(at, &[0x45; 8], None);
        let bytes = s.into_bytes();
        let b = blocks(&bytes);
        let kinds: Vec<u32> = b.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [SECTION_HEADER, 1, 0x0A, 6, 6]);
        assert_eq!(u32_at(b[0].1, 0), BYTE_ORDER_MAGIC);
        // The interface: raw IP, options name and resolution.
        assert_eq!(&b[1].1[..2], &101u16.to_le_bytes());
        // The secrets: "TLSK", their length, the lines.
        assert_eq!(&b[2].1[..4], b"KSLT");
        assert_eq!(u32_at(b[2].1, 4), 20);
        assert_eq!(&b[2].1[8..28], b"CLIENT_RANDOM 01 02\n");
        // A packet: its time in nanoseconds, split high and low.
        let ns = (u64::from(u32_at(b[3].1, 4)) << 32) | u64::from(u32_at(b[3].1, 8));
        assert_eq!(ns, 1_700_000_000_123_456_789);
        assert_eq!(u32_at(b[3].1, 12), 5);
        assert_eq!(&b[3].1[20..25], &[0x45, 0, 0, 3, 9]);
        // Padded to 28, then the comment.
        assert_eq!(&b[3].1[28..30], &OPT_COMMENT.to_le_bytes());
        assert_eq!(&b[3].1[32..43], b"ClientHello");
        assert_eq!(b[4].1.len(), 20 + 8);
    }
}
