//! The binary preambles: LDAP's StartTLS extended operation (RFC 4511 section 4.14) and
//! PostgreSQL's SSLRequest.

use super::io::Wire;
use super::{quote, Cause, Refused};

/// LDAPMessage { messageID 1, extendedReq { requestName "1.3.6.1.4.1.1466.20037" } }.
const LDAP_STARTTLS: &[u8] = b"\x30\x1d\x02\x01\x01\x77\x18\x80\x161.3.6.1.4.1.1466.20037";

/// PostgreSQL's SSLRequest: length 8, code 80877103.
const PG_SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

pub(super) fn postgres(wire: &mut Wire<'_>) -> Result<(), Refused> {
    wire.send(&PG_SSL_REQUEST, "SSLRequest")?;
    let mut answer = [0u8; 1];
    wire.exact(&mut answer)?;
    match answer[0] {
        b'S' => {
            wire.heard_text("S (go ahead with TLS)");
            Ok(())
        }
        b'N' => {
            wire.heard_text("N (no TLS)");
            Err(Refused::new(
                "the server does not accept TLS (it answered 'N' to SSLRequest)".into(),
            )
            .because(Cause::TlsOff))
        }
        _ => {
            wire.rest_of_line();
            let heard = wire.heard.clone();
            wire.heard_text(String::from_utf8_lossy(&heard).trim_end().to_string());
            Err(Refused::new(format!(
                "unexpected answer to SSLRequest: {}",
                quote(&heard)
            )))
        }
    }
}

pub(super) fn ldap(wire: &mut Wire<'_>) -> Result<(), Refused> {
    wire.send(
        LDAP_STARTTLS,
        "ExtendedRequest StartTLS (1.3.6.1.4.1.1466.20037)",
    )?;
    // The LDAPMessage header: SEQUENCE tag and length, then the rest.
    let mut head = [0u8; 2];
    wire.exact(&mut head)?;
    if head[0] != 0x30 {
        wire.rest_of_line();
        let heard = wire.heard.clone();
        return Err(Refused::new(format!(
            "the answer is not LDAP: {}",
            quote(&heard)
        )));
    }
    let len = if head[1] < 0x80 {
        usize::from(head[1])
    } else {
        let n = usize::from(head[1] & 0x7f);
        if n == 0 || n > 3 {
            return Err(Refused::new("malformed LDAP answer".into()));
        }
        let mut l = [0u8; 3];
        wire.exact(&mut l[..n])?;
        l[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if len > 64 * 1024 {
        return Err(Refused::new("the LDAP answer is too long".into()));
    }
    let mut body = vec![0u8; len];
    wire.exact(&mut body)?;
    let Some(result) = ldap_result(&body) else {
        wire.heard_text(format!("{len} bytes that are not an ExtendedResponse"));
        return Err(Refused::new("malformed LDAP answer to StartTLS".into()));
    };
    wire.heard_text(result.to_string());
    match result.code {
        0 => Ok(()),
        // protocolError (the operation is unknown: no TLS configured) and unavailable.
        2 | 52 => Err(
            Refused::new(format!("the server refused StartTLS: {result}")).because(Cause::TlsOff),
        ),
        _ => Err(
            Refused::new(format!("the server refused StartTLS: {result}")).because(Cause::Answered),
        ),
    }
}

/// An LDAPResult: its code and diagnosticMessage.
#[derive(Debug, PartialEq, Eq)]
struct LdapResult {
    message_id: u32,
    code: u32,
    diagnostic: String,
}

impl std::fmt::Display for LdapResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message_id == 0 {
            f.write_str("Notice of Disconnection, ")?;
        } else {
            f.write_str("ExtendedResponse, ")?;
        }
        write!(f, "result code {}", self.code)?;
        if let Some(name) = result_name(self.code) {
            write!(f, " ({name})")?;
        }
        if !self.diagnostic.is_empty() {
            write!(f, ": {}", quote(self.diagnostic.as_bytes()))?;
        }
        Ok(())
    }
}

/// RFC 4511 section 4.1.9's names of the result codes a StartTLS answer may carry.
fn result_name(code: u32) -> Option<&'static str> {
    Some(match code {
        0 => "success",
        1 => "operationsError",
        2 => "protocolError",
        7 => "authMethodNotSupported",
        8 => "strongerAuthRequired",
        12 => "unavailableCriticalExtension",
        13 => "confidentialityRequired",
        50 => "insufficientAccessRights",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        80 => "other",
        _ => return None,
    })
}

/// One BER element: its tag and contents, and what follows it.
fn element(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 {
            return None;
        }
        let (len, rest) = (rest.get(..n)?, rest.get(n..)?);
        (
            len.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b)),
            rest,
        )
    };
    Some((tag, rest.get(..len)?, rest.get(len..)?))
}

/// The ExtendedResponse of an LDAPMessage's body: messageID INTEGER, then [APPLICATION 24]
/// holding resultCode ENUMERATED, matchedDN and diagnosticMessage OCTET STRINGs.
fn ldap_result(body: &[u8]) -> Option<LdapResult> {
    let (tag, id, rest) = element(body)?;
    if tag != 0x02 || id.is_empty() || id.len() > 4 {
        return None;
    }
    let message_id = id.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
    let (op, response, _) = element(rest)?;
    if op != 0x78 {
        return None;
    }
    let (tag, code, rest) = element(response)?;
    if tag != 0x0a || code.is_empty() || code.len() > 4 {
        return None;
    }
    let code = code.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
    let diagnostic = element(rest)
        .and_then(|(_, _, rest)| element(rest))
        .filter(|(tag, _, _)| *tag == 0x04)
        .map(|(_, text, _)| String::from_utf8_lossy(text).into_owned())
        .unwrap_or_default();
    Some(LdapResult {
        message_id,
        code,
        diagnostic,
    })
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
    fn reads_the_result_code_and_diagnostic_message() {
        let ok = ldap_result(&[
            0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
        ])
        .expect("parsed");
        assert_eq!((ok.message_id, ok.code, ok.diagnostic.as_str()), (1, 0, ""));
        let mut refused = vec![
            0x02, 0x01, 0x01, 0x78, 0x81, 0x23, 0x0a, 0x01, 0x02, 0x04, 0x00, 0x04, 0x1c,
        ];
        refused.extend_from_slice(b"unsupported extended operati");
        let r = ldap_result(&refused).expect("parsed");
        assert_eq!(r.code, 2);
        assert_eq!(r.diagnostic, "unsupported extended operati");
        assert_eq!(
            r.to_string(),
            "ExtendedResponse, result code 2 (protocolError): \"unsupported extended operati\""
        );
        assert_eq!(ldap_result(&[0x02, 0x05]), None);
        assert_eq!(ldap_result(&[]), None);
        // Cut anywhere: never a panic.
        for n in 0..refused.len() {
            let _ = ldap_result(&refused[..n]);
        }
    }
}
