//! Name what a server that does not speak TLS on this port speaks instead.

/// What the peer's first bytes show: a one-line description and a hint.
pub fn identify(bytes: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(bytes);
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let quoted = format!("\"{}\"", first_line.escape_default());
    let upper = first_line.to_ascii_uppercase();
    let (what, hint) = if upper.starts_with("HTTP/") {
        (
            format!("the server answered in plain HTTP: {quoted}"),
            "this port serves HTTP without TLS; HTTPS is usually on port 443",
        )
    } else if upper.starts_with("SSH-") {
        (
            format!("this is an SSH server: {quoted}"),
            "SSH is not TLS; check the port",
        )
    } else if upper.starts_with("220") && (upper.contains("SMTP") || upper.contains("MAIL")) {
        (
            format!("this is an SMTP server: {quoted}"),
            "SMTP starts in plaintext and switches to TLS with STARTTLS: use --starttls smtp (port 587 or 25), or implicit TLS on port 465",
        )
    } else if upper.starts_with("220") {
        (
            format!("this looks like an FTP server: {quoted}"),
            "FTP starts in plaintext and switches to TLS with AUTH TLS: use --starttls ftp, or implicit FTPS on port 990",
        )
    } else if upper.starts_with("+OK") {
        (
            format!("this is a POP3 server: {quoted}"),
            "POP3 starts in plaintext and switches to TLS with STLS: use --starttls pop3, or implicit TLS on port 995",
        )
    } else if upper.starts_with("* OK") || upper.starts_with("* PREAUTH") {
        (
            format!("this is an IMAP server: {quoted}"),
            "IMAP starts in plaintext and switches to TLS with STARTTLS: use --starttls imap, or implicit TLS on port 993",
        )
    } else if upper.starts_with("<?XML") || upper.starts_with("<STREAM") {
        (
            format!("this looks like an XMPP server: {quoted}"),
            "XMPP switches to TLS with STARTTLS inside the stream: use --starttls xmpp, or implicit TLS on port 5223",
        )
    } else if is_text(bytes) {
        (
            format!("the server answered in plaintext: {quoted}"),
            "this port does not speak TLS first; check the port, or whether the protocol needs --starttls",
        )
    } else {
        (
            format!(
                "the server answered with bytes that are not TLS: {}",
                hex(bytes)
            ),
            "this port does not speak TLS; check the port and the service behind it",
        )
    };
    (what, hint.to_string())
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
        let cases: [(&[u8], &str); 8] = [
            (
                b"HTTP/1.1 400 Bad Request\r\nServer: x\r\n",
                "plain HTTP: \"HTTP/1.1 400 Bad Request\"",
            ),
            (b"SSH-2.0-OpenSSH_9.2p1\r\n", "SSH"),
            (b"220 mail.example.com ESMTP Postfix\r\n", "SMTP"),
            (b"220 (vsFTPd 3.0.3)\r\n", "FTP"),
            (b"+OK Dovecot ready.\r\n", "POP3"),
            (b"* OK [CAPABILITY IMAP4rev1] ready\r\n", "IMAP"),
            (b"hello there\n", "plaintext: \"hello there\""),
            (&[0x00, 0x01, 0xfe, 0xff], "00 01 fe ff"),
        ];
        for (bytes, want) in cases {
            let (what, hint) = identify(bytes);
            assert!(what.contains(want), "{what}");
            assert!(!hint.is_empty());
            assert!(!what.contains('\n'));
        }
        let (what, _) = identify(b"\x1b[31mred\r\n");
        assert!(!what.contains('\u{1b}'), "escaped: {what}");
    }
}
