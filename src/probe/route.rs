//! Where the bytes go: resolve, connect (directly, to `--connect-to`, or through `--proxy`),
//! then the STARTTLS preamble if asked. Ready for the ClientHello.

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant, SystemTime};

use super::{ms, ProbeSettings};
use crate::deadline::Deadline;
use crate::net::{self, starttls, Dialer, NetError};
use crate::record::Chunk;
use crate::report::{AttemptOutcome, ConnectAttempt, Phase, ProbeError, Starttls, Timing};
use crate::target::Target;

/// A connection ready for TLS, and how it was reached.
pub(super) struct Reached {
    pub stream: TcpStream,
    /// How to reach the server again the same way (the address actually connected, the
    /// proxy's tunnel, the preamble), for the raw ClientHellos of a diagnosis or a scan.
    pub dialer: Dialer,
    /// The preamble as it was exchanged, with `--starttls`.
    pub starttls: Option<Starttls>,
    /// When the connection's SYN left and when it was established (wall clock), for a capture.
    pub opened: Option<(SystemTime, SystemTime)>,
    /// The preamble's bytes, raw, for a capture.
    pub preamble: Vec<Chunk>,
}

/// A connection that did not get as far as TLS: why, and how far it got.
pub(super) struct Unreached {
    pub error: ProbeError,
    /// The address connected, when TCP got that far.
    pub addr: Option<SocketAddr>,
    pub starttls: Option<Starttls>,
}

/// The name the preamble gives (EHLO/LHLO, XMPP `to`): `--starttls-name`, else the server name
/// sent, else the target's host.
pub(super) fn starttls_name(
    target: &Target,
    settings: &ProbeSettings,
    sni: Option<&str>,
) -> String {
    settings
        .starttls_name
        .clone()
        .or_else(|| sni.map(str::to_string))
        .unwrap_or_else(|| target.host.to_string())
}

/// Where a probe connects.
pub(super) enum Way {
    /// Wherever its name resolves: Happy Eyeballs over the addresses.
    Resolve,
    /// This one address of the name, resolved already (`--all-addresses`).
    At(SocketAddr),
}

/// The addresses to connect to for `target` (or `--connect-to`'s, or the proxy's), resolved
/// when a name and filtered by `-4`/`-6`; the time the lookup took in `timing.dns`.
pub(super) async fn addresses(
    target: &Target,
    settings: &ProbeSettings,
    deadline: Deadline,
    timing: &mut Timing,
) -> Result<Vec<SocketAddr>, Box<Unreached>> {
    let unreached = |phase, e| {
        Box::new(Unreached {
            error: net_error(phase, e),
            addr: None,
            starttls: None,
        })
    };
    let (dial_host, dial_port) = dial(target, settings);
    match dial_host.parse::<std::net::IpAddr>() {
        Ok(ip) => match settings.family.and_then(|f| f.refuses(ip)) {
            Some(e) => Err(unreached(Phase::Connect, e)),
            None => Ok(vec![SocketAddr::new(ip, dial_port)]),
        },
        Err(_) => {
            let t = Instant::now();
            let r = lookup(&dial_host, dial_port, settings, deadline).await;
            timing.dns = Some(ms(t.elapsed()));
            r.map_err(|e| unreached(Phase::Dns, e))
        }
    }
}

/// The addresses of the name `host`, those of `-4`/`-6`'s family only: never none (an empty
/// answer is an error).
async fn lookup(
    host: &str,
    port: u16,
    settings: &ProbeSettings,
    deadline: Deadline,
) -> Result<Vec<SocketAddr>, NetError> {
    let addrs = net::resolve(host, port, deadline).await?;
    match settings.family {
        Some(f) => f.filter(host, addrs),
        None => Ok(addrs),
    }
}

/// The server's address for a `socks5://` proxy, as `ip:port`: its name resolved here and
/// filtered by `-4`/`-6`, the first address kept (the proxy makes one connection).
async fn destination(
    server: &Target,
    settings: &ProbeSettings,
    deadline: Deadline,
) -> Result<String, NetError> {
    let crate::target::Host::Name(name) = &server.host else {
        return Ok(server.to_string());
    };
    let addrs = lookup(name, server.port, settings, deadline).await?;
    match addrs.first() {
        Some(a) => Ok(a.to_string()),
        None => Err(NetError {
            kind: crate::report::ErrorKind::Dns,
            message: format!("{name} has no address"),
            hint: None,
        }),
    }
}

/// Where the TLS server is: the target, or `--connect-to`'s address.
fn server(target: &Target, settings: &ProbeSettings) -> Target {
    match &settings.connect_to {
        Some(c) => Target {
            host: c.host.clone(),
            port: c.port.unwrap_or(target.port),
        },
        None => target.clone(),
    }
}

/// Where the TCP connection goes: the server, or the proxy.
fn dial(target: &Target, settings: &ProbeSettings) -> (String, u16) {
    match settings.proxy_for(target) {
        Some(p) => (p.host.clone(), p.port),
        None => {
            let server = server(target, settings);
            (server.host.to_string(), server.port)
        }
    }
}

/// Reach `target` as the settings say, recording the timings.
pub(super) async fn reach(
    target: &Target,
    settings: &ProbeSettings,
    way: Way,
    sni: Option<&str>,
    deadline: Deadline,
    timing: &mut Timing,
    attempts: &mut Vec<ConnectAttempt>,
) -> Result<Reached, Box<Unreached>> {
    let unreached = |phase, e, addr| {
        Box::new(Unreached {
            error: net_error(phase, e),
            addr,
            starttls: None,
        })
    };
    let server = server(target, settings);
    let proxy = settings.proxy_for(target);
    let addrs = match way {
        Way::Resolve => addresses(target, settings, deadline, timing).await?,
        Way::At(addr) => vec![addr],
    };

    let t = Instant::now();
    let wall = SystemTime::now();
    let (connected, tried) = net::connect_reporting(&addrs, deadline).await;
    let opened = tried
        .iter()
        .find(|a| a.outcome == AttemptOutcome::Connected)
        .and_then(|a| {
            let syn = wall.checked_add(Duration::try_from_secs_f64(a.started_ms / 1e3).ok()?)?;
            let established =
                syn.checked_add(Duration::try_from_secs_f64(a.elapsed_ms / 1e3).ok()?)?;
            Some((syn, established))
        });
    *attempts = tried;
    let (mut stream, addr) = connected.map_err(|e| unreached(Phase::Connect, e, None))?;
    let authority = match proxy {
        Some(p) if p.resolves_here() => destination(&server, settings, deadline)
            .await
            .map_err(|e| unreached(Phase::Dns, e, Some(addr)))?,
        _ => server.to_string(),
    };
    let tunnel = proxy.map(|proxy| (proxy.clone(), authority));
    if let Some((proxy, authority)) = &tunnel {
        net::tunnel(&mut stream, proxy, authority, deadline)
            .map_err(|e| unreached(Phase::Connect, e, Some(addr)))?;
    }
    timing.connect = Some(ms(t.elapsed()));

    let mut record = None;
    let mut preamble = None;
    let mut raw = Vec::new();
    if let Some(protocol) = settings.starttls {
        let name = starttls_name(target, settings, sni);
        let t = Instant::now();
        let (r, exchanged, bytes) = starttls::upgrade(&mut stream, protocol, &name, deadline);
        timing.starttls = Some(ms(t.elapsed()));
        if let Err(e) = r {
            return Err(Box::new(Unreached {
                error: net_error(Phase::Starttls, e),
                addr: Some(addr),
                starttls: Some(exchanged),
            }));
        }
        record = Some(exchanged);
        preamble = Some((protocol, name));
        raw = bytes;
    }
    Ok(Reached {
        stream,
        dialer: Dialer {
            addr,
            tunnel,
            starttls: preamble,
            shortage: Default::default(),
        },
        starttls: record,
        opened,
        preamble: raw,
    })
}

pub(super) fn net_error(phase: Phase, e: NetError) -> ProbeError {
    ProbeError {
        phase,
        kind: e.kind,
        message: e.message,
        alert: None,
        hint: e.hint,
    }
}
