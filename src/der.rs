//! Just enough DER for an OCSP response and a precertificate: one element at a time, its tag,
//! its contents and the bytes it was read from, and GeneralizedTime. Pure; never panics.
//!
//! Lengths of up to four bytes are read; the indefinite form (BER) is refused, as DER forbids
//! it. Non-minimal lengths are accepted: the signature covers the bytes as sent, so reading
//! them leniently cannot make a forged response pass.

/// One DER element.
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    /// The contents, without tag and length.
    pub body: &'a [u8],
    /// The whole element: tag, length and contents, exactly as received.
    pub raw: &'a [u8],
}

pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OID: u8 = 0x06;
pub(crate) const ENUMERATED: u8 = 0x0a;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SEQUENCE: u8 = 0x30;

/// Context-specific tag `[n]`, constructed (EXPLICIT, or IMPLICIT over a SEQUENCE).
pub(crate) const fn constructed(n: u8) -> u8 {
    0xa0 | n
}

/// Context-specific tag `[n]`, primitive (IMPLICIT over a primitive type).
pub(crate) const fn primitive(n: u8) -> u8 {
    0x80 | n
}

/// Split one DER element off the front of `input`.
pub(crate) fn tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let (bytes, after) = (rest.get(..n)?, rest.get(n..)?);
        rest = after;
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    let body = rest.get(..len)?;
    let after = rest.get(len..)?;
    let raw = input.get(..input.len() - after.len())?;
    Some((Tlv { tag, body, raw }, after))
}

/// One element with tag `tag`, and what follows it.
pub(crate) fn expect(tag: u8, input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    tlv(input).filter(|(t, _)| t.tag == tag)
}

/// Every element of a constructed value's contents; `None` when bytes are left over that are
/// not a whole element.
pub(crate) fn children(body: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (t, after) = tlv(rest)?;
        out.push(t);
        rest = after;
    }
    Some(out)
}

/// A GeneralizedTime `YYYYMMDDHHMMSS[.fff]Z` as Unix seconds (fractions dropped).
pub(crate) fn time(t: &Tlv<'_>) -> Option<i64> {
    if t.tag != GENERALIZED_TIME {
        return None;
    }
    let s = std::str::from_utf8(t.body).ok()?;
    let digits = s.strip_suffix('Z')?;
    let digits = digits.split('.').next()?;
    if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| digits.get(a..b).and_then(|x| x.parse::<u32>().ok());
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0, 4)?).ok()?,
        time::Month::try_from(u8::try_from(n(4, 6)?).ok()?).ok()?,
        u8::try_from(n(6, 8)?).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(n(8, 10)?).ok()?,
        u8::try_from(n(10, 12)?).ok()?,
        u8::try_from(n(12, 14)?).ok()?,
    )
    .ok()?;
    Some(
        time::PrimitiveDateTime::new(date, clock)
            .assume_utc()
            .unix_timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::rfc3339;

    fn generalized(body: &[u8]) -> Tlv<'_> {
        Tlv {
            tag: GENERALIZED_TIME,
            body,
            raw: body,
        }
    }

    #[test]
    fn generalized_time() {
        assert_eq!(
            time(&generalized(b"20261122180000Z"))
                .map(rfc3339)
                .as_deref(),
            Some("2026-11-22T18:00:00Z")
        );
        assert_eq!(
            time(&generalized(b"20261122180000.25Z"))
                .map(rfc3339)
                .as_deref(),
            Some("2026-11-22T18:00:00Z")
        );
        for bad in [
            &b"2026112218000Z"[..],
            b"20261322180000Z",
            b"2026112218000xZ",
            b"",
        ] {
            assert_eq!(time(&generalized(bad)), None);
        }
    }

    #[test]
    fn elements_keep_their_raw_bytes() {
        let input = [0x30, 0x81, 0x02, 0x05, 0x00, 0xff];
        let (t, rest) = tlv(&input).expect("one element");
        assert_eq!((t.tag, t.body, t.raw), (0x30, &[5u8, 0][..], &input[..5]));
        assert_eq!(rest, [0xff]);
        assert!(children(&[0x05, 0x00, 0x05]).is_none(), "a partial element");
        assert!(
            tlv(&[0x30, 0x80, 0x00, 0x00]).is_none(),
            "indefinite length"
        );
        assert!(
            tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none(),
            "five length bytes"
        );
        assert!(tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
    }
}
