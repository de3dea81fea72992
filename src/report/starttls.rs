//! The plaintext preamble before the TLS handshake (`--starttls`), as it was exchanged.

use serde::Serialize;

use super::Side;
use crate::net::starttls::Protocol;

/// Which protocol's preamble ran, the name the client introduced itself with, and every line
/// or message of it in both directions. Credentials are never part of a preamble: tlsprobe
/// sends none before TLS.
#[derive(Debug, Clone, Serialize)]
pub struct Starttls {
    pub protocol: Protocol,
    /// The EHLO/LHLO name or XMPP `to` sent (`--starttls-name`, by default the server name);
    /// null for protocols that send no name.
    pub name: Option<String>,
    pub exchange: Vec<PreambleLine>,
    /// True when the server said more than [`PreambleLine`]s are kept for (the rest is not
    /// listed).
    pub truncated: bool,
}

/// One line (SMTP, IMAP, POP3, FTP, ManageSieve), XML fragment (XMPP) or binary message
/// described in words (LDAP, PostgreSQL, MySQL).
#[derive(Debug, Clone, Serialize)]
pub struct PreambleLine {
    /// Milliseconds since the TCP connection was established.
    pub t_ms: f64,
    pub from: Side,
    /// The line without its line ending, as sent (invalid UTF-8 replaced); a binary message as
    /// its name and fields.
    pub text: String,
}
