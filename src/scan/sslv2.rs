//! SSL 2.0's CLIENT-HELLO and the start of a SERVER-HELLO (draft-hickman-netscape-ssl-00):
//! whether a server still speaks it (DROWN). Pure: no I/O.

use crate::wire::reader::Reader;

/// SSL 2.0's cipher kinds, each three bytes: RC4-MD5, its export form, RC2-CBC and its export
/// form, IDEA-CBC, DES-CBC, DES-EDE3-CBC.
const CIPHER_KINDS: [[u8; 3]; 7] = [
    [0x01, 0x00, 0x80],
    [0x02, 0x00, 0x80],
    [0x03, 0x00, 0x80],
    [0x04, 0x00, 0x80],
    [0x05, 0x00, 0x80],
    [0x06, 0x00, 0x40],
    [0x07, 0x00, 0xc0],
];
const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 4;
const SSL2_VERSION: u16 = 0x0002;

/// A CLIENT-HELLO offering every SSL 2.0 cipher kind, with a 16-byte `challenge`, in a record
/// with a two-byte header.
pub fn client_hello(challenge: &[u8; 16]) -> Vec<u8> {
    let mut msg = vec![CLIENT_HELLO];
    msg.extend_from_slice(&SSL2_VERSION.to_be_bytes());
    let specs = CIPHER_KINDS.len() * 3;
    for len in [specs, 0, challenge.len()] {
        msg.extend_from_slice(&(len as u16).to_be_bytes());
    }
    for kind in CIPHER_KINDS {
        msg.extend_from_slice(&kind);
    }
    msg.extend_from_slice(challenge);
    let mut out = (0x8000 | msg.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(&msg);
    out
}

/// How a server answered a CLIENT-HELLO, once its first bytes settle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A SERVER-HELLO, with how many cipher kinds it offers (none: it speaks SSL 2.0 but
    /// would not agree to a cipher).
    ServerHello { ciphers: usize },
    /// Anything else: a TLS alert, an SSL 2.0 error, bytes of another protocol.
    Other,
}

/// The answer in `bytes`, or `None` while more is needed. A SERVER-HELLO's header (two-byte
/// record length, type, session-id-hit, certificate type, version, then the certificate,
/// cipher-specs and connection-id lengths) settles it.
pub fn answer(bytes: &[u8]) -> Option<Answer> {
    let mut r = Reader::new(bytes);
    let first = r.u8()?;
    // A two-byte header has its top bit set; a three-byte one (padding) is never a hello's.
    if first & 0x80 == 0 {
        return Some(Answer::Other);
    }
    r.u8()?;
    if r.u8()? != SERVER_HELLO {
        return Some(Answer::Other);
    }
    r.u8()?; // session-id-hit
    r.u8()?; // certificate type
    let version = r.u16()?;
    r.u16()?; // certificate length
    let specs = usize::from(r.u16()?);
    Some(if version == SSL2_VERSION {
        Answer::ServerHello { ciphers: specs / 3 }
    } else {
        Answer::Other
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hello_is_framed_as_sslv2() {
        let hello = client_hello(&[7; 16]);
        let len = usize::from(u16::from_be_bytes([hello[0], hello[1]]) & 0x7fff);
        assert_eq!(len, hello.len() - 2);
        assert_eq!(&hello[2..5], &[1, 0, 2]);
        assert_eq!(&hello[5..11], &[0, 21, 0, 0, 0, 16]);
        assert_eq!(hello.len(), 2 + 9 + 21 + 16);
    }

    #[test]
    fn reads_a_server_hello_and_refuses_the_rest() {
        // Header: length 0x0123; SERVER-HELLO, no session hit, X.509, version 2, a 0x100-byte
        // certificate, two cipher kinds (6 bytes), a 16-byte connection id.
        let hello = [0x81, 0x23, 4, 0, 1, 0, 2, 1, 0, 0, 6, 0, 16];
        assert_eq!(answer(&hello), Some(Answer::ServerHello { ciphers: 2 }));
        assert_eq!(answer(&hello[..8]), None, "not yet whole");
        // A TLS alert record; an SSL 2.0 ERROR message (type 0).
        assert_eq!(answer(&[21, 3, 1, 0, 2, 2, 40]), Some(Answer::Other));
        assert_eq!(answer(&[0x80, 3, 0, 0, 1]), Some(Answer::Other));
        assert_eq!(answer(&[]), None);
    }
}
