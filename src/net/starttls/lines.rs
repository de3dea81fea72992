//! The line-based preambles: SMTP, IMAP, POP3 and FTP.

use std::net::TcpStream;

use super::io::{read_byte, send};
use super::{quote, Refused};
use crate::deadline::Deadline;

/// The longest reply we read before calling it garbage.
const MAX_REPLY: usize = 16 * 1024;

/// Reads CRLF-terminated lines without reading past the last one asked for: the TLS handshake
/// follows on the same socket.
pub(super) struct LineReader<'a> {
    stream: &'a mut TcpStream,
    deadline: Deadline,
    read_total: usize,
}

impl<'a> LineReader<'a> {
    pub(super) fn new(stream: &'a mut TcpStream, deadline: Deadline) -> Self {
        LineReader {
            stream,
            deadline,
            read_total: 0,
        }
    }

    /// One line, without its line ending. Byte by byte: preambles are short, and a byte too
    /// many would belong to the TLS handshake.
    pub(super) fn line(&mut self) -> Result<Vec<u8>, Refused> {
        let mut line = Vec::new();
        loop {
            let Some(byte) = read_byte(self.stream, self.deadline)? else {
                return Err(Refused(if line.is_empty() {
                    "the server closed the connection".into()
                } else {
                    format!("the server closed the connection after {}", quote(&line))
                }));
            };
            self.read_total += 1;
            if self.read_total > MAX_REPLY {
                return Err(Refused("the server's reply is too long".into()));
            }
            if byte == b'\n' {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            line.push(byte);
        }
    }

    /// A numbered reply (SMTP, FTP): its lines until one whose code is followed by a space.
    pub(super) fn numbered_reply(&mut self) -> Result<(u16, Vec<Vec<u8>>), Refused> {
        let mut lines = Vec::new();
        loop {
            let line = self.line()?;
            let code = line
                .get(..3)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| Refused(format!("unexpected reply {}", quote(&line))))?;
            let last = line.get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return Ok((code, lines));
            }
        }
    }

    pub(super) fn send(&mut self, command: &[u8]) -> Result<(), Refused> {
        send(self.stream, command, self.deadline)
    }
}

fn expect_code(reply: &(u16, Vec<Vec<u8>>), want: u16, what: &str) -> Result<(), Refused> {
    if reply.0 == want {
        Ok(())
    } else {
        let last = reply.1.last().map_or_else(String::new, |l| quote(l));
        Err(Refused(format!("unexpected reply to {what}: {last}")))
    }
}

pub(super) fn smtp(stream: &mut TcpStream, deadline: Deadline) -> Result<(), Refused> {
    let mut r = LineReader::new(stream, deadline);
    let greeting = r.numbered_reply()?;
    expect_code(&greeting, 220, "the connection (greeting)")?;
    r.send(b"EHLO tlsprobe.invalid\r\n")?;
    let ehlo = r.numbered_reply()?;
    expect_code(&ehlo, 250, "EHLO")?;
    let offers = ehlo.1.iter().any(|l| {
        l.get(4..)
            .is_some_and(|rest| rest.eq_ignore_ascii_case(b"STARTTLS"))
    });
    if !offers {
        return Err(Refused(
            "the server does not offer STARTTLS (it is not in the EHLO reply)".into(),
        ));
    }
    r.send(b"STARTTLS\r\n")?;
    let ready = r.numbered_reply()?;
    expect_code(&ready, 220, "STARTTLS")
}

pub(super) fn ftp(stream: &mut TcpStream, deadline: Deadline) -> Result<(), Refused> {
    let mut r = LineReader::new(stream, deadline);
    let greeting = r.numbered_reply()?;
    expect_code(&greeting, 220, "the connection (greeting)")?;
    r.send(b"AUTH TLS\r\n")?;
    let ready = r.numbered_reply()?;
    expect_code(&ready, 234, "AUTH TLS")
}

pub(super) fn pop3(stream: &mut TcpStream, deadline: Deadline) -> Result<(), Refused> {
    let mut r = LineReader::new(stream, deadline);
    let greeting = r.line()?;
    if !greeting.starts_with(b"+OK") {
        return Err(Refused(format!("unexpected greeting {}", quote(&greeting))));
    }
    r.send(b"STLS\r\n")?;
    let ready = r.line()?;
    if ready.starts_with(b"+OK") {
        Ok(())
    } else {
        Err(Refused(format!(
            "the server refused STLS: {}",
            quote(&ready)
        )))
    }
}

pub(super) fn imap(stream: &mut TcpStream, deadline: Deadline) -> Result<(), Refused> {
    let mut r = LineReader::new(stream, deadline);
    let greeting = r.line()?;
    if !greeting.starts_with(b"* OK") {
        return Err(Refused(format!("unexpected greeting {}", quote(&greeting))));
    }
    r.send(b"a1 STARTTLS\r\n")?;
    loop {
        let line = r.line()?;
        if line.starts_with(b"a1 OK") {
            return Ok(());
        }
        if line.starts_with(b"a1 ") {
            return Err(Refused(format!(
                "the server refused STARTTLS: {}",
                quote(&line)
            )));
        }
        // Untagged lines (`* ...`) may come first.
    }
}
