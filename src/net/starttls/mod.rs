//! STARTTLS: the plaintext preamble each protocol speaks before the TLS handshake begins on the
//! same connection. Each exchange is bounded by the probe's deadline and recorded line by line;
//! a server that does not offer STARTTLS, or answers unexpectedly, is quoted in the error, with
//! a hint that says whether TLS is off, the port speaks another protocol, or TLS at once.

mod binary;
mod io;
mod lines;
mod mysql;
mod recognise;
mod xmpp;

use std::net::TcpStream;

use serde::Serialize;

use crate::deadline::Deadline;
use crate::record::Chunk;
use crate::report::{ErrorKind, Starttls};

use super::NetError;
pub use recognise::{ambiguous_220, greeting};

/// The protocols tlsprobe can upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    Smtp,
    Lmtp,
    Imap,
    Pop3,
    Sieve,
    Ftp,
    Xmpp,
    XmppServer,
    Ldap,
    Postgres,
    Mysql,
}

impl Protocol {
    /// The port the protocol's STARTTLS is usually on.
    pub fn default_port(self) -> u16 {
        match self {
            Protocol::Smtp => 587,
            Protocol::Lmtp => 24,
            Protocol::Imap => 143,
            Protocol::Pop3 => 110,
            Protocol::Sieve => 4190,
            Protocol::Ftp => 21,
            Protocol::Xmpp => 5222,
            Protocol::XmppServer => 5269,
            Protocol::Ldap => 389,
            Protocol::Postgres => 5432,
            Protocol::Mysql => 3306,
        }
    }

    /// The port of the same service with TLS from the first byte, where there is one.
    pub fn implicit_tls_port(self) -> Option<u16> {
        match self {
            Protocol::Smtp => Some(465),
            Protocol::Imap => Some(993),
            Protocol::Pop3 => Some(995),
            Protocol::Ftp => Some(990),
            Protocol::Xmpp => Some(5223),
            Protocol::Ldap => Some(636),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Lmtp => "LMTP",
            Protocol::Imap => "IMAP",
            Protocol::Pop3 => "POP3",
            Protocol::Sieve => "ManageSieve",
            Protocol::Ftp => "FTP",
            Protocol::Xmpp => "XMPP",
            Protocol::XmppServer => "XMPP (server to server)",
            Protocol::Ldap => "LDAP",
            Protocol::Postgres => "PostgreSQL",
            Protocol::Mysql => "MySQL",
        }
    }

    /// The value of `--starttls` that selects it.
    pub fn option(self) -> &'static str {
        match self {
            Protocol::Smtp => "smtp",
            Protocol::Lmtp => "lmtp",
            Protocol::Imap => "imap",
            Protocol::Pop3 => "pop3",
            Protocol::Sieve => "sieve",
            Protocol::Ftp => "ftp",
            Protocol::Xmpp => "xmpp",
            Protocol::XmppServer => "xmpp-server",
            Protocol::Ldap => "ldap",
            Protocol::Postgres => "postgres",
            Protocol::Mysql => "mysql",
        }
    }

    /// "an SMTP", "a PostgreSQL": the name with its article, as it is read aloud.
    pub fn with_article(self) -> String {
        let an = matches!(
            self,
            Protocol::Smtp
                | Protocol::Lmtp
                | Protocol::Imap
                | Protocol::Ftp
                | Protocol::Xmpp
                | Protocol::XmppServer
                | Protocol::Ldap
        );
        format!("{} {}", if an { "an" } else { "a" }, self.name())
    }

    /// Whether the client names itself or the server in the preamble (EHLO/LHLO, XMPP `to`).
    pub fn sends_name(self) -> bool {
        matches!(
            self,
            Protocol::Smtp | Protocol::Lmtp | Protocol::Xmpp | Protocol::XmppServer
        )
    }

    /// Where TLS is switched on, in the configuration of a common server for it.
    fn enable_tls(self) -> &'static str {
        match self {
            Protocol::Smtp => "Postfix: smtpd_tls_security_level = may, with smtpd_tls_cert_file and smtpd_tls_key_file",
            Protocol::Lmtp | Protocol::Imap | Protocol::Pop3 | Protocol::Sieve => {
                "Dovecot: ssl = yes, with ssl_cert and ssl_key"
            }
            Protocol::Ftp => "vsftpd: ssl_enable=YES, with rsa_cert_file and rsa_private_key_file",
            Protocol::Xmpp | Protocol::XmppServer => {
                "Prosody: a certificate and key for the host (certificates = \"DIR\")"
            }
            Protocol::Ldap => "OpenLDAP: TLSCertificateFile and TLSCertificateKeyFile",
            Protocol::Postgres => "PostgreSQL: ssl = on, with ssl_cert_file and ssl_key_file",
            Protocol::Mysql => "MariaDB/MySQL: ssl_cert and ssl_key",
        }
    }
}

/// Why a preamble failed, in one line, and what that says about the server.
#[derive(Debug)]
pub(super) struct Refused {
    message: String,
    cause: Cause,
    /// The server answered our command with "unknown command" (SMTP/FTP 500, 502).
    unknown_command: bool,
}

/// What a failed preamble says about the server, for the hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// An answer we did not expect; nothing more is known.
    Unexpected,
    /// The server speaks the protocol but has TLS off for it.
    TlsOff,
    /// The server closed or reset the connection.
    Closed,
    /// No answer within the timeout.
    Timeout,
    /// The server does not serve the name we gave (XMPP's host-unknown).
    UnknownName,
    /// The server answered in the protocol's own terms, refusing (an LDAP result code, a
    /// PostgreSQL error).
    Answered,
}

impl Refused {
    fn new(message: String) -> Refused {
        Refused {
            message,
            cause: Cause::Unexpected,
            unknown_command: false,
        }
    }

    fn because(self, cause: Cause) -> Refused {
        Refused { cause, ..self }
    }
}

/// Speak `protocol`'s preamble on `stream` until the server is ready for a ClientHello.
/// `name` is the name the client gives (EHLO/LHLO, XMPP's `to`). The record of the exchange
/// comes back whatever happened, and its raw bytes for a capture.
pub fn upgrade(
    stream: &mut TcpStream,
    protocol: Protocol,
    name: &str,
    deadline: Deadline,
) -> (Result<(), NetError>, Starttls, Vec<Chunk>) {
    let mut wire = io::Wire::new(stream, deadline);
    let result = match protocol {
        Protocol::Smtp => lines::smtp(&mut wire, "EHLO", &hello_name(name)),
        Protocol::Lmtp => lines::smtp(&mut wire, "LHLO", &hello_name(name)),
        Protocol::Imap => lines::imap(&mut wire),
        Protocol::Pop3 => lines::pop3(&mut wire),
        Protocol::Sieve => lines::sieve(&mut wire),
        Protocol::Ftp => lines::ftp(&mut wire),
        Protocol::Xmpp => xmpp::xmpp(&mut wire, name, false),
        Protocol::XmppServer => xmpp::xmpp(&mut wire, name, true),
        Protocol::Ldap => binary::ldap(&mut wire),
        Protocol::Postgres => binary::postgres(&mut wire),
        Protocol::Mysql => mysql::mysql(&mut wire),
    };
    let result = result.map_err(|refused| explain(protocol, name, refused, &wire.heard));
    let record = Starttls {
        protocol,
        name: protocol.sends_name().then(|| name.to_string()),
        exchange: std::mem::take(&mut wire.log),
        truncated: wire.truncated,
    };
    (result, record, wire.raw)
}

/// Whether the server on `stream` speaks `protocol`'s preamble: it accepts it, or answers it
/// in the protocol's own terms (TLS off is still an answer).
pub fn speaks(stream: &mut TcpStream, protocol: Protocol, deadline: Deadline) -> bool {
    let mut wire = io::Wire::new(stream, deadline);
    let result = match protocol {
        Protocol::Ldap => binary::ldap(&mut wire),
        Protocol::Postgres => binary::postgres(&mut wire),
        _ => return false,
    };
    match result {
        Ok(()) => true,
        Err(refused) => refused.cause == Cause::TlsOff || refused.cause == Cause::Answered,
    }
}

/// The EHLO/LHLO argument: a domain name as it is, an IP address as an address literal
/// (RFC 5321 section 4.1.3).
pub fn hello_name(name: &str) -> String {
    match name.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => format!("[{ip}]"),
        Ok(std::net::IpAddr::V6(ip)) => format!("[IPv6:{ip}]"),
        Err(_) => name.to_string(),
    }
}

/// The error for a failed preamble: the message, and a hint from what the server's bytes show.
fn explain(protocol: Protocol, name: &str, refused: Refused, heard: &[u8]) -> NetError {
    let usual = format!(
        "check that this port speaks {} with STARTTLS (its usual port is {})",
        protocol.name(),
        protocol.default_port()
    );
    let implicit = match protocol.implicit_tls_port() {
        Some(port) => format!("implicit TLS, as on port {port}"),
        None => "implicit TLS".to_string(),
    };
    let mut message = refused.message;
    let another = greeting(heard).filter(|p| *p != protocol && !same_family(*p, protocol));
    let said = quote(heard.split(|&b| b == b'\n').next().unwrap_or_default());
    let greets_220 = matches!(protocol, Protocol::Smtp | Protocol::Lmtp | Protocol::Ftp);
    let hint = if looks_like_tls(heard) {
        message = format!("the server answered with TLS, not {}", protocol.name());
        format!("this port speaks TLS from the first byte ({implicit}): drop --starttls")
    } else if let Some(other) = another {
        message = format!(
            "this is {} server, not {}: it said {said}",
            other.with_article(),
            protocol.name(),
        );
        format!(
            "use --starttls {} for this port (or the port of the {} service)",
            other.option(),
            protocol.name()
        )
    } else if ambiguous_220(heard) && !greets_220 {
        message = format!(
            "the server greets with 220, as SMTP, LMTP and FTP servers do, not as {} does: it said {said}",
            protocol.name()
        );
        "use --starttls smtp, lmtp or ftp, whichever this port serves".into()
    } else if greets_220 && refused.unknown_command {
        message = format!("{message} (the server does not know our command)");
        let others: Vec<&str> = [Protocol::Smtp, Protocol::Lmtp, Protocol::Ftp]
            .into_iter()
            .filter(|p| *p != protocol)
            .map(Protocol::option)
            .collect();
        format!(
            "the server greets with 220 but is not {}: use --starttls {} or {}, whichever this port serves",
            protocol.name(),
            others[0],
            others[1]
        )
    } else {
        match refused.cause {
            Cause::TlsOff => format!(
                "the server has TLS turned off for {}: turn it on in its configuration (e.g. {})",
                protocol.name(),
                protocol.enable_tls()
            ),
            Cause::UnknownName => format!(
                "the server does not serve the domain {name}: give the one it serves with --starttls-name (by default the server name)"
            ),
            Cause::Timeout if heard.is_empty() && recognise::speaks_first(protocol) => format!(
                "the server sent no greeting; if this port speaks TLS at once ({implicit}), drop --starttls, otherwise {usual}"
            ),
            _ => format!("{usual}, or drop --starttls for {implicit}"),
        }
    };
    NetError {
        kind: ErrorKind::Starttls,
        message: format!("{} STARTTLS failed: {message}", protocol.name()),
        hint: Some(hint),
    }
}

/// Protocols whose greetings cannot be told apart, so that one is never called the other.
fn same_family(a: Protocol, b: Protocol) -> bool {
    let mail = |p| matches!(p, Protocol::Smtp | Protocol::Lmtp);
    let xmpp = |p| matches!(p, Protocol::Xmpp | Protocol::XmppServer);
    (mail(a) && mail(b)) || (xmpp(a) && xmpp(b))
}

/// A TLS record header: handshake or alert, major version 3.
fn looks_like_tls(bytes: &[u8]) -> bool {
    matches!(bytes, [0x15 | 0x16, 0x03, minor, ..] if *minor <= 0x04)
}

/// Quote a server's reply for a message: one line, in double quotes, what is not printable
/// escaped, bounded.
pub fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line: String = text.trim_end().chars().take(200).collect();
    crate::verify::quote::quoted(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_protocol_has_its_own_option_and_port() {
        use clap::ValueEnum;
        for p in Protocol::value_variants() {
            let value = p.to_possible_value().expect("a value");
            assert_eq!(value.get_name(), p.option());
            assert_eq!(
                serde_json::to_value(p).expect("json"),
                serde_json::Value::String(p.option().into())
            );
            assert!(p.default_port() > 0);
        }
    }

    #[test]
    fn hints_follow_what_the_server_said() {
        let refused = || Refused::new("unexpected reply".into());
        let e = explain(Protocol::Imap, "h", refused(), b"220 vm Dovecot ready.\r\n");
        assert!(e.message.contains("greets with 220"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap().contains("smtp, lmtp or ftp"));
        let e = explain(
            Protocol::Smtp,
            "h",
            Refused {
                unknown_command: true,
                ..refused()
            },
            b"220 vm Dovecot ready.\r\n500 5.5.1 Unknown command\r\n",
        );
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("--starttls lmtp or ftp"),
            "{:?}",
            e.hint
        );
        let e = explain(Protocol::Imap, "h", refused(), b"220 mx ESMTP Postfix\r\n");
        assert!(
            e.message.contains("an SMTP server, not IMAP"),
            "{}",
            e.message
        );
        assert!(e.hint.as_deref().unwrap().contains("--starttls smtp"));
        let e = explain(
            Protocol::Smtp,
            "h",
            refused(),
            b"\x15\x03\x03\x00\x02\x02\x32",
        );
        assert!(e.hint.as_deref().unwrap().contains("drop --starttls"));
        let e = explain(
            Protocol::Postgres,
            "h",
            refused().because(Cause::TlsOff),
            b"N",
        );
        assert!(
            e.hint.as_deref().unwrap().contains("ssl = on"),
            "{:?}",
            e.hint
        );
        assert!(!e.hint.as_deref().unwrap().contains("drop --starttls"));
        let e = explain(
            Protocol::Smtp,
            "h",
            refused(),
            b"220 lmtp.example LMTP ready\r\n",
        );
        assert!(!e.message.contains("not SMTP"), "{}", e.message);
        let e = explain(Protocol::Smtp, "h", io::timed_out(), b"");
        assert!(e.hint.as_deref().unwrap().contains("no greeting"));
        assert!(e.hint.as_deref().unwrap().contains("465"));
    }

    #[test]
    fn quotes_keep_apostrophes_and_escape_control_characters() {
        assert_eq!(quote(b"it isn't\x1b[31m\r\n"), "\"it isn't\\u{1b}[31m\"");
    }

    #[test]
    fn addresses_are_literals_in_hello() {
        assert_eq!(hello_name("127.0.0.1"), "[127.0.0.1]");
        assert_eq!(hello_name("::1"), "[IPv6:::1]");
        assert_eq!(hello_name("mail.example"), "mail.example");
    }
}
