//! The line-based preambles: SMTP and LMTP, IMAP, POP3, FTP and ManageSieve.

use super::io::{closed, Wire};
use super::{quote, Cause, Refused};

/// The longest reply we read before calling it garbage.
const MAX_REPLY: usize = 16 * 1024;

/// Reads CRLF-terminated lines without reading past the last one asked for: the TLS handshake
/// follows on the same socket. Every line is logged.
pub(super) struct LineReader<'w, 'a> {
    wire: &'w mut Wire<'a>,
    read_total: usize,
}

impl<'w, 'a> LineReader<'w, 'a> {
    pub(super) fn new(wire: &'w mut Wire<'a>) -> Self {
        LineReader {
            wire,
            read_total: 0,
        }
    }

    /// One line, without its line ending.
    pub(super) fn line(&mut self) -> Result<Vec<u8>, Refused> {
        let mut line = Vec::new();
        loop {
            let byte = match self.wire.byte() {
                Ok(Some(byte)) => byte,
                Ok(None) => {
                    if line.is_empty() {
                        return Err(closed());
                    }
                    self.wire.heard_text(String::from_utf8_lossy(&line));
                    return Err(Refused::new(format!(
                        "the server closed the connection after {}",
                        quote(&line)
                    ))
                    .because(Cause::Closed));
                }
                Err(e) => {
                    if !line.is_empty() {
                        self.wire.heard_text(String::from_utf8_lossy(&line));
                    }
                    return Err(e);
                }
            };
            self.read_total += 1;
            if self.read_total > MAX_REPLY {
                return Err(Refused::new("the server's reply is too long".into()));
            }
            if byte == b'\n' {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                self.wire.heard_text(String::from_utf8_lossy(&line));
                return Ok(line);
            }
            line.push(byte);
        }
    }

    /// A numbered reply (SMTP, FTP): its lines until one whose code is followed by a space.
    pub(super) fn numbered_reply(&mut self) -> Result<Reply, Refused> {
        let mut lines = Vec::new();
        loop {
            let line = self.line()?;
            let code = line
                .get(..3)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| Refused::new(format!("unexpected reply {}", quote(&line))))?;
            let last = line.get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return Ok(Reply { code, lines });
            }
        }
    }

    /// Send a command line (CRLF added).
    pub(super) fn command(&mut self, command: &str) -> Result<(), Refused> {
        self.wire
            .send(format!("{command}\r\n").as_bytes(), command.to_string())
    }
}

/// A numbered reply: its code and every line of it.
pub(super) struct Reply {
    code: u16,
    lines: Vec<Vec<u8>>,
}

impl Reply {
    fn last(&self) -> String {
        self.lines.last().map_or_else(String::new, |l| quote(l))
    }
}

fn expect_code(reply: &Reply, want: u16, what: &str) -> Result<(), Refused> {
    if reply.code == want {
        Ok(())
    } else {
        Err(Refused {
            unknown_command: matches!(reply.code, 500 | 502),
            ..Refused::new(format!("unexpected reply to {what}: {}", reply.last()))
        })
    }
}

/// SMTP (RFC 3207) with `hello` = "EHLO", LMTP (RFC 2033) with "LHLO".
pub(super) fn smtp(wire: &mut Wire<'_>, hello: &str, name: &str) -> Result<(), Refused> {
    let mut r = LineReader::new(wire);
    let greeting = r.numbered_reply()?;
    expect_code(&greeting, 220, "the connection (greeting)")?;
    r.command(&format!("{hello} {name}"))?;
    let ehlo = r.numbered_reply()?;
    expect_code(&ehlo, 250, hello)?;
    let offers = ehlo.lines.iter().any(|l| {
        l.get(4..)
            .is_some_and(|rest| rest.eq_ignore_ascii_case(b"STARTTLS"))
    });
    if !offers {
        return Err(Refused::new(format!(
            "the server does not offer STARTTLS (it is not in the {hello} reply)"
        ))
        .because(Cause::TlsOff));
    }
    r.command("STARTTLS")?;
    let ready = r.numbered_reply()?;
    if ready.code == 454 {
        return Err(
            Refused::new(format!("the server cannot start TLS now: {}", ready.last()))
                .because(Cause::TlsOff),
        );
    }
    expect_code(&ready, 220, "STARTTLS")
}

/// FTP (RFC 4217): AUTH TLS.
pub(super) fn ftp(wire: &mut Wire<'_>) -> Result<(), Refused> {
    let mut r = LineReader::new(wire);
    let greeting = r.numbered_reply()?;
    expect_code(&greeting, 220, "the connection (greeting)")?;
    r.command("AUTH TLS")?;
    let ready = r.numbered_reply()?;
    match ready.code {
        234 => Ok(()),
        // Not understood, not implemented, not accepted, or "log in first": TLS is off.
        500 | 502 | 504 | 530 | 534 | 431 => Err(Refused::new(format!(
            "the server refused AUTH TLS: {}",
            ready.last()
        ))
        .because(Cause::TlsOff)),
        _ => expect_code(&ready, 234, "AUTH TLS"),
    }
}

/// POP3 (RFC 2595): STLS.
pub(super) fn pop3(wire: &mut Wire<'_>) -> Result<(), Refused> {
    let mut r = LineReader::new(wire);
    let greeting = r.line()?;
    if !greeting.starts_with(b"+OK") {
        return Err(Refused::new(format!(
            "unexpected greeting {}",
            quote(&greeting)
        )));
    }
    r.command("STLS")?;
    let ready = r.line()?;
    if ready.starts_with(b"+OK") {
        Ok(())
    } else if ready.starts_with(b"-ERR") {
        Err(
            Refused::new(format!("the server refused STLS: {}", quote(&ready)))
                .because(Cause::TlsOff),
        )
    } else {
        Err(Refused::new(format!(
            "unexpected reply to STLS: {}",
            quote(&ready)
        )))
    }
}

/// IMAP (RFC 3501): STARTTLS, tagged `a1`.
pub(super) fn imap(wire: &mut Wire<'_>) -> Result<(), Refused> {
    let mut r = LineReader::new(wire);
    let greeting = r.line()?;
    if !greeting.starts_with(b"* OK") {
        return Err(Refused::new(format!(
            "unexpected greeting {}",
            quote(&greeting)
        )));
    }
    r.command("a1 STARTTLS")?;
    loop {
        let line = r.line()?;
        if line.starts_with(b"a1 OK") {
            return Ok(());
        }
        if line.starts_with(b"a1 NO") || line.starts_with(b"a1 BAD") {
            return Err(
                Refused::new(format!("the server refused STARTTLS: {}", quote(&line)))
                    .because(Cause::TlsOff),
            );
        }
        if line.starts_with(b"a1 ") || line.starts_with(b"* BYE") {
            return Err(Refused::new(format!(
                "unexpected reply to STARTTLS: {}",
                quote(&line)
            )));
        }
        // Untagged lines (`* ...`) may come first.
    }
}

/// ManageSieve (RFC 5804): the capability lines up to `OK`, then STARTTLS.
pub(super) fn sieve(wire: &mut Wire<'_>) -> Result<(), Refused> {
    let mut r = LineReader::new(wire);
    let mut offers = false;
    loop {
        let line = r.line()?;
        if line.starts_with(b"OK") {
            break;
        }
        if line.starts_with(b"NO") || line.starts_with(b"BYE") {
            return Err(Refused::new(format!(
                "the server turned us away: {}",
                quote(&line)
            )));
        }
        if !line.starts_with(b"\"") {
            return Err(Refused::new(format!(
                "unexpected greeting {}",
                quote(&line)
            )));
        }
        offers |= line.eq_ignore_ascii_case(b"\"STARTTLS\"");
    }
    if !offers {
        return Err(Refused::new(
            "the server does not offer STARTTLS (it is not among its capabilities)".into(),
        )
        .because(Cause::TlsOff));
    }
    r.command("STARTTLS")?;
    let ready = r.line()?;
    if ready.starts_with(b"OK") {
        Ok(())
    } else {
        Err(Refused::new(format!(
            "the server refused STARTTLS: {}",
            quote(&ready)
        )))
    }
}
