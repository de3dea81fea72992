//! The binary preambles: LDAP's StartTLS extended operation and PostgreSQL's SSLRequest.

use std::net::TcpStream;

use super::io::{read_exact, send};
use super::{quote, Refused};
use crate::deadline::Deadline;

/// LDAPMessage { messageID 1, extendedReq { requestName "1.3.6.1.4.1.1466.20037" } }.
const LDAP_STARTTLS: &[u8] = b"\x30\x1d\x02\x01\x01\x77\x18\x80\x161.3.6.1.4.1.1466.20037";

/// PostgreSQL's SSLRequest: length 8, code 80877103.
const PG_SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

pub(super) fn postgres(stream: &mut TcpStream, deadline: Deadline) -> Result<(), Refused> {
    send(stream, &PG_SSL_REQUEST, deadline)?;
    let mut answer = [0u8; 1];
    read_exact(stream, &mut answer, deadline)?;
    match answer[0] {
        b'S' => Ok(()),
        b'N' => Err(Refused(
            "the server does not accept SSL/TLS (it answered 'N' to SSLRequest)".into(),
        )),
        other => Err(Refused(format!(
            "unexpected answer to SSLRequest: {}",
            quote(&[other])
        ))),
    }
}

pub(super) fn ldap(stream: &mut TcpStream, deadline: Deadline) -> Result<(), Refused> {
    send(stream, LDAP_STARTTLS, deadline)?;
    // The LDAPMessage header: SEQUENCE tag and length, then the rest.
    let mut head = [0u8; 2];
    read_exact(stream, &mut head, deadline)?;
    if head[0] != 0x30 {
        return Err(Refused(format!("unexpected answer: {}", quote(&head))));
    }
    let len = if head[1] < 0x80 {
        usize::from(head[1])
    } else {
        let n = usize::from(head[1] & 0x7f);
        if n == 0 || n > 3 {
            return Err(Refused("malformed LDAP answer".into()));
        }
        let mut l = [0u8; 3];
        read_exact(stream, &mut l[..n], deadline)?;
        l[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if len > 64 * 1024 {
        return Err(Refused("the LDAP answer is too long".into()));
    }
    let mut body = vec![0u8; len];
    read_exact(stream, &mut body, deadline)?;
    match result_code(&body) {
        Some(0) => Ok(()),
        Some(code) => Err(Refused(format!(
            "the server refused StartTLS (LDAP result code {code})"
        ))),
        None => Err(Refused("malformed LDAP answer to StartTLS".into())),
    }
}

/// The resultCode of an ExtendedResponse: messageID INTEGER, then [APPLICATION 24] holding
/// resultCode ENUMERATED first.
fn result_code(body: &[u8]) -> Option<u8> {
    let (&tag, rest) = body.split_first()?;
    if tag != 0x02 {
        return None;
    }
    let (&id_len, rest) = rest.split_first()?;
    let rest = rest.get(usize::from(id_len)..)?;
    let (&op, rest) = rest.split_first()?;
    if op != 0x78 {
        return None;
    }
    let (&op_len, mut rest) = rest.split_first()?;
    if op_len >= 0x80 {
        rest = rest.get(usize::from(op_len & 0x7f)..)?;
    }
    match rest {
        [0x0a, 0x01, code, ..] => Some(*code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starttls_request_is_well_formed() {
        assert_eq!(LDAP_STARTTLS.len(), 2 + 0x1d);
        assert_eq!(&LDAP_STARTTLS[9..], b"1.3.6.1.4.1.1466.20037");
    }

    #[test]
    fn reads_the_result_code() {
        assert_eq!(
            result_code(&[0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]),
            Some(0)
        );
        assert_eq!(
            result_code(&[0x02, 0x01, 0x01, 0x78, 0x81, 0x07, 0x0a, 0x01, 0x02]),
            Some(2)
        );
        assert_eq!(result_code(&[0x02, 0x05]), None);
        assert_eq!(result_code(&[]), None);
    }
}
