//! Where the bytes go: resolve, connect (directly, to `--connect-to`, or through `--proxy`),
//! then the STARTTLS preamble if asked. Ready for the ClientHello.

use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use super::{ms, ProbeSettings};
use crate::deadline::Deadline;
use crate::net::{self, starttls, NetError};
use crate::report::{Phase, ProbeError, Timing};
use crate::target::Target;

/// A connection ready for TLS, and how it was reached.
pub(super) struct Reached {
    pub stream: TcpStream,
    /// The address actually connected (the proxy's, through a proxy).
    pub addr: SocketAddr,
    /// Connected straight to the server (no proxy, no STARTTLS), so that raw ClientHellos can
    /// be sent the same way to diagnose a failure.
    pub direct: bool,
}

/// Reach `target` as the settings say, recording the timings.
pub(super) fn reach(
    target: &Target,
    settings: &ProbeSettings,
    deadline: Deadline,
    timing: &mut Timing,
) -> Result<Reached, ProbeError> {
    // Where the TLS server is: the target, or --connect-to's address.
    let server = match &settings.connect_to {
        Some(c) => Target {
            host: c.host.clone(),
            port: c.port.unwrap_or(target.port),
        },
        None => target.clone(),
    };
    // Where the TCP connection goes: there, or to the proxy.
    let (dial_host, dial_port) = match &settings.proxy {
        Some(p) => (p.host.clone(), p.port),
        None => (server.host.to_string(), server.port),
    };
    let addrs = match dial_host.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, dial_port)],
        Err(_) => {
            let t = Instant::now();
            let r = net::resolve(&dial_host, dial_port, deadline);
            timing.dns = Some(ms(t.elapsed()));
            r.map_err(|e| net_error(Phase::Dns, e))?
        }
    };

    let t = Instant::now();
    let (mut stream, addr) =
        net::connect(&addrs, deadline).map_err(|e| net_error(Phase::Connect, e))?;
    if let Some(proxy) = &settings.proxy {
        net::tunnel(&mut stream, proxy, &server.to_string(), deadline)
            .map_err(|e| net_error(Phase::Connect, e))?;
    }
    timing.connect = Some(ms(t.elapsed()));

    if let Some(protocol) = settings.starttls {
        let t = Instant::now();
        let r = starttls::upgrade(&mut stream, protocol, &target.host.to_string(), deadline);
        timing.starttls = Some(ms(t.elapsed()));
        r.map_err(|e| net_error(Phase::Starttls, e))?;
    }
    Ok(Reached {
        stream,
        addr,
        direct: settings.proxy.is_none() && settings.starttls.is_none(),
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
