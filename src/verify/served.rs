//! The DER forms names and keys travel in: webpki keeps them without their SEQUENCE header,
//! x509-parser with it.

/// The contents of a DER SEQUENCE (webpki keeps names and keys without their outer tag).
pub fn der_contents(der: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = der.split_first()?;
    if tag != 0x30 {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let skip = match len {
        0..=0x7f => 0,
        0x81..=0x84 => usize::from(len & 0x7f),
        _ => return None,
    };
    rest.get(skip..)
}

/// Wrap name or key contents back into a SEQUENCE (webpki keeps them without it).
pub fn sequence(contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = vec![0x30];
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xff {
        out.extend_from_slice(&[0x81, len as u8]);
    } else if len <= 0xffff {
        let l = (len as u16).to_be_bytes();
        out.extend_from_slice(&[0x82, l[0], l[1]]);
    } else {
        let l = u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes();
        out.push(0x84);
        out.extend_from_slice(&l);
    }
    out.extend_from_slice(contents);
    out
}

/// A DER Name as an RFC 4514-style string.
pub fn name_string(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::x509::X509Name::from_der(der)
        .map_or_else(|_| "(unparseable name)".to_string(), |(_, n)| n.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sequence_round_trips_through_der_contents() {
        for len in [0usize, 5, 127, 128, 255, 256, 1000, 70_000] {
            let body = vec![7u8; len];
            assert_eq!(der_contents(&sequence(&body)), Some(&body[..]), "{len}");
        }
    }

    use super::*;

    #[test]
    fn der_contents_strips_the_sequence_header() {
        assert_eq!(der_contents(&[0x30, 2, 1, 2]), Some(&[1u8, 2][..]));
        assert_eq!(der_contents(&[0x30, 0x81, 1, 9]), Some(&[9u8][..]));
        assert_eq!(der_contents(&[0x31, 0]), None);
        assert_eq!(der_contents(&[]), None);
    }
}
