//! What the served chain itself shows, by name: which certificate issued which, the path the
//! server meant, and the chain's shape (order, extras, a root sent along).

use crate::cert::Facts;

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

/// Index of the served certificate that issued certificate `i`, matched by name; a
/// self-signed certificate has none.
pub fn issuer_index(facts: &[Facts], i: usize) -> Option<usize> {
    let child = facts.get(i)?;
    if !child.parsed || child.self_signed {
        return None;
    }
    facts
        .iter()
        .enumerate()
        .find(|(j, c)| *j != i && c.parsed && c.subject == child.issuer)
        .map(|(j, _)| j)
}

/// The served certificates on the path from the leaf, following issuers by name.
pub fn served_path(facts: &[Facts]) -> Vec<usize> {
    let mut path = vec![0];
    while let Some(next) = path.last().and_then(|&at| issuer_index(facts, at)) {
        if path.contains(&next) {
            break; // a loop of names: stop
        }
        path.push(next);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(subject: &[u8], issuer: &[u8]) -> Facts {
        Facts {
            parsed: true,
            subject: subject.to_vec(),
            issuer: issuer.to_vec(),
            self_signed: subject == issuer,
            ..Facts::default()
        }
    }

    #[test]
    fn follows_issuers_in_any_order_and_stops_at_loops() {
        let facts = [
            cert(b"leaf", b"i1"),
            cert(b"root", b"root"),
            cert(b"i1", b"root"),
            cert(b"x", b"y"),
        ];
        assert_eq!(served_path(&facts), vec![0, 2, 1]);
        let looped = [cert(b"a", b"b"), cert(b"b", b"a")];
        assert_eq!(served_path(&looped), vec![0, 1]);
        assert_eq!(served_path(&[Facts::default()]), vec![0]);
    }

    #[test]
    fn der_contents_strips_the_sequence_header() {
        assert_eq!(der_contents(&[0x30, 2, 1, 2]), Some(&[1u8, 2][..]));
        assert_eq!(der_contents(&[0x30, 0x81, 1, 9]), Some(&[9u8][..]));
        assert_eq!(der_contents(&[0x31, 0]), None);
        assert_eq!(der_contents(&[]), None);
    }
}
