//! Name what a server that does not speak TLS on this port speaks instead.

use crate::net::starttls::{self, Protocol};

/// What the peer's first bytes show: a one-line description and a hint.
pub fn identify(bytes: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(bytes);
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let quoted = crate::verify::quote::quoted(first_line);
    let upper = first_line.to_ascii_uppercase();
    if upper.starts_with("HTTP/") {
        return (
            format!("the server answered in plain HTTP: {quoted}"),
            "this port serves HTTP without TLS; HTTPS is usually on port 443".into(),
        );
    }
    if upper.starts_with("SSH-") {
        return (
            format!("this is an SSH server: {quoted}"),
            "SSH is not TLS; check the port".into(),
        );
    }
    if let Some(protocol) = starttls::greeting(bytes) {
        let shown = if is_text(bytes) { quoted } else { hex(bytes) };
        return (
            format!("this is {} server: {shown}", protocol.with_article()),
            advice(protocol),
        );
    }
    if starttls::ambiguous_220(bytes) {
        return (
            format!("the server greets with 220, as SMTP, LMTP and FTP servers do: {quoted}"),
            "it starts in plaintext: use --starttls smtp, lmtp or ftp, whichever it serves (or implicit TLS: SMTP on port 465, FTPS on 990)".into(),
        );
    }
    if is_text(bytes) {
        (
            format!("the server answered in plaintext: {quoted}"),
            "this port does not speak TLS first; check the port, or whether the protocol needs --starttls".into(),
        )
    } else {
        (
            format!(
                "the server answered with bytes that are not TLS: {}",
                hex(bytes)
            ),
            "this port does not speak TLS; check the port and the service behind it".into(),
        )
    }
}

/// How to reach TLS on a server of `protocol`.
pub fn advice(protocol: Protocol) -> String {
    let how = match protocol {
        Protocol::Smtp => return "SMTP starts in plaintext and switches to TLS with STARTTLS: use --starttls smtp (port 587 or 25), or implicit TLS on port 465".into(),
        Protocol::Ftp => return "FTP starts in plaintext and switches to TLS with AUTH TLS: use --starttls ftp, or implicit FTPS on port 990".into(),
        Protocol::Pop3 => return "POP3 starts in plaintext and switches to TLS with STLS: use --starttls pop3, or implicit TLS on port 995".into(),
        Protocol::Imap => return "IMAP starts in plaintext and switches to TLS with STARTTLS: use --starttls imap, or implicit TLS on port 993".into(),
        Protocol::Xmpp => return "XMPP switches to TLS with STARTTLS inside the stream: use --starttls xmpp, or implicit TLS on port 5223".into(),
        Protocol::XmppServer => "switches to TLS with STARTTLS inside the stream",
        Protocol::Lmtp | Protocol::Sieve => "starts in plaintext and switches to TLS with STARTTLS",
        Protocol::Ldap => "switches to TLS with the StartTLS extended operation (LDAPS is on port 636)",
        Protocol::Postgres => "switches to TLS after its own SSLRequest",
        Protocol::Mysql => "switches to TLS inside its own handshake",
    };
    format!(
        "{} {how}: use --starttls {}",
        protocol.name(),
        protocol.option()
    )
}

fn is_text(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_graphic() || matches!(b, b' ' | b'\r' | b'\n' | b'\t'))
}

fn hex(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let more = if bytes.len() > 16 { " ..." } else { "" };
    format!("{}{more}", shown.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_plaintext_services() {
        let cases: [(&[u8], &str, &str); 12] = [
            (
                b"220 vm Dovecot (Debian) ready.\r\n",
                "greets with 220",
                "smtp, lmtp or ftp",
            ),
            (
                b"HTTP/1.1 400 Bad Request\r\nServer: x\r\n",
                "plain HTTP: \"HTTP/1.1 400 Bad Request\"",
                "443",
            ),
            (b"SSH-2.0-OpenSSH_9.2p1\r\n", "SSH", "SSH"),
            (
                b"220 mail.example.com ESMTP Postfix\r\n",
                "an SMTP server",
                "--starttls smtp",
            ),
            (b"220 (vsFTPd 3.0.3)\r\n", "an FTP server", "--starttls ftp"),
            (
                b"+OK Dovecot ready.\r\n",
                "a POP3 server",
                "--starttls pop3",
            ),
            (
                b"* OK [CAPABILITY IMAP4rev1] ready\r\n",
                "an IMAP server",
                "--starttls imap",
            ),
            (
                b"\"IMPLEMENTATION\" \"Dovecot Pigeonhole\"\r\n",
                "a ManageSieve server",
                "--starttls sieve",
            ),
            (
                b"\x5b\x00\x00\x00\x0a10.11.6-MariaDB\x00",
                "a MySQL server",
                "--starttls mysql",
            ),
            (
                b"it isn't TLS\n",
                "plaintext: \"it isn't TLS\"",
                "--starttls",
            ),
            (&[0x00, 0x01, 0xfe, 0xff], "00 01 fe ff", "check the port"),
            (
                b"\x30\x0c\x02\x01\x00\x78\x07\x0a\x01\x02\x04\x00\x04\x00",
                "an LDAP server: 30 0c",
                "--starttls ldap",
            ),
        ];
        for (bytes, want, hint_has) in cases {
            let (what, hint) = identify(bytes);
            assert!(what.contains(want), "{what}");
            assert!(hint.contains(hint_has), "{hint}");
            assert!(!what.contains('\n'));
        }
        let (what, _) = identify(b"\x1b[31mred\r\n");
        assert!(!what.contains('\u{1b}'), "escaped: {what}");
    }
}
