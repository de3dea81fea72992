//! `--reconnect`: a second connection offering the session the first one established, to see
//! whether the server resumes it, and what a resumed handshake costs.

use std::sync::Arc;
use std::time::Instant;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, HandshakeKind};

use super::{ms, route, ProbeSettings};
use crate::deadline::Deadline;
use crate::record::Recorder;
use crate::report::{Reconnect, Side, Timing};
use crate::target::Target;
use crate::tls;
use crate::transcript::Transcript;
use crate::wire::code_points::HandshakeType;
use crate::wire::names::version_name;

/// Connect again with `config`, which holds the first connection's session.
pub(super) fn run(
    target: &Target,
    settings: &ProbeSettings,
    config: &Arc<ClientConfig>,
    name: &ServerName<'static>,
    first: &Transcript,
    deadline: Deadline,
) -> Reconnect {
    let started = Instant::now();
    let mut out = Reconnect {
        resumed: false,
        mechanism: None,
        version: None,
        handshake_ms: None,
        total_ms: 0.0,
        error: None,
    };
    let mut timing = Timing::default();
    let reached = match route::reach(target, settings, deadline, &mut timing) {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(e.message);
            out.total_ms = ms(started.elapsed());
            return out;
        }
    };
    let mut conn = match ClientConnection::new(config.clone(), name.clone()) {
        Ok(c) => c,
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    let mut io = Recorder::new(reached.stream);
    let t = Instant::now();
    let result = tls::drive_handshake(&mut conn, &mut io, deadline);
    out.handshake_ms = Some(ms(t.elapsed()));
    if let Err(e) = &result {
        out.error = Some(format!("the second handshake failed: {e:?}"));
    } else {
        let _ = tls::finish(&mut conn, &mut io, deadline);
    }
    out.version = conn
        .protocol_version()
        .map(|v| version_name(u16::from(v)).into_owned());
    out.resumed = conn.handshake_kind() == Some(HandshakeKind::Resumed);
    if out.resumed {
        let tls13 = conn.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
        let had_ticket = first
            .messages
            .iter()
            .any(|m| m.from == Side::Server && m.kind == HandshakeType::NEW_SESSION_TICKET);
        out.mechanism = Some(
            if tls13 || had_ticket {
                "ticket"
            } else {
                "session_id"
            }
            .into(),
        );
    }
    out.total_ms = ms(started.elapsed());
    out
}
