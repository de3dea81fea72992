//! Reaching the TLS server again the way the probe first did: the address it connected, the
//! proxy's tunnel, the STARTTLS preamble. Each raw ClientHello of a diagnosis or `--scan`
//! needs a connection of its own, made the same way.

use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use super::{connect, starttls, tunnel, NetError, Proxy};
use crate::deadline::Deadline;
use crate::record::Chunk;
use crate::report::ErrorKind;

/// How to open a connection ready for a ClientHello.
#[derive(Debug, Clone)]
pub struct Dialer {
    /// The address to connect (the proxy's, through a proxy).
    pub addr: SocketAddr,
    /// Through this proxy, to this `host:port`.
    pub tunnel: Option<(Proxy, String)>,
    /// The STARTTLS preamble first, giving this name.
    pub starttls: Option<(starttls::Protocol, String)>,
    /// The first local shortage any connection of this dialer (or its clones) met: then what
    /// they learnt (a scan's "not accepted", a diagnosis) is not the server's doing.
    pub shortage: Arc<OnceLock<NetError>>,
}

/// A connection opened again, and for a capture: when its SYN left and when it was
/// established, and the preamble's bytes.
pub struct Opened {
    pub stream: TcpStream,
    pub opened: (SystemTime, SystemTime),
    pub preamble: Vec<Chunk>,
}

impl Dialer {
    /// Straight to `addr`: no proxy, no preamble.
    pub fn direct(addr: SocketAddr) -> Dialer {
        Dialer {
            addr,
            tunnel: None,
            starttls: None,
            shortage: Arc::default(),
        }
    }

    /// The local shortage one of this dialer's connections met, if any.
    pub fn shortage(&self) -> Option<&NetError> {
        self.shortage.get()
    }

    /// Note `e` if it is a local shortage; pass it on.
    fn noted(&self, e: NetError) -> NetError {
        if e.kind == ErrorKind::Local {
            let _ = self.shortage.set(e.clone());
        }
        e
    }

    /// A new connection, through the tunnel and the preamble, within `deadline`.
    pub fn open(&self, deadline: Deadline) -> Result<TcpStream, NetError> {
        self.open_recorded(deadline).map(|o| o.stream)
    }

    /// [`Dialer::open`], with what a capture of the connection needs.
    pub fn open_recorded(&self, deadline: Deadline) -> Result<Opened, NetError> {
        self.reach(deadline).map_err(|e| self.noted(e))
    }

    fn reach(&self, deadline: Deadline) -> Result<Opened, NetError> {
        let syn = SystemTime::now();
        let (mut stream, _) = connect(&[self.addr], deadline)?;
        let established = SystemTime::now();
        if let Some((proxy, authority)) = &self.tunnel {
            tunnel(&mut stream, proxy, authority, deadline)?;
        }
        let mut preamble = Vec::new();
        if let Some((protocol, name)) = &self.starttls {
            let (result, _, raw) = starttls::upgrade(&mut stream, *protocol, name, deadline);
            result?;
            preamble = raw;
        }
        Ok(Opened {
            stream,
            opened: (syn, established),
            preamble,
        })
    }

    /// Which preamble the server answers, of those whose server says nothing first (so that
    /// a hang-up on a ClientHello is all a probe sees): PostgreSQL's SSLRequest, LDAP's
    /// StartTLS. One connection each, each within a second of `deadline`. `None` when it
    /// answers neither.
    pub fn sniff_preamble(&self, deadline: Deadline) -> Option<starttls::Protocol> {
        let deadline = deadline.capped(std::time::Duration::from_secs(1));
        [starttls::Protocol::Postgres, starttls::Protocol::Ldap]
            .into_iter()
            .find(|&protocol| {
                let mut stream = match connect(&[self.addr], deadline) {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        self.noted(e);
                        return false;
                    }
                };
                if let Some((proxy, authority)) = &self.tunnel {
                    if let Err(e) = tunnel(&mut stream, proxy, authority, deadline) {
                        self.noted(e);
                        return false;
                    }
                }
                starttls::speaks(&mut stream, protocol, deadline)
            })
    }
}
