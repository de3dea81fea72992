//! A bounds-checked cursor over untrusted bytes: every read returns `None` past the end, so the
//! parsers built on it cannot panic.

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

    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn u24(&mut self) -> Option<usize> {
        self.bytes(3)
            .map(|b| (usize::from(b[0]) << 16) | (usize::from(b[1]) << 8) | usize::from(b[2]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.bytes(4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
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

    /// Every u16 left (a list of code points).
    pub fn u16s(mut self) -> Vec<u16> {
        let mut out = Vec::with_capacity(self.rest().len() / 2);
        while let Some(v) = self.u16() {
            out.push(v);
        }
        out
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
        assert_eq!(r.vec16().map(|v| v.u16s()), Some(vec![0x0102]));
        assert_eq!(r.u16(), None);
        assert_eq!(r.u8(), Some(9));
        assert!(r.is_empty());
        assert_eq!(Reader::new(&[0xff, 0xff]).u24(), None);
    }
}
