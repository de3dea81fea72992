//! The TLS session over a reached connection: handshake, the chain judged, the optional
//! exchange, the polite close, and the transcript, into the report.

use std::net::SocketAddr;
use std::sync::PoisonError;
use std::time::{Instant, SystemTime};

use rustls::pki_types::ServerName;
use rustls::ClientConnection;

use super::route::Reached;
use super::{exchange, ms, ProbeSettings};
use crate::deadline::Deadline;
use crate::decrypt::{Secrets, Tls13Decryptor};
use crate::diagnose::{self, legacy::Offered, Seen};
use crate::record::Recorder;
use crate::report::{
    ClientCertificateRequest, ErrorKind, MessageFields, OcspStaple, Phase, ProbeError, Protocol,
    RecordKind, Report, Side,
};
use crate::scan;
use crate::target::Target;
use crate::tls::{self, Captured, DriveError, ProbeConfig};
use crate::transcript::{self, Decrypt, Transcript};
use crate::verify::{self, ChainInput};
use crate::wire::code_points::{CipherSuite, HandshakeType};
use crate::wire::names;

/// The TLS session over `reached`: everything from the ClientHello to the close.
pub(super) fn run(
    reached: Reached,
    target: &Target,
    settings: &ProbeSettings,
    name: &ServerName<'static>,
    deadline: Deadline,
    report: &mut Report,
) -> Result<(), ProbeError> {
    let local = |message: String| ProbeError {
        phase: Phase::Handshake,
        kind: ErrorKind::Other,
        message,
        alert: None,
        hint: None,
    };
    let ProbeConfig {
        config,
        captured,
        secrets,
    } = tls::client_config(
        &settings.provider,
        &settings.offer,
        settings.keylog.clone(),
        settings.client_cert.as_deref(),
        settings.reconnect,
    )
    .map_err(|e| local(e.to_string()))?;
    let mut conn = ClientConnection::new(config.clone(), name.clone())
        .map_err(|e| local(format!("cannot start the handshake: {e}")))?;

    let mut io = Recorder::new(reached.stream);
    let t = Instant::now();
    let mut outcome = tls::drive_handshake(&mut conn, &mut io, deadline);
    report.timing_ms.handshake = Some(ms(t.elapsed()));

    // Judge the chain before anything is sent over the connection.
    report.protocol = protocol(
        &conn,
        &captured.lock().unwrap_or_else(PoisonError::into_inner),
    );
    let captured = std::mem::take(&mut *captured.lock().unwrap_or_else(PoisonError::into_inner));
    judge_chain(&captured, name, settings, report);

    if outcome.is_ok() {
        if let Some(exchange) = &settings.exchange {
            let trusted = report.verification.as_ref().is_some_and(|v| v.verified);
            report.application = Some(exchange::run(
                &mut conn,
                &mut io,
                exchange,
                trusted || settings.insecure,
                target,
                deadline,
            ));
        }
        outcome = tls::finish(&mut conn, &mut io, deadline);
    }
    let (_, recording) = io.into_parts();
    let mut decryptor = tls13_decryptor(&conn, &secrets.take());
    let transcript = transcript::build(
        &recording,
        decryptor.as_mut().map(|d| d as &mut dyn Decrypt),
        settings.keep_records,
    );
    if let Some(p) = report.protocol.as_mut() {
        p.client_certificate = client_certificate(&transcript);
    }

    let result = outcome.map_err(|e| {
        let mut seen = seen(&transcript, report.target.sni.as_deref(), settings);
        seen.server_bytes = recording.server.len();
        let diagnose_at = reached.direct.then_some(reached.addr);
        explain_failure(&e, seen, diagnose_at, deadline)
    });
    if result.is_ok() && settings.reconnect {
        report.reconnect = Some(super::reconnect::run(
            target,
            settings,
            &config,
            name,
            &transcript,
            deadline,
        ));
    }
    report.handshake = transcript.messages;
    result
}

/// Describe the served certificates, read the OCSP staple, and verify the chain.
fn judge_chain(
    captured: &Captured,
    name: &ServerName<'static>,
    settings: &ProbeSettings,
    report: &mut Report,
) {
    let now = SystemTime::now();
    let (described, facts): (Vec<_>, Vec<_>) = captured
        .chain
        .iter()
        .map(|der| crate::cert::examine(der, now))
        .unzip();
    report.certificates = described;
    // The status of the leaf's own SingleResponse (a staple may carry several).
    let staple = captured
        .chain
        .first()
        .and_then(|leaf| verify::ocsp::parse_for(&captured.ocsp, leaf, None));
    if let (Some(p), Some(s)) = (report.protocol.as_mut(), &staple) {
        p.ocsp_staple = Some(OcspStaple {
            status: s.status.to_string(),
            this_update: s.this_update_rfc3339(),
            next_update: s.next_update_rfc3339(),
            responder: s.responder.clone(),
        });
    }
    if !captured.chain.is_empty() {
        let identity = verify::Identity::Server(name.clone());
        report.verification = Some(verify::verify_chain(
            &ChainInput {
                chain: &captured.chain,
                described: &report.certificates,
                facts: &facts,
                identity: &identity,
                sni_sent: report.target.sni.is_some(),
                purpose: verify::Purpose::Server,
                from_server: true,
                signature: captured.signature.as_ref(),
                ocsp: staple.as_ref(),
                ocsp_der: &captured.ocsp,
                crls: &settings.crls,
                warn_days: i64::from(settings.warn_days),
                now,
            },
            &settings.roots,
            &settings.signature_algorithms,
        ));
    }
}

/// Whether the server asked for a client certificate, which CAs it named, and whether we sent
/// one.
fn client_certificate(transcript: &Transcript) -> Option<ClientCertificateRequest> {
    let request = transcript
        .messages
        .iter()
        .find(|m| m.from == Side::Server && m.kind == HandshakeType::CERTIFICATE_REQUEST)?;
    let certificate_authorities = match &request.fields {
        MessageFields::CertificateRequest(r) => r.certificate_authorities.clone(),
        _ => Vec::new(),
    };
    let sent = transcript.messages.iter().any(|m| {
        m.from == Side::Client && matches!(&m.fields, MessageFields::Certificate(c) if c.count > 0)
    });
    Some(ClientCertificateRequest {
        certificate_authorities,
        sent,
    })
}

/// How many suites per version the diagnosis of a refused ClientHello asks about.
const DIAGNOSIS_ROUNDS: usize = 4;

/// Name the failure; when the server refused our ClientHello outright, first ask it with raw
/// ClientHellos which versions and suites it does accept (within the same deadline).
fn explain_failure(
    err: &DriveError,
    mut seen: Seen,
    diagnose_at: Option<SocketAddr>,
    deadline: Deadline,
) -> ProbeError {
    if let Some(addr) = diagnose_at.filter(|_| diagnose::worth_asking(err, &seen)) {
        let sni = seen.sni.as_deref();
        let accepted = scan::accepted::enumerate(addr, sni, DIAGNOSIS_ROUNDS, deadline);
        seen.accepted = Some(accepted);
    }
    diagnose::explain(err, &seen)
}

/// Keys to open the recorded TLS 1.3 records, once the server has chosen TLS 1.3 and a suite.
fn tls13_decryptor(conn: &ClientConnection, secrets: &Secrets) -> Option<Tls13Decryptor> {
    if conn.protocol_version()? != rustls::ProtocolVersion::TLSv1_3 {
        return None;
    }
    let suite = CipherSuite(u16::from(conn.negotiated_cipher_suite()?.suite()));
    Tls13Decryptor::new(suite, secrets)
}

/// What the negotiated parameters were, once the server's choice was accepted.
pub(super) fn protocol(conn: &ClientConnection, captured: &Captured) -> Option<Protocol> {
    let version = conn.protocol_version()?;
    let suite = conn.negotiated_cipher_suite()?;
    Some(Protocol {
        version: names::version_name(u16::from(version)).into_owned(),
        cipher_suite: names::cipher_suite_name(u16::from(suite.suite())).into_owned(),
        key_exchange_group: conn
            .negotiated_key_exchange_group()
            .map(|g| names::group_name(u16::from(g.name())).into_owned()),
        signature_scheme: captured
            .signature
            .as_ref()
            .map(|s| names::signature_scheme_name(u16::from(s.scheme)).into_owned()),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        resumed: matches!(conn.handshake_kind(), Some(rustls::HandshakeKind::Resumed)),
        ocsp_staple: None,
        client_certificate: None,
    })
}

fn seen(transcript: &Transcript, sni: Option<&str>, settings: &ProbeSettings) -> Seen {
    let from = |side: Side, kind: HandshakeType| {
        transcript
            .messages
            .iter()
            .find(move |m| m.from == side && m.kind == kind)
    };
    let versions: Vec<u16> = settings
        .offer
        .versions
        .iter()
        .map(|v| u16::from(v.version))
        .collect();
    let suites = settings
        .provider
        .cipher_suites
        .iter()
        .filter(|s| versions.contains(&u16::from(s.version().version)))
        .map(|s| u16::from(s.suite()))
        .collect();
    let server_kx_signature_scheme =
        match from(Side::Server, HandshakeType::SERVER_KEY_EXCHANGE).map(|m| &m.fields) {
            Some(MessageFields::ServerKeyExchange(kx)) => kx.signature_scheme.clone(),
            _ => None,
        };
    Seen {
        last_server_message: transcript
            .messages
            .iter()
            .rev()
            .find(|m| m.from == Side::Server && m.record == RecordKind::Handshake)
            .map(|m| m.kind.to_string()),
        server_hello: from(Side::Server, HandshakeType::SERVER_HELLO).is_some(),
        server_bytes: 0,
        not_tls: transcript
            .server_not_tls
            .then(|| transcript.server_non_tls_bytes.clone()),
        certificate_request: from(Side::Server, HandshakeType::CERTIFICATE_REQUEST).map(
            |m| match &m.fields {
                MessageFields::CertificateRequest(r) => r.certificate_authorities.clone(),
                _ => Vec::new(),
            },
        ),
        sent_client_certificate: from(Side::Client, HandshakeType::CERTIFICATE)
            .is_some_and(|m| matches!(&m.fields, MessageFields::Certificate(c) if c.count > 0)),
        sni: sni.map(str::to_string),
        server_kx_signature_scheme,
        accepted: None,
        offered: Offered { versions, suites },
    }
}
