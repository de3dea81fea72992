//! One probe, start to finish: resolve -> connect -> handshake over the recording transport ->
//! transcript -> certificates -> verification -> [`Report`]. Whatever happens, a `Report`.

mod cert_types;
mod checks;
mod exchange;
mod first_flight;
mod hello_again;
mod reconnect;
mod route;
mod sct_ask;
mod session;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::ServerName;

use crate::deadline::Deadline;
use crate::event_loop::Offload;
use crate::keylog::KeyLogFile;
use crate::net::starttls;
use crate::net::{Dialer, NoProxy, Proxy};
use crate::report::{self, ms, Check, ErrorKind, Phase, Report, ScanCode, Status, Timing};
use crate::target::{Host, Target};
use crate::tls::{ClientCert, Offer};
use crate::verify::Roots;
use session::Session;

/// `--connect-to`: where to connect instead of the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTo {
    pub host: Host,
    /// The target's port when none is given.
    pub port: Option<u16>,
}

/// What to send after the handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    /// `--send DATA`, escapes already decoded.
    Send(Vec<u8>),
    /// `--http`: GET / with a Host header.
    Http,
}

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
    /// The provider's certificate signature algorithms and ours for RSA-PSS issuers
    /// (`verify::pss`), made once for every chain verified.
    pub signature_algorithms: Arc<[&'static dyn rustls::pki_types::SignatureVerificationAlgorithm]>,
    pub roots: Roots,
    /// Revocation lists to check the chain against (`--crl-file`).
    pub crls: Arc<Vec<webpki::CertRevocationList<'static>>>,
    pub offer: Offer,
    pub sni: Sni,
    pub timeout: Duration,
    /// Append the handshake secrets to this file (`--keylog`, `SSLKEYLOGFILE`).
    pub keylog: Option<Arc<KeyLogFile>>,
    /// Write each probe's connection here, decryptable (`--pcap`).
    pub pcap: Option<Arc<crate::capture::PcapSink>>,
    /// Keep each record's bytes in the report, for the text view's hex dump (`-vv`).
    pub keep_records: bool,
    /// A client certificate to present when the server asks (`--cert`, `--key`).
    pub client_cert: Option<Arc<ClientCert>>,
    /// The CT logs to judge SCTs with (`--ct-log-list`).
    pub ct_logs: Option<Arc<crate::ct::LogList>>,
    /// Fail the probe unless a key on the verified path has one of these pins (`--pin`).
    pub pins: crate::pins::Pins,
    /// Fail the probe when a certificate expires in fewer days (`--min-days`).
    pub min_days: Option<u32>,
    /// Warn when a certificate expires in fewer days (`--warn-days`).
    pub warn_days: u32,
    pub starttls: Option<starttls::Protocol>,
    /// The name the preamble gives (`--starttls-name`); by default the server name.
    pub starttls_name: Option<String>,
    pub connect_to: Option<ConnectTo>,
    /// `--proxy`, or the environment's (`https_proxy`, ...).
    pub proxy: Option<Proxy>,
    /// `-4` / `-6`: connect over this address family only (to the server, or the proxy).
    pub family: Option<crate::net::Family>,
    /// `--all-addresses`: one probe for each address of the name ([`probe_each`]).
    pub all_addresses: bool,
    /// Where `proxy` was named: "option", or the environment variable's name.
    pub proxy_source: &'static str,
    /// The targets reached directly all the same (`--noproxy`, `NO_PROXY`).
    pub no_proxy: NoProxy,
    pub exchange: Option<Exchange>,
    /// Send `exchange` even over a connection whose chain failed verification.
    pub insecure: bool,
    /// Connect a second time, offering the session, and report whether it resumed.
    pub reconnect: bool,
    /// `--scan`, with how many connections it may have open at once.
    pub scan: Option<usize>,
    /// `--policy`: judged against the scan, the chain and the `--http` answer.
    pub policy: Option<Arc<crate::policy::Policy>>,
}

impl ProbeSettings {
    /// Whether probes with these settings may share a thread on an event loop: whether every
    /// step that blocks its thread either is not asked for or runs elsewhere ([`Offload`]).
    /// The proxy tunnel, the STARTTLS preamble, `--reconnect`'s second connection and `--scan`
    /// still wait by blocking (each in its own bounded loop), so with any of them each probe
    /// has a thread.
    pub fn loop_safe(&self) -> bool {
        self.proxy.is_none() && self.starttls.is_none() && !self.reconnect && self.scan.is_none()
    }

    /// The proxy to reach `target` through: none when `--noproxy`/`NO_PROXY` names its host.
    pub fn proxy_for(&self, target: &Target) -> Option<&Proxy> {
        self.proxy
            .as_ref()
            .filter(|_| !self.no_proxy.matches(&target.host.to_string()))
    }
}

/// Probe one target. Never panics on anything the peer sends; every wait is bounded by
/// `settings.timeout`. Work that blocks (a failed handshake's diagnosis) runs where `offload`
/// says; see [`ProbeSettings::loop_safe`] for what may run on an event loop.
pub async fn probe<'s>(
    target: &Target,
    settings: &'s ProbeSettings,
    offload: Offload<'_, 's>,
) -> Report {
    probe_via(target, settings, offload, Start::Resolve).await
}

/// The probes of `target`: with `--all-addresses`, one for each address its name resolves to
/// (after `-4`/`-6`), in the order resolved, one after another, each with its own `--timeout`
/// (and the lookup's time as its `timing_ms.dns`); a name that does not resolve is one report
/// that says so. Otherwise, and for a target reached through a proxy, the one [`probe`].
pub async fn probe_each<'s>(
    target: &Target,
    settings: &'s ProbeSettings,
    offload: Offload<'_, 's>,
) -> Vec<Report> {
    if !settings.all_addresses || settings.proxy_for(target).is_some() {
        return vec![probe(target, settings, offload).await];
    }
    let mut timing = Timing::default();
    let started = Instant::now();
    let deadline = Deadline::after(settings.timeout);
    let mut addrs = match route::addresses(target, settings, deadline, &mut timing).await {
        Ok(addrs) => addrs,
        Err(unreached) => {
            return vec![
                probe_via(
                    target,
                    settings,
                    offload,
                    Start::Failed(unreached, timing, started),
                )
                .await,
            ]
        }
    };
    let mut seen = std::collections::HashSet::new();
    addrs.retain(|a| seen.insert(*a));
    let mut reports = Vec::with_capacity(addrs.len());
    for addr in addrs {
        reports.push(probe_via(target, settings, offload, Start::At(addr, timing.dns)).await);
    }
    reports
}

/// How a probe begins.
enum Start {
    /// Resolve the name, then connect (Happy Eyeballs).
    Resolve,
    /// Connect to this address of the name, resolved already in this many milliseconds.
    At(std::net::SocketAddr, Option<f64>),
    /// The name did not resolve: the report says so (the lookup's time, and when it began).
    Failed(Box<route::Unreached>, Timing, Instant),
}

async fn probe_via<'s>(
    target: &Target,
    settings: &'s ProbeSettings,
    offload: Offload<'_, 's>,
    start: Start,
) -> Report {
    let mut started = Instant::now();
    let deadline = Deadline::after(settings.timeout);
    let (name, sni) = names_for(target, &settings.sni);
    let mut timing = Timing::default();
    let mut attempts = Vec::new();
    let way = match start {
        Start::Resolve => Ok(route::Way::Resolve),
        Start::At(addr, dns) => {
            timing.dns = dns;
            Ok(route::Way::At(addr))
        }
        Start::Failed(unreached, resolving, when) => {
            timing = resolving;
            started = when;
            Err(unreached)
        }
    };
    let reached = match way {
        Ok(way) => {
            route::reach(
                target,
                settings,
                way,
                sni.as_deref(),
                deadline,
                &mut timing,
                &mut attempts,
            )
            .await
        }
        Err(unreached) => Err(unreached),
    };
    let (address, starttls, dialer) = match &reached {
        Ok(r) => (
            Some(r.dialer.addr),
            r.starttls.clone(),
            Some(r.dialer.clone()),
        ),
        Err(u) => (u.addr, u.starttls.clone(), None),
    };
    let mut session = match reached {
        Ok(reached) => {
            session::run(
                reached,
                target,
                settings,
                &name,
                sni.as_deref(),
                deadline,
                offload,
            )
            .await
        }
        Err(u) => Session::failed(u.error),
    };
    // The survey asks with raw ClientHellos, each over a connection reached as this one was.
    let mut scan = match (settings.scan, &dialer) {
        (Some(concurrency), Some(dialer)) => Some(crate::scan::survey::survey(
            dialer,
            sni.as_deref(),
            concurrency,
            deadline,
        )),
        _ => None,
    };
    if let (Some(scan), Some(dialer)) = (&mut scan, &dialer) {
        let leaf = session.certificates.first();
        cert_types::add(
            scan,
            dialer,
            settings,
            &name,
            sni.as_deref(),
            leaf,
            deadline,
        );
    }
    // A first flight read alone has the chain all the same: its checks run.
    let first_flight_only = session
        .protocol
        .as_ref()
        .is_some_and(|p| p.first_flight_only);
    let mut checks: Vec<Check> = Vec::new();
    let judged = session.error.is_none() || first_flight_only;
    if judged {
        if let Some(days) = settings.min_days {
            checks.push(checks::min_days(
                &session.certificates,
                session.verification.as_ref(),
                days,
            ));
        }
        if !settings.pins.is_empty() {
            let (candidates, where_) =
                crate::pins::on_path(&session.certificates, session.verification.as_ref());
            checks.push(crate::pins::check(&settings.pins, &candidates, where_));
        }
    }
    if let (Some(scan), Some(protocol)) = (&mut scan, &session.protocol) {
        // The scan's own DHE answers say it already, suite by suite.
        if !scan.findings.iter().any(|f| f.code == ScanCode::WeakDh) {
            scan.findings.extend(crate::scan::survey::weak_dh(protocol));
        }
    }
    if let Some(scan) = &mut scan {
        use crate::scan::features;
        features::tickets(&mut scan.features, &session.handshake);
        let tls13 = session
            .protocol
            .as_ref()
            .is_some_and(|p| p.version == report::ProtocolVersion::TLS1_3);
        scan.findings
            .extend(features::findings(&scan.features, tls13));
    }
    // A connection of the diagnosis or the scan that this machine could not make: what they
    // concluded ("not accepted", "no TLS 1.3") is not the server's answer.
    if let Some(shortage) = dialer.as_ref().and_then(Dialer::shortage) {
        session.error = Some(route::net_error(Phase::Connect, shortage.clone()));
        scan = None;
    }
    if let (Some(policy), true) = (&settings.policy, judged) {
        checks.extend(checks::policy(policy, scan.as_ref(), &session, settings));
    }
    let status = match &session.error {
        Some(e) if e.kind == ErrorKind::Local => Status::LocalError,
        Some(e) if e.phase == Phase::Handshake => Status::HandshakeFailed,
        Some(_) => Status::ConnectFailed,
        None if session.verification.as_ref().is_some_and(|v| !v.verified) => Status::VerifyFailed,
        None if checks.iter().any(|c| !c.passed) => Status::ChecksFailed,
        None => Status::Ok,
    };
    Report {
        schema_version: report::SCHEMA_VERSION,
        target: report_target(target, sni, address, attempts),
        proxy: proxy_used(target, settings),
        status,
        error: session.error,
        timing_ms: Timing {
            handshake: session.handshake_ms,
            total: ms(started.elapsed()),
            ..timing
        },
        starttls,
        protocol: session.protocol,
        handshake: session.handshake,
        handshake_truncated: session.handshake_truncated,
        certificates: session.certificates,
        verification: session.verification,
        checks,
        application: session.application,
        reconnect: session.reconnect,
        scan,
    }
}

/// [`probe_each`] on this thread, blocking until it is done; work that blocks runs here too.
pub fn probe_blocking(target: &Target, settings: &ProbeSettings) -> Vec<Report> {
    match crate::event_loop::block_on(probe_each(target, settings, crate::event_loop::inline())) {
        Ok(reports) => reports,
        Err(e) => vec![unprobed(target, settings, &e)],
    }
}

/// The report of a probe that could not start: this thread could not wait on a socket (no
/// file descriptor for its reactor).
pub fn unprobed(target: &Target, settings: &ProbeSettings, e: &std::io::Error) -> Report {
    let error = match crate::shortage::Shortage::of(e) {
        Some(shortage) => crate::net::NetError::shortage(shortage),
        None => crate::net::NetError {
            kind: ErrorKind::Local,
            message: format!("cannot wait on the network: {e}"),
            hint: None,
        },
    };
    let (_, sni) = names_for(target, &settings.sni);
    Report {
        schema_version: report::SCHEMA_VERSION,
        target: report_target(target, sni, None, Vec::new()),
        proxy: proxy_used(target, settings),
        status: Status::LocalError,
        error: Some(route::net_error(Phase::Connect, error)),
        timing_ms: Timing::default(),
        starttls: None,
        protocol: None,
        handshake: Vec::new(),
        handshake_truncated: false,
        certificates: Vec::new(),
        verification: None,
        checks: Vec::new(),
        application: None,
        reconnect: None,
        scan: None,
    }
}

/// The report's account of the target: as given, the name sent, where it connected.
fn report_target(
    target: &Target,
    sni: Option<String>,
    address: Option<std::net::SocketAddr>,
    attempts: Vec<report::ConnectAttempt>,
) -> report::Target {
    report::Target {
        host: target.host.to_string(),
        host_unicode: target.host.unicode(),
        port: target.port,
        sni,
        address: address.map(|a| a.to_string()),
        attempts,
        shown: target.shown(),
    }
}

/// The proxy the target was reached through, and where it was named.
fn proxy_used(target: &Target, settings: &ProbeSettings) -> Option<report::ProxyUsed> {
    settings.proxy_for(target).map(|p| report::ProxyUsed {
        url: p.url(),
        source: settings.proxy_source.to_string(),
    })
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
