//! A bounds-checked cursor over untrusted bytes: every read returns `None` past the end, so the
//! parsers built on it cannot panic.

use super::codec::Codec;
use super::error::Error;

#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// The next `n` bytes, or `None` (reading nothing) when fewer are left.
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N).and_then(|b| b.try_into().ok())
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[b]| b)
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }

    pub fn u24(&mut self) -> Option<usize> {
        self.array::<3>()
            .map(|[a, b, c]| (usize::from(a) << 16) | (usize::from(b) << 8) | usize::from(c))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }

    /// A vector with a one-byte length prefix.
    pub fn vec8(&mut self) -> Option<Reader<'a>> {
        let n = self.u8()?;
        self.bytes(usize::from(n)).map(Reader::new)
    }

    /// A vector with a two-byte length prefix.
    pub fn vec16(&mut self) -> Option<Reader<'a>> {
        let n = self.u16()?;
        self.bytes(usize::from(n)).map(Reader::new)
    }

    /// A vector with a three-byte length prefix.
    pub fn vec24(&mut self) -> Option<Reader<'a>> {
        let n = self.u24()?;
        self.bytes(n).map(Reader::new)
    }

    /// Every value left, read one after the other (a list of code points); bytes left over
    /// that do not make a whole value are an error naming `field`.
    pub fn list<T: Codec>(mut self, field: &'static str) -> Result<Vec<T>, Error> {
        let mut out = Vec::with_capacity(self.rest().len() / 2);
        while !self.is_empty() {
            out.push(T::read(&mut self).ok_or(Error::Truncated(field))?);
        }
        Ok(out)
    }

    /// Succeeds when everything has been read; else names the bytes left after `field`.
    pub fn end(&self, field: &'static str) -> Result<(), Error> {
        match self.rest().len() {
            0 => Ok(()),
            extra => Err(Error::TrailingBytes {
                after: field,
                extra,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let mut r = Reader::new(&[0, 3, 1, 2]);
        assert_eq!(r.vec16().map(|v| v.rest().len()), None);
        let mut r = Reader::new(&[0, 2, 1, 2, 9]);
        assert_eq!(
            r.vec16().map(|v| v.list::<u16>("l")),
            Some(Ok(vec![0x0102]))
        );
        assert_eq!(r.u16(), None);
        assert_eq!(
            r.end("x"),
            Err(Error::TrailingBytes {
                after: "x",
                extra: 1
            })
        );
        assert_eq!(r.u8(), Some(9));
        assert!(r.is_empty());
        assert_eq!(r.end("x"), Ok(()));
        assert_eq!(Reader::new(&[0xff, 0xff]).u24(), None);
        assert_eq!(Reader::new(&[1, 2, 3]).u24(), Some(0x010203));
        assert_eq!(Reader::new(&[1, 2, 3, 4]).u32(), Some(0x0102_0304));
        assert_eq!(
            Reader::new(&[1, 2, 3]).list::<u16>("l"),
            Err(Error::Truncated("l"))
        );
        assert_eq!(Reader::new(&[1, 2]).list::<u16>("l"), Ok(vec![0x0102]));
        let mut r = Reader::new(&[1]);
        assert_eq!(r.bytes(usize::MAX), None);
        assert_eq!(r.rest(), &[1]);
    }
}
