//! One probe, start to finish: resolve -> connect -> handshake over the recording transport ->
//! transcript -> certificates -> verification -> [`Report`]. Whatever happens, a `Report`.

use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::ServerName;
use rustls::ClientConnection;

use crate::deadline::Deadline;
use crate::decrypt::{Secrets, Tls13Decryptor};
use crate::diagnose::{self, legacy::Offered, Seen};
use crate::keylog::KeyLogFile;
use crate::net::{self, NetError};
use crate::record::Recorder;
use crate::report::{
    self, Check, ErrorKind, MessageFields, OcspStaple, Phase, ProbeError, Protocol, RecordKind,
    Report, Side, Status, Timing,
};
use crate::scan;
use crate::target::{Host, Target};
use crate::tls::{self, Captured, ClientCert, DriveError, Offer, ProbeConfig};
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
    /// A client certificate to present when the server asks (`--cert`, `--key`).
    pub client_cert: Option<Arc<ClientCert>>,
    /// Fail the probe when a certificate expires in fewer days (`--min-days`).
    pub min_days: Option<u32>,
    /// Warn when a certificate expires in fewer days (`--warn-days`).
    pub warn_days: u32,
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
        checks: Vec::new(),
    };

    if let Err(e) = connect_and_handshake(target, settings, &name, deadline, &mut report) {
        report.status = match e.phase {
            Phase::Handshake => Status::HandshakeFailed,
            _ => Status::ConnectFailed,
        };
        report.error = Some(e);
    } else {
        if let Some(days) = settings.min_days {
            report.checks.push(min_days(&report, days));
        }
        if report.verification.as_ref().is_some_and(|v| !v.verified) {
            report.status = Status::VerifyFailed;
        } else if report.checks.iter().any(|c| !c.passed) {
            report.status = Status::ChecksFailed;
        }
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
        Host::Ip(ip) => vec![SocketAddr::new(*ip, target.port)],
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

    handshake(stream, addr, settings, name, deadline, report)
}

fn handshake(
    stream: TcpStream,
    addr: SocketAddr,
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
    )
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
    let (described, facts): (Vec<_>, Vec<_>) = captured
        .chain
        .iter()
        .map(|der| crate::cert::examine(der, now))
        .unzip();
    report.certificates = described;
    let staple = verify::ocsp::parse(&captured.ocsp);
    if let (Some(p), Some(s)) = (report.protocol.as_mut(), &staple) {
        p.ocsp_staple = Some(OcspStaple {
            status: s.status.to_string(),
            this_update: s.this_update_rfc3339(),
            next_update: s.next_update_rfc3339(),
            responder: s.responder.clone(),
        });
    }
    if !captured.chain.is_empty() {
        report.verification = Some(verify::verify_chain(
            &ChainInput {
                chain: &captured.chain,
                described: &report.certificates,
                facts: &facts,
                name,
                sni_sent: report.target.sni.is_some(),
                signature: captured.signature.as_ref(),
                ocsp: staple.as_ref(),
                warn_days: i64::from(settings.warn_days),
                now,
            },
            &settings.roots,
            &settings.provider,
        ));
    }

    let result = outcome.map_err(|e| {
        let mut seen = seen(&transcript, report.target.sni.as_deref(), settings);
        seen.server_bytes = recording.server.len();
        explain_failure(&e, seen, addr, deadline)
    });
    report.handshake = transcript.messages;
    result
}

/// `--min-days`: every served certificate on the path, roots aside, must have at least `days`
/// days left.
fn min_days(report: &Report, days: u32) -> Check {
    let on_path: Vec<usize> = report
        .verification
        .as_ref()
        .map(|v| {
            v.path
                .iter()
                .filter(|e| !e.trust_anchor)
                .filter_map(|e| e.cert_index)
                .collect()
        })
        .filter(|p: &Vec<usize>| !p.is_empty())
        .unwrap_or_else(|| vec![0]);
    let short: Vec<String> = on_path
        .iter()
        .filter_map(|&i| report.certificates.get(i).map(|c| (i, c)))
        .filter(|(_, c)| !(c.self_signed && c.is_ca))
        .filter(|(_, c)| c.days_left < i64::from(days))
        .map(|(i, c)| {
            format!(
                "certificate {i} ({}) expires in {} days, on {}",
                c.subject, c.days_left, c.not_after
            )
        })
        .collect();
    let leaf_days = report.certificates.first().map_or(0, |c| c.days_left);
    Check {
        check: "min_days".into(),
        passed: short.is_empty() && !report.certificates.is_empty(),
        message: if report.certificates.is_empty() {
            "no certificate was received".into()
        } else if short.is_empty() {
            format!("every certificate has at least {days} days left (the leaf: {leaf_days})")
        } else {
            format!("{}; --min-days is {days}", short.join("; "))
        },
    }
}

/// How many suites per version the diagnosis of a refused ClientHello asks about.
const DIAGNOSIS_ROUNDS: usize = 4;

/// Name the failure; when the server refused our ClientHello outright, first ask it with raw
/// ClientHellos which versions and suites it does accept (within the same deadline).
fn explain_failure(
    err: &DriveError,
    mut seen: Seen,
    addr: SocketAddr,
    deadline: Deadline,
) -> ProbeError {
    if diagnose::worth_asking(err, &seen) {
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

fn seen(transcript: &Transcript, sni: Option<&str>, settings: &ProbeSettings) -> Seen {
    let from = |side: Side, kind: &str| {
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
    Seen {
        last_server_message: transcript
            .messages
            .iter()
            .rev()
            .find(|m| m.from == Side::Server && m.record == RecordKind::Handshake)
            .map(|m| m.kind.clone()),
        server_hello: from(Side::Server, "ServerHello").is_some(),
        server_bytes: 0,
        not_tls: transcript
            .server_not_tls
            .then(|| transcript.server_non_tls_bytes.clone()),
        certificate_request: from(Side::Server, "CertificateRequest").map(|m| match &m.fields {
            MessageFields::CertificateRequest(r) => r.certificate_authorities.clone(),
            _ => Vec::new(),
        }),
        sent_client_certificate: from(Side::Client, "Certificate")
            .is_some_and(|m| matches!(&m.fields, MessageFields::Certificate(c) if c.count > 0)),
        sni: sni.map(str::to_string),
        accepted: None,
        offered: Offered { versions, suites },
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
