//! STARTTLS: the plaintext preamble each protocol speaks before the TLS handshake begins on the
//! same connection. Each exchange is bounded by the probe's deadline; a server that does not
//! offer STARTTLS, or answers unexpectedly, is quoted in the error.

mod binary;
mod io;
mod lines;
mod xmpp;

use std::net::TcpStream;

use crate::deadline::Deadline;
use crate::report::ErrorKind;

use super::NetError;

/// The protocols tlsprobe can upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Protocol {
    Smtp,
    Imap,
    Pop3,
    Ftp,
    Xmpp,
    Ldap,
    Postgres,
}

impl Protocol {
    /// The port the protocol's STARTTLS is usually on.
    pub fn default_port(self) -> u16 {
        match self {
            Protocol::Smtp => 587,
            Protocol::Imap => 143,
            Protocol::Pop3 => 110,
            Protocol::Ftp => 21,
            Protocol::Xmpp => 5222,
            Protocol::Ldap => 389,
            Protocol::Postgres => 5432,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Imap => "IMAP",
            Protocol::Pop3 => "POP3",
            Protocol::Ftp => "FTP",
            Protocol::Xmpp => "XMPP",
            Protocol::Ldap => "LDAP",
            Protocol::Postgres => "PostgreSQL",
        }
    }
}

/// Why a preamble failed, in one line.
#[derive(Debug)]
pub struct Refused(pub String);

/// Speak `protocol`'s preamble on `stream` until the server is ready for a ClientHello.
/// `host` is the name the client introduces itself to (XMPP's `to`).
pub fn upgrade(
    stream: &mut TcpStream,
    protocol: Protocol,
    host: &str,
    deadline: Deadline,
) -> Result<(), NetError> {
    let result = match protocol {
        Protocol::Smtp => lines::smtp(stream, deadline),
        Protocol::Imap => lines::imap(stream, deadline),
        Protocol::Pop3 => lines::pop3(stream, deadline),
        Protocol::Ftp => lines::ftp(stream, deadline),
        Protocol::Xmpp => xmpp::xmpp(stream, host, deadline),
        Protocol::Ldap => binary::ldap(stream, deadline),
        Protocol::Postgres => binary::postgres(stream, deadline),
    };
    result.map_err(|Refused(message)| NetError {
        kind: ErrorKind::Starttls,
        message: format!("{} STARTTLS failed: {message}", protocol.name()),
        hint: Some(format!(
            "check that this port speaks {} with STARTTLS (its usual port is {}), or drop --starttls for implicit TLS",
            protocol.name(),
            protocol.default_port()
        )),
    })
}

/// Quote a server's reply for a message: one line, control characters escaped, bounded.
pub fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line: String = text.trim_end().chars().take(120).collect();
    format!("\"{}\"", line.escape_default())
}
