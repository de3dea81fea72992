//! The handshake layer: one direction's handshake messages, reassembled from the fragments of
//! the records that carried them (a message may span records; a record may hold several).

use super::code_points::HandshakeType;
use super::reader::Reader;

/// Collects one direction's handshake bytes and hands out whole messages.
#[derive(Debug, Clone, Default)]
pub struct Reassembler {
    buf: Vec<u8>,
    /// Bytes of `buf` already handed out; dropped at the next [`Reassembler::push`].
    taken: usize,
}

/// A whole handshake message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeMessage {
    pub msg_type: HandshakeType,
    /// The body, without the 4-byte header.
    pub body: Vec<u8>,
}

/// A handshake message that has begun and not ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    /// Its type, when at least that byte has arrived.
    pub msg_type: Option<HandshakeType>,
    /// Bytes of the body received so far.
    pub have: usize,
    /// The body length its header announces, when the header is whole.
    pub length: Option<usize>,
}

impl Reassembler {
    /// Add the fragment of one handshake record (or of decrypted handshake content).
    pub fn push(&mut self, fragment: &[u8]) {
        self.buf.drain(..self.taken.min(self.buf.len()));
        self.taken = 0;
        self.buf.extend_from_slice(fragment);
    }

    /// The next whole message, if the bytes pushed so far complete one.
    pub fn next_message(&mut self) -> Option<HandshakeMessage> {
        let mut r = Reader::new(self.buf.get(self.taken..)?);
        let msg_type = HandshakeType(r.u8()?);
        let len = r.u24()?;
        let body = r.bytes(len)?.to_vec();
        self.taken = self.taken.saturating_add(4).saturating_add(len);
        Some(HandshakeMessage { msg_type, body })
    }

    /// The message begun and not finished, if any (after [`Reassembler::next_message`] has
    /// returned `None`).
    pub fn partial(&self) -> Option<Partial> {
        let rest = self.buf.get(self.taken..).unwrap_or_default();
        if rest.is_empty() {
            return None;
        }
        let mut r = Reader::new(rest);
        let msg_type = r.u8().map(HandshakeType);
        let length = r.u24();
        Some(Partial {
            msg_type,
            have: length.map_or(0, |_| r.rest().len()),
            length,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_across_and_within_fragments() {
        let mut h = Reassembler::default();
        h.push(&[14, 0, 0, 0, 20, 0, 0]);
        assert_eq!(
            h.next_message(),
            Some(HandshakeMessage {
                msg_type: HandshakeType::SERVER_HELLO_DONE,
                body: vec![]
            })
        );
        assert_eq!(h.next_message(), None);
        assert_eq!(
            h.partial(),
            Some(Partial {
                msg_type: Some(HandshakeType::FINISHED),
                have: 0,
                length: None
            })
        );
        h.push(&[3, 1, 2]);
        assert_eq!(h.next_message(), None);
        assert_eq!(h.partial().map(|p| (p.have, p.length)), Some((2, Some(3))));
        h.push(&[3, 4, 0, 0]);
        assert_eq!(h.next_message().map(|m| m.body), Some(vec![1, 2, 3]));
        assert_eq!(h.next_message(), None);
        assert_eq!(
            h.partial().map(|p| p.msg_type),
            Some(Some(HandshakeType::NEW_SESSION_TICKET))
        );
        h.push(&[0]);
        assert_eq!(
            h.next_message().map(|m| m.msg_type),
            Some(HandshakeType::NEW_SESSION_TICKET)
        );
        assert_eq!(h.partial(), None);
    }
}
