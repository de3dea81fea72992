//! `--reconnect`: a second connection offering the session the first one established, to see
//! whether the server resumes it, and what a resumed handshake costs.

use std::sync::Arc;
use std::time::Instant;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, HandshakeKind};

use super::ms;
use crate::deadline::Deadline;
use crate::decrypt::SecretLog;
use crate::net::Dialer;
use crate::record::Recorder;
use crate::report::{ProtocolVersion, Reconnect, Resumption};
use crate::tls;
use crate::transcript::{self, Decrypt, Transcript};

/// The second connection's inputs: the configuration holding the first connection's session,
/// and where its secrets arrive (to open its records as the first connection's were).
pub(super) struct Again<'a> {
    pub dialer: &'a Dialer,
    pub config: &'a Arc<ClientConfig>,
    pub secrets: &'a SecretLog,
    pub name: &'a ServerName<'static>,
    pub keep_records: bool,
    /// Keep the connection for a capture (`--pcap`).
    pub capture: bool,
}

/// The second connection, for a capture: its packets and its secrets' key log.
pub(super) type Captured = (crate::capture::Conversation, Vec<u8>);

/// Connect again, offering the session the first connection (`first`) established.
pub(super) async fn run(
    again: Again<'_>,
    first: &Transcript,
    deadline: Deadline,
) -> (Reconnect, Option<Captured>) {
    let Again {
        dialer,
        config,
        secrets,
        name,
        keep_records,
        capture,
    } = again;
    let started = Instant::now();
    // What the first connection (and its --send or --http) left of the --timeout.
    let left = deadline.remaining().map_or(0.0, ms);
    let ran_out = |step: &str| {
        format!(
            "the reconnect's {step} ran out of time: the --timeout bounds the whole probe, and the first connection left it {left:.0} ms (raise --timeout)"
        )
    };
    let failed = |error: String, total_ms: f64| Reconnect {
        resumed: false,
        mechanism: None,
        version: None,
        handshake_ms: None,
        total_ms,
        error: Some(error),
        handshake: Vec::new(),
    };
    let opened = match dialer.open_recorded(deadline) {
        Ok(s) => s,
        Err(e) if e.kind == crate::report::ErrorKind::Timeout => {
            return (failed(ran_out("connect"), ms(started.elapsed())), None)
        }
        Err(e) => return (failed(e.message, ms(started.elapsed())), None),
    };
    let stream = opened.stream;
    // Driven as the first connection was: without blocking (tls::drive_handshake).
    if let Err(e) = stream.set_nonblocking(true) {
        let failure = failed(format!("the connection failed: {e}"), ms(started.elapsed()));
        return (failure, None);
    }
    let mut conn = match ClientConnection::new(config.clone(), name.clone()) {
        Ok(c) => c,
        Err(e) => return (failed(e.to_string(), 0.0), None),
    };
    let ends = (stream.local_addr(), stream.peer_addr());
    let mut io = Recorder::new(stream);
    let t = Instant::now();
    let result = tls::drive_handshake(&mut conn, &mut io, deadline).await;
    let handshake_ms = Some(ms(t.elapsed()));
    let error = match &result {
        Err(tls::DriveError::Timeout) => Some(ran_out("handshake")),
        Err(e) => Some(format!("the second handshake failed: {e}")),
        Ok(()) => {
            let _ = tls::finish(&mut conn, &mut io, deadline).await;
            None
        }
    };
    let (_, recording) = io.into_parts();
    let secrets = secrets.take();
    let captured = match (capture, ends) {
        (true, (Ok(client), Ok(server))) => {
            let wire = crate::capture::Wire {
                client,
                server,
                opened: Some(opened.opened),
                preamble: &opened.preamble,
                recording: &recording,
            };
            let conversation = crate::capture::conversation(&wire, std::time::SystemTime::now());
            Some((conversation, crate::capture::key_log(&secrets)))
        }
        _ => None,
    };
    let mut decryptor = super::session::decryptor(&conn, &secrets, &recording.server);
    let transcript = transcript::build(
        &recording,
        decryptor.as_mut().map(|d| &mut **d as &mut dyn Decrypt),
        keep_records,
    );
    let resumed = conn.handshake_kind() == Some(HandshakeKind::Resumed);
    let tls13 = conn.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
    let mechanism = resumed.then(|| {
        if tls13 || first.server_sent_ticket() {
            Resumption::Ticket
        } else {
            Resumption::SessionId
        }
    });
    let reconnect = Reconnect {
        resumed,
        mechanism,
        version: conn
            .protocol_version()
            .map(|v| ProtocolVersion(u16::from(v))),
        handshake_ms,
        total_ms: ms(started.elapsed()),
        error,
        handshake: transcript.messages,
    };
    (reconnect, captured)
}
