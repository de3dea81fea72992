//! An in-process rustls server serving one chain, for exact fixtures. It records what it saw of
//! each connection (SNI, version, ALPN, outcome), so a test can check the client's behaviour
//! from the other side of the wire.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rustls::{ProtocolVersion, ServerConfig, ServerConnection, SupportedProtocolVersion};

use super::fixtures::Chain;

/// Bound on every read and write of an accepted socket: a client that stalls must not keep a
/// server thread (or a test waiting on it) forever.
const IO_LIMIT: Duration = Duration::from_secs(10);

/// What the server saw of one connection, recorded once its handshake completed or failed.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The server name the client sent, if any.
    pub sni: Option<String>,
    pub version: Option<ProtocolVersion>,
    pub alpn: Option<String>,
    /// The handshake completed.
    pub handshake_done: bool,
    /// Why the connection failed before or during the handshake.
    pub error: Option<String>,
}

#[derive(Default)]
struct Shared {
    seen: Mutex<Vec<Seen>>,
    changed: Condvar,
    stop: AtomicBool,
}

/// A running server. Dropping it stops accepting (connections in flight finish on their own).
pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Server {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the server saw so far, in the order the handshakes ended.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }

    /// Wait (at most 10 s) until `n` connections have finished their handshake, successfully or
    /// not, and return what was seen. The client may exit a moment before the server thread has
    /// recorded its handshake, so tests call this rather than [`Server::seen`].
    pub fn wait_for(&self, n: usize) -> Vec<Seen> {
        let deadline = Instant::now() + IO_LIMIT;
        let mut seen = self.shared.seen.lock().expect("lock");
        while seen.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "the server saw {} connection(s), expected {n}: {seen:?}",
                seen.len()
            );
            seen = self
                .shared
                .changed
                .wait_timeout(seen, left)
                .expect("lock")
                .0;
        }
        seen.clone()
    }

    /// Keep serving for the rest of the test process and return the address.
    pub fn detach(self) -> SocketAddr {
        let addr = self.addr;
        std::mem::forget(self);
        addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag; failure means it is gone already.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// How to start a server: what to serve, which versions and ALPN protocols, where to listen.
pub struct Setup {
    chain: Chain,
    versions: Vec<&'static SupportedProtocolVersion>,
    alpn: Vec<String>,
    bind: SocketAddr,
    connections: Option<usize>,
}

impl Setup {
    /// TLS 1.3 and 1.2, no ALPN, on 127.0.0.1 with a port the kernel picks.
    pub fn new(chain: &Chain) -> Setup {
        Setup {
            chain: chain.serving(chain.certs.clone()),
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
            alpn: Vec::new(),
            bind: "127.0.0.1:0".parse().expect("address"),
            connections: None,
        }
    }

    pub fn versions(mut self, versions: &[&'static SupportedProtocolVersion]) -> Setup {
        self.versions = versions.to_vec();
        self
    }

    /// The ALPN protocols the server accepts, in its order of preference.
    pub fn alpn(mut self, protocols: &[&str]) -> Setup {
        self.alpn = protocols.iter().map(|p| p.to_string()).collect();
        self
    }

    /// Listen on this address (e.g. `[::1]:0`) instead of 127.0.0.1.
    pub fn bind(mut self, addr: &str) -> Setup {
        self.bind = addr.parse().expect("a socket address");
        self
    }

    /// Accept only this many connections, then close the listener.
    pub fn connections(mut self, n: usize) -> Setup {
        self.connections = Some(n);
        self
    }

    pub fn start(self) -> Server {
        let mut config = ServerConfig::builder_with_protocol_versions(&self.versions)
            .with_no_client_auth()
            .with_single_cert(self.chain.certs.clone(), self.chain.key())
            .expect("server config");
        config.alpn_protocols = self.alpn.iter().map(|p| p.as_bytes().to_vec()).collect();
        listen(Arc::new(config), self.bind, self.connections)
    }
}

/// Start a server for `chain` on 127.0.0.1 offering `versions`.
pub fn spawn(chain: &Chain, versions: &[&'static SupportedProtocolVersion]) -> Server {
    Setup::new(chain).versions(versions).start()
}

/// Like [`spawn`], serving for the rest of the test process; returns only the address.
pub fn start(chain: &Chain, versions: &[&'static SupportedProtocolVersion]) -> SocketAddr {
    spawn(chain, versions).detach()
}

/// A TLS 1.3 server that accepts only the key-exchange group `group` (IANA code point), so a
/// client without a key share for it gets a HelloRetryRequest; with `ask_client_cert` it sends
/// a CertificateRequest naming `ca` (and accepts a client without a certificate).
pub fn start_custom(
    chain: &Chain,
    group: Option<u16>,
    ask_client_cert: Option<&Chain>,
) -> SocketAddr {
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    if let Some(code) = group {
        provider.kx_groups.retain(|g| u16::from(g.name()) == code);
    }
    let builder = ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions");
    let builder = match ask_client_cert {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots
                .add(ca.certs.last().expect("a CA").clone())
                .expect("root");
            let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
                .allow_unauthenticated()
                .build()
                .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(chain.certs.clone(), chain.key())
        .expect("server config");
    listen(Arc::new(config), loopback(), None).detach()
}

/// A server that presents `chain` but signs its handshake with `signer`'s key, as a server
/// with a mismatched certificate and key (or an impostor) would.
pub fn start_with_wrong_key(chain: &Chain, signer: &Chain) -> SocketAddr {
    let key = rustls::crypto::aws_lc_rs::sign::any_supported_type(&signer.key()).expect("key");
    let certified = Arc::new(rustls::sign::CertifiedKey::new(chain.certs.clone(), key));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(certified)));
    listen(Arc::new(config), loopback(), None).detach()
}

#[derive(Debug)]
struct Fixed(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for Fixed {
    fn resolve(
        &self,
        _: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
}

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().expect("address")
}

/// Accept connections in a background thread and serve each on its own thread, so that one
/// stalled client cannot delay the next.
fn listen(config: Arc<ServerConfig>, bind: SocketAddr, limit: Option<usize>) -> Server {
    let listener = TcpListener::bind(bind).unwrap_or_else(|e| panic!("bind {bind}: {e}"));
    let addr = listener.local_addr().expect("addr");
    let shared = Arc::new(Shared::default());
    let state = shared.clone();
    thread::spawn(move || {
        let mut accepted = 0;
        for stream in listener.incoming() {
            if state.stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else { continue };
            let (config, state) = (config.clone(), state.clone());
            thread::spawn(move || serve_recorded(stream, config, &state));
            accepted += 1;
            if limit.is_some_and(|n| accepted >= n) {
                return;
            }
        }
    });
    Server { addr, shared }
}

fn record(state: &Shared, conn: Option<&ServerConnection>, error: Option<String>) {
    let seen = Seen {
        sni: conn.and_then(|c| c.server_name()).map(str::to_string),
        version: conn.and_then(|c| c.protocol_version()),
        alpn: conn
            .and_then(|c| c.alpn_protocol())
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        handshake_done: conn.is_some_and(|c| !c.is_handshaking()) && error.is_none(),
        error,
    };
    state.seen.lock().expect("lock").push(seen);
    state.changed.notify_all();
}

/// A rustls server configuration for `chain`, TLS 1.3 and 1.2.
pub fn config(chain: &Chain) -> Arc<ServerConfig> {
    Arc::new(
        ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain.certs.clone(), chain.key())
            .expect("server config"),
    )
}

/// Serve one accepted connection (e.g. after a STARTTLS preamble): complete the handshake,
/// then wait for the client's close_notify (or EOF) and answer it.
pub fn serve(sock: TcpStream, config: Arc<ServerConfig>) -> std::io::Result<()> {
    let mut failure = None;
    serve_with(sock, config, |_, error| failure = error);
    match failure {
        Some(e) => Err(std::io::Error::other(e)),
        None => Ok(()),
    }
}

fn serve_recorded(sock: TcpStream, config: Arc<ServerConfig>, state: &Shared) {
    if state.stop.load(Ordering::SeqCst) {
        return; // the wake-up connection of Drop
    }
    serve_with(sock, config, |conn, error| record(state, conn, error));
}

/// Complete the handshake and tell `done` how it went, then wait for the client's
/// close_notify (or EOF) and answer it. A broken client ends only its own connection.
fn serve_with(
    mut sock: TcpStream,
    config: Arc<ServerConfig>,
    done: impl FnOnce(Option<&ServerConnection>, Option<String>),
) {
    let prepared = sock
        .set_read_timeout(Some(IO_LIMIT))
        .and_then(|()| sock.set_write_timeout(Some(IO_LIMIT)));
    let mut conn = match prepared
        .map_err(|e| e.to_string())
        .and_then(|()| ServerConnection::new(config).map_err(|e| e.to_string()))
    {
        Ok(conn) => conn,
        Err(e) => return done(None, Some(e)),
    };
    let mut handshake = || -> std::io::Result<()> {
        while conn.is_handshaking() {
            let (read, wrote) = conn.complete_io(&mut sock)?;
            if read == 0 && wrote == 0 && conn.is_handshaking() {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
        while conn.wants_write() {
            conn.write_tls(&mut sock)?;
        }
        Ok(())
    };
    if let Err(e) = handshake() {
        // Flush our alert, if any, so that the client sees why.
        while conn.wants_write() && conn.write_tls(&mut sock).is_ok() {}
        return done(Some(&conn), Some(e.to_string()));
    }
    done(Some(&conn), None);
    let _ = close(&mut sock, &mut conn);
}

fn close(sock: &mut TcpStream, conn: &mut ServerConnection) -> std::io::Result<()> {
    loop {
        if conn.read_tls(sock)? == 0 {
            break;
        }
        let state = conn.process_new_packets().map_err(std::io::Error::other)?;
        let _ = std::io::copy(&mut conn.reader().take(1 << 20), &mut std::io::sink());
        if state.peer_has_closed() {
            conn.send_close_notify();
            while conn.wants_write() {
                conn.write_tls(sock)?;
            }
            break;
        }
    }
    sock.flush()
}
