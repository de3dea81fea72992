//! Encoding beside decoding (rustls's msgs/codec.rs): a type that travels on the wire says in
//! one place how it is written and how it is read, so the bytes tlsprobe sends (the raw
//! ClientHellos of `scan`) and the bytes it parses share one definition. Reading goes through
//! the bounds-checked [`Reader`]; the length-prefixed vectors are written by [`vec8`],
//! [`vec16`] and [`vec24`], which fill in the length once the body is written.

use super::reader::Reader;

/// A value with a fixed wire encoding.
pub trait Codec: Sized {
    /// Append the value's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Read one value, or `None` (reading nothing useful) when the bytes end first.
    fn read(r: &mut Reader<'_>) -> Option<Self>;
}

impl Codec for u8 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }

    fn read(r: &mut Reader<'_>) -> Option<Self> {
        r.u8()
    }
}

impl Codec for u16 {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }

    fn read(r: &mut Reader<'_>) -> Option<Self> {
        r.u16()
    }
}

/// A three-byte length as the handshake header and certificate lists carry it; a larger `n`
/// is written as the largest (no message of ours comes near).
pub fn put_u24(out: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).unwrap_or(u32::MAX).min(0xff_ffff);
    out.extend_from_slice(&n.to_be_bytes()[1..]);
}

/// Write a vector with a length prefix of `width` bytes: `body` writes the contents, and the
/// length is filled in after (clamped to the largest the prefix holds).
fn prefixed(out: &mut Vec<u8>, width: usize, body: impl FnOnce(&mut Vec<u8>)) {
    let at = out.len();
    out.resize(at + width, 0);
    body(out);
    let len = out.len() - at - width;
    let max = (1usize << (8 * width)) - 1;
    let be = u32::try_from(len.min(max))
        .unwrap_or(u32::MAX)
        .to_be_bytes();
    if let (Some(slot), Some(bytes)) = (out.get_mut(at..at + width), be.get(4 - width..)) {
        slot.copy_from_slice(bytes);
    }
}

/// A vector with a one-byte length prefix (read back by [`Reader::vec8`]).
pub fn vec8(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    prefixed(out, 1, body);
}

/// A vector with a two-byte length prefix (read back by [`Reader::vec16`]).
pub fn vec16(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    prefixed(out, 2, body);
}

/// A vector with a three-byte length prefix (read back by [`Reader::vec24`]).
pub fn vec24(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    prefixed(out, 3, body);
}

/// Every item, one after the other (a list inside a vector: read back by [`Reader::list`]).
pub fn list<T: Codec>(out: &mut Vec<u8>, items: &[T]) {
    for item in items {
        item.encode(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::code_points::{CipherSuite, NamedGroup};

    #[test]
    fn what_is_written_reads_back() {
        let mut out = Vec::new();
        vec16(&mut out, |o| {
            list(
                o,
                &[CipherSuite::TLS13_AES_128_GCM_SHA256, CipherSuite(0x0a0a)],
            );
        });
        vec8(&mut out, |o| o.push(0));
        vec24(&mut out, |o| NamedGroup::X25519.encode(o));
        put_u24(&mut out, 0x010203);
        assert_eq!(
            out,
            [0, 4, 0x13, 1, 0x0a, 0x0a, 1, 0, 0, 0, 2, 0, 29, 1, 2, 3]
        );
        let mut r = Reader::new(&out);
        let suites: Vec<CipherSuite> = r.vec16().map(|l| l.list("suites")).unwrap().unwrap();
        assert_eq!(
            suites,
            [CipherSuite::TLS13_AES_128_GCM_SHA256, CipherSuite(0x0a0a)]
        );
        assert_eq!(r.vec8().map(|v| v.rest().to_vec()), Some(vec![0]));
        let mut g = r.vec24().unwrap();
        assert_eq!(NamedGroup::read(&mut g), Some(NamedGroup::X25519));
        assert_eq!(r.u24(), Some(0x010203));
        assert!(r.is_empty());
        // A length past what the prefix holds is clamped, not wrapped.
        let mut big = Vec::new();
        vec8(&mut big, |o| o.extend_from_slice(&[7; 300]));
        assert_eq!(big[0], 255);
    }
}
