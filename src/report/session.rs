use std::collections::BTreeMap;

use serde::Serialize;

use super::{Message, ProtocolVersion, Resumption};

/// What the server asked of the client (a CertificateRequest), and whether we answered.
#[derive(Debug, Clone, Serialize)]
pub struct ClientCertificateRequest {
    /// CA names the server said it accepts; empty when it named none.
    pub certificate_authorities: Vec<String>,
    /// We presented a certificate (`--cert`).
    pub sent: bool,
}

/// `--send` / `--http`: the exchange after the handshake.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    /// False when the chain failed verification and `--insecure` was not given: nothing is
    /// sent over an untrusted connection.
    pub sent: bool,
    /// Why nothing was sent, or how the exchange ended early; null when it went as asked.
    pub note: Option<String>,
    pub sent_bytes: usize,
    pub received_bytes: usize,
    /// The first line of the answer (control characters escaped), or null.
    pub response: Option<String>,
    /// With `--http`: the parsed answer.
    pub http: Option<HttpAnswer>,
}

/// The parts of an HTTP answer tlsprobe reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpAnswer {
    pub status: u16,
    pub status_line: String,
    /// The security headers present (lowercase names): Strict-Transport-Security,
    /// Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, Referrer-Policy,
    /// Permissions-Policy.
    pub security_headers: BTreeMap<String, String>,
    /// The security headers absent.
    pub missing_security_headers: Vec<String>,
}

/// `--reconnect`: a second handshake offering the session the first one established.
#[derive(Debug, Clone, Serialize)]
pub struct Reconnect {
    pub resumed: bool,
    /// `ticket` or `session_id` when resumed, else null.
    pub mechanism: Option<Resumption>,
    pub version: Option<ProtocolVersion>,
    /// Milliseconds of the second handshake, and of the whole second connection.
    pub handshake_ms: Option<f64>,
    pub total_ms: f64,
    /// Why the second connection failed, or null.
    pub error: Option<String>,
    /// The second connection's messages, as `handshake[]` holds the first's (decrypted with
    /// its own secrets; empty when it never got as far as a ClientHello).
    pub handshake: Vec<Message>,
}
