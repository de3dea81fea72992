//! Which protocol a server's first bytes belong to: for the hint of a preamble that met another
//! protocol, and of a TLS handshake that met a plaintext service. Pure.

use super::Protocol;

/// The protocol whose greeting (or answer to a stray ClientHello) `bytes` begin with, if it
/// is one tlsprobe can upgrade.
pub fn greeting(bytes: &[u8]) -> Option<Protocol> {
    if is_mysql_packet(bytes) {
        return Some(Protocol::Mysql);
    }
    if is_postgres_error(bytes) {
        return Some(Protocol::Postgres);
    }
    if is_ldap_message(bytes) {
        return Some(Protocol::Ldap);
    }
    let text = String::from_utf8_lossy(bytes);
    let first = text.trim_start().lines().next().unwrap_or("").trim_end();
    let upper = first.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("220") {
        // SMTP, LMTP and FTP all greet with 220; only the words after it may tell them apart.
        return if rest.contains("LMTP") {
            Some(Protocol::Lmtp)
        } else if ["SMTP", "POSTFIX", "EXIM", "SENDMAIL"]
            .iter()
            .any(|w| rest.contains(w))
        {
            Some(Protocol::Smtp)
        } else if rest.contains("FTP") {
            Some(Protocol::Ftp)
        } else {
            None
        };
    }
    if upper.starts_with("+OK") {
        return Some(Protocol::Pop3);
    }
    if upper.starts_with("* OK") || upper.starts_with("* PREAUTH") || upper.starts_with("* BYE") {
        return Some(Protocol::Imap);
    }
    if upper.starts_with("\"IMPLEMENTATION\"") || upper.starts_with("\"SIEVE\"") {
        return Some(Protocol::Sieve);
    }
    if upper.starts_with("<?XML") || upper.starts_with("<STREAM") {
        return Some(if upper.contains("JABBER:SERVER") {
            Protocol::XmppServer
        } else {
            Protocol::Xmpp
        });
    }
    None
}

/// A MySQL packet header (3-byte length, sequence 0) holding an Initial Handshake v10 or an
/// ERR packet.
fn is_mysql_packet(bytes: &[u8]) -> bool {
    match bytes {
        [l0, l1, l2, 0, kind, ..] => {
            let len = usize::from(*l0) | usize::from(*l1) << 8 | usize::from(*l2) << 16;
            (*kind == 10 || *kind == 0xff) && (8..=16 * 1024).contains(&len)
        }
        _ => false,
    }
}

/// A PostgreSQL ErrorResponse: 'E', a 4-byte length, then fields starting with severity 'S'.
fn is_postgres_error(bytes: &[u8]) -> bool {
    match bytes {
        [b'E', a, b, c, d, b'S', ..] => {
            let len = u32::from_be_bytes([*a, *b, *c, *d]);
            (8..=64 * 1024).contains(&len)
        }
        _ => false,
    }
}

/// An LDAPMessage (a SEQUENCE, then messageID) holding an ExtendedResponse: what an LDAP server
/// says to a message it cannot read (a Notice of Disconnection, RFC 4511 section 4.4.1).
fn is_ldap_message(bytes: &[u8]) -> bool {
    let body = match bytes {
        [0x30, len, rest @ ..] if *len < 0x80 => rest,
        [0x30, 0x81, _, rest @ ..] => rest,
        [0x30, 0x82, _, _, rest @ ..] => rest,
        _ => return false,
    };
    matches!(body, [0x02, 1..=4, ..])
        && body
            .get(2 + usize::from(body[1])..)
            .is_some_and(|op| op.first() == Some(&0x78))
}

/// A greeting that SMTP, LMTP and FTP servers all send (`220 ...`) and that names none of them.
pub fn ambiguous_220(bytes: &[u8]) -> bool {
    bytes.starts_with(b"220") && greeting(bytes).is_none()
}

/// Whether the server speaks first in `protocol` (a greeting), so that silence means something.
pub(super) fn speaks_first(protocol: Protocol) -> bool {
    !matches!(
        protocol,
        Protocol::Ldap | Protocol::Postgres | Protocol::Xmpp | Protocol::XmppServer
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_greetings() {
        let cases: [(&[u8], Option<Protocol>); 14] = [
            (b"220 vm Dovecot (Debian) ready.\r\n", None),
            (
                b"E\x00\x00\x00\x50SFATAL\x00VFATAL\x00C08P01\x00",
                Some(Protocol::Postgres),
            ),
            (
                b"\x30\x0c\x02\x01\x00\x78\x07\x0a\x01\x02\x04\x00\x04\x00",
                Some(Protocol::Ldap),
            ),
            (
                b"220 mx.example ESMTP Postfix (Debian/GNU)\r\n",
                Some(Protocol::Smtp),
            ),
            (
                b"220 host Dovecot (Debian) LMTP ready\r\n",
                Some(Protocol::Lmtp),
            ),
            (b"220 (vsFTPd 3.0.3)\r\n", Some(Protocol::Ftp)),
            (b"+OK Dovecot (Debian) ready.\r\n", Some(Protocol::Pop3)),
            (
                b"* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n",
                Some(Protocol::Imap),
            ),
            (
                b"\"IMPLEMENTATION\" \"Dovecot Pigeonhole\"\r\n",
                Some(Protocol::Sieve),
            ),
            (
                b"<?xml version='1.0'?><stream:stream xmlns='jabber:client'>",
                Some(Protocol::Xmpp),
            ),
            (
                b"<?xml version='1.0'?><stream:stream xmlns='jabber:server'>",
                Some(Protocol::XmppServer),
            ),
            (
                b"\x5b\x00\x00\x00\x0a10.11.6-MariaDB\x00",
                Some(Protocol::Mysql),
            ),
            (b"HTTP/1.1 400 Bad Request\r\n", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                greeting(bytes),
                want,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
