//! One probe, start to finish: resolve -> connect -> handshake over the recording transport ->
//! transcript -> certificates -> verification -> [`Report`]. Whatever happens, a `Report`.

use std::net::TcpStream;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::ServerName;
use rustls::ClientConnection;

use crate::deadline::Deadline;
use crate::decrypt::{Secrets, Tls13Decryptor};
use crate::keylog::KeyLogFile;
use crate::net::{self, NetError};
use crate::record::Recorder;
use crate::report::{self, ErrorKind, Phase, ProbeError, Protocol, Report, Status, Timing};
use crate::target::{Host, Target};
use crate::tls::{self, Captured, DriveError, Offer, ProbeConfig};
use crate::transcript::{self, Decrypt, Transcript};
use crate::verify::{self, ChainInput, Roots};
use crate::wire::names;

/// Which server name to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sni {
    /// The target's host name; nothing for an IP address.
    FromTarget,
    /// This name (`--sni`), which is also the name verified.
    Name(String),
    /// None (`--no-sni`); the certificate is still verified for the target host.
    Off,
}

/// Settings shared by every probe of a run.
pub struct ProbeSettings {
    pub provider: Arc<CryptoProvider>,
    pub roots: Roots,
    pub offer: Offer,
    pub sni: Sni,
    pub timeout: Duration,
    /// Append the handshake secrets to this file (`--keylog`, `SSLKEYLOGFILE`).
    pub keylog: Option<Arc<KeyLogFile>>,
    /// Keep each record's bytes in the report, for the text view's hex dump (`-vv`).
    pub keep_records: bool,
}

/// Probe one target. Never panics on anything the peer sends; every wait is bounded by
/// `settings.timeout`.
pub fn probe(target: &Target, settings: &ProbeSettings) -> Report {
    let started = Instant::now();
    let deadline = Deadline::after(settings.timeout);
    let (name, sni) = names_for(target, &settings.sni);
    let mut report = Report {
        schema_version: report::SCHEMA_VERSION,
        target: report::Target {
            host: target.host.to_string(),
            port: target.port,
            sni,
            address: None,
        },
        status: Status::Ok,
        error: None,
        timing_ms: Timing::default(),
        protocol: None,
        handshake: Vec::new(),
        certificates: Vec::new(),
        verification: None,
    };

    if let Err(e) = connect_and_handshake(target, settings, &name, deadline, &mut report) {
        report.status = match e.phase {
            Phase::Handshake => Status::HandshakeFailed,
            _ => Status::ConnectFailed,
        };
        report.error = Some(e);
    } else if report.verification.as_ref().is_some_and(|v| !v.verified) {
        report.status = Status::VerifyFailed;
    }
    report.timing_ms.total = ms(started.elapsed());
    report
}

/// The name to verify, and the name sent as SNI (if any).
fn names_for(target: &Target, sni: &Sni) -> (ServerName<'static>, Option<String>) {
    let host_name = || match &target.host {
        Host::Ip(ip) => ServerName::IpAddress((*ip).into()),
        // The target parser only lets through names rustls accepts; fall back to the IP form
        // of nothing rather than panic if that ever changes.
        Host::Name(n) => ServerName::try_from(n.clone()).unwrap_or(ServerName::IpAddress(
            std::net::Ipv4Addr::UNSPECIFIED.into(),
        )),
    };
    match sni {
        Sni::Name(n) => (
            ServerName::try_from(n.clone()).unwrap_or_else(|_| host_name()),
            Some(n.clone()),
        ),
        Sni::Off => (host_name(), None),
        Sni::FromTarget => match &target.host {
            Host::Name(n) => (host_name(), Some(n.clone())),
            Host::Ip(_) => (host_name(), None),
        },
    }
}

fn connect_and_handshake(
    target: &Target,
    settings: &ProbeSettings,
    name: &ServerName<'static>,
    deadline: Deadline,
    report: &mut Report,
) -> Result<(), ProbeError> {
    let addrs = match &target.host {
        Host::Ip(ip) => vec![std::net::SocketAddr::new(*ip, target.port)],
        Host::Name(n) => {
            let t = Instant::now();
            let r = net::resolve(n, target.port, deadline);
            report.timing_ms.dns = Some(ms(t.elapsed()));
            r.map_err(|e| net_error(Phase::Dns, e))?
        }
    };

    let t = Instant::now();
    let (stream, addr) =
        net::connect(&addrs, deadline).map_err(|e| net_error(Phase::Connect, e))?;
    report.timing_ms.connect = Some(ms(t.elapsed()));
    report.target.address = Some(addr.to_string());

    handshake(stream, settings, name, deadline, report)
}

fn handshake(
    stream: TcpStream,
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
    } = tls::client_config(&settings.provider, &settings.offer, settings.keylog.clone())
        .map_err(|e| local(e.to_string()))?;
    let mut conn = ClientConnection::new(config, name.clone())
        .map_err(|e| local(format!("cannot start the handshake: {e}")))?;

    let mut io = Recorder::new(stream);
    let t = Instant::now();
    let mut outcome = tls::drive_handshake(&mut conn, &mut io, deadline);
    report.timing_ms.handshake = Some(ms(t.elapsed()));
    if outcome.is_ok() {
        outcome = tls::finish(&mut conn, &mut io, deadline);
    }
    let (_, recording) = io.into_parts();
    let mut decryptor = tls13_decryptor(&conn, &secrets.take());
    let transcript = transcript::build(
        &recording,
        decryptor.as_mut().map(|d| d as &mut dyn Decrypt),
        settings.keep_records,
    );

    report.protocol = protocol(
        &conn,
        &captured.lock().unwrap_or_else(PoisonError::into_inner),
    );
    let captured = std::mem::take(&mut *captured.lock().unwrap_or_else(PoisonError::into_inner));
    let now = SystemTime::now();
    report.certificates = captured
        .chain
        .iter()
        .map(|der| crate::cert::describe(der, now))
        .collect();
    if !captured.chain.is_empty() {
        report.verification = Some(verify::verify_chain(
            &ChainInput {
                chain: &captured.chain,
                described: &report.certificates,
                name,
                signature: captured.signature.as_ref(),
                now,
            },
            &settings.roots,
            &settings.provider,
        ));
    }

    let result = outcome.map_err(|e| tls::explain(&e, &seen(&transcript, &e)));
    report.handshake = transcript.messages;
    result
}

/// Keys to open the recorded TLS 1.3 records, once the server has chosen TLS 1.3 and a suite.
fn tls13_decryptor(conn: &ClientConnection, secrets: &Secrets) -> Option<Tls13Decryptor> {
    if conn.protocol_version()? != rustls::ProtocolVersion::TLSv1_3 {
        return None;
    }
    let suite = u16::from(conn.negotiated_cipher_suite()?.suite());
    Tls13Decryptor::new(suite, secrets)
}

/// What the negotiated parameters were, once the server's choice was accepted.
fn protocol(conn: &ClientConnection, captured: &Captured) -> Option<Protocol> {
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
    })
}

fn seen(transcript: &Transcript, _err: &DriveError) -> tls::Seen {
    tls::Seen {
        last_server_message: transcript
            .messages
            .iter()
            .rev()
            .find(|m| m.from == report::Side::Server)
            .map(|m| m.kind.clone()),
        not_tls: transcript.server_not_tls.then(|| transcript.server_quote()),
    }
}

fn net_error(phase: Phase, e: NetError) -> ProbeError {
    ProbeError {
        phase,
        kind: e.kind,
        message: e.message,
        alert: None,
        hint: e.hint,
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}
