//! A stapled OCSP response (RFC 6960), read far enough to report it: the status of the first
//! SingleResponse, its thisUpdate and nextUpdate, and the responder. Pure; never panics.
//!
//! The response's signature is not checked: tlsprobe reports what the server stapled.

use crate::cert::rfc3339;

/// What the staple says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staple {
    /// `good`, `revoked` or `unknown`.
    pub status: &'static str,
    pub this_update: Option<i64>,
    pub next_update: Option<i64>,
    /// The responder: its name, or `key hash <hex>`.
    pub responder: Option<String>,
    pub revoked_at: Option<i64>,
}

impl Staple {
    pub fn this_update_rfc3339(&self) -> Option<String> {
        self.this_update.map(rfc3339)
    }

    pub fn next_update_rfc3339(&self) -> Option<String> {
        self.next_update.map(rfc3339)
    }
}

/// A DER element: tag, and contents.
struct Tlv<'a> {
    tag: u8,
    body: &'a [u8],
}

/// Split one DER element off the front of `input`.
fn tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
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
    Some((Tlv { tag, body }, rest.get(len..)?))
}

/// Every element of a constructed value's contents.
fn children(body: &[u8]) -> Vec<Tlv<'_>> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some((t, after)) = tlv(rest) {
        out.push(t);
        rest = after;
    }
    out
}

const SEQUENCE: u8 = 0x30;
const GENERALIZED_TIME: u8 = 0x18;

/// Parse a stapled OCSPResponse; `None` when it is not a successful basic response.
pub fn parse(der: &[u8]) -> Option<Staple> {
    let (resp, _) = tlv(der)?;
    let parts = children(resp.body);
    // responseStatus ENUMERATED must be successful (0).
    if parts.first()?.body != [0] {
        return None;
    }
    // responseBytes [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING }
    let bytes = parts.get(1).filter(|t| t.tag == 0xa0)?;
    let (inner, _) = tlv(bytes.body)?;
    let inner = children(inner.body);
    let basic = inner.get(1).filter(|t| t.tag == 0x04)?;
    // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature, certs }
    let (basic, _) = tlv(basic.body)?;
    let (tbs, _) = tlv(basic.body)?;
    let mut fields = children(tbs.body).into_iter().peekable();
    // version [0] EXPLICIT, DEFAULT v1
    if fields.peek().is_some_and(|t| t.tag == 0xa0) {
        fields.next();
    }
    let responder = fields.next().map(|r| match r.tag {
        0xa1 => {
            use x509_parser::prelude::FromDer;
            x509_parser::x509::X509Name::from_der(r.body)
                .map_or_else(|_| "(unparseable name)".to_string(), |(_, n)| n.to_string())
        }
        _ => {
            let hash = tlv(r.body).map_or(r.body, |(t, _)| t.body);
            format!("key hash {}", crate::cert::hex(hash))
        }
    });
    let _produced_at = fields.next()?;
    let responses = fields.next().filter(|t| t.tag == SEQUENCE)?;
    let (single, _) = tlv(responses.body)?;
    let single = children(single.body);
    // SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] OPTIONAL }
    let status_tlv = single.get(1)?;
    let (status, revoked_at) = match status_tlv.tag {
        0x80 => ("good", None),
        0xa1 => ("revoked", tlv(status_tlv.body).and_then(|(t, _)| time(&t))),
        _ => ("unknown", None),
    };
    let this_update = single.get(2).and_then(time);
    let next_update = single
        .get(3)
        .filter(|t| t.tag == 0xa0)
        .and_then(|t| tlv(t.body))
        .and_then(|(t, _)| time(&t));
    Some(Staple {
        status,
        this_update,
        next_update,
        responder,
        revoked_at,
    })
}

/// A GeneralizedTime `YYYYMMDDHHMMSSZ` as Unix seconds.
fn time(t: &Tlv<'_>) -> Option<i64> {
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

    #[test]
    fn generalized_time() {
        let t = Tlv {
            tag: GENERALIZED_TIME,
            body: b"20261122180000Z",
        };
        assert_eq!(
            time(&t).map(rfc3339).as_deref(),
            Some("2026-11-22T18:00:00Z")
        );
        for bad in [
            &b"2026112218000Z"[..],
            b"20261322180000Z",
            b"2026112218000xZ",
            b"",
        ] {
            assert_eq!(
                time(&Tlv {
                    tag: GENERALIZED_TIME,
                    body: bad
                }),
                None
            );
        }
    }

    #[test]
    fn garbage_is_none_never_a_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for n in 0..5000usize {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bytes: Vec<u8> = (0..n % 200).map(|i| (seed >> (i % 57)) as u8).collect();
            if let Some(b) = bytes.first_mut() {
                *b = 0x30;
            }
            let _ = parse(&bytes);
        }
        assert_eq!(parse(&[]), None);
        assert_eq!(
            parse(&[0x30, 0x03, 0x0a, 0x01, 0x01]),
            None,
            "malformedRequest"
        );
    }
}
