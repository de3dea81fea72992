//! An in-process rustls server on 127.0.0.1 serving one chain, for exact fixtures.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use rustls::{ServerConfig, ServerConnection, SupportedProtocolVersion};

use super::fixtures::Chain;

/// Start a server in a background thread; it serves every connection that comes, one at a
/// time, for as long as the test process lives.
pub fn start(chain: &Chain, versions: &[&'static SupportedProtocolVersion]) -> SocketAddr {
    let config = ServerConfig::builder_with_protocol_versions(versions)
        .with_no_client_auth()
        .with_single_cert(chain.certs.clone(), chain.key())
        .expect("server config");
    listen(Arc::new(config))
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
    listen(Arc::new(config))
}

/// A server that presents `chain` but signs its handshake with `signer`'s key, as a server
/// with a mismatched certificate and key (or an impostor) would.
pub fn start_with_wrong_key(chain: &Chain, signer: &Chain) -> SocketAddr {
    let key = rustls::crypto::aws_lc_rs::sign::any_supported_type(&signer.key()).expect("key");
    let certified = Arc::new(rustls::sign::CertifiedKey::new(chain.certs.clone(), key));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(certified)));
    listen(Arc::new(config))
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

/// A rustls server configuration for `chain`, TLS 1.3 and 1.2.
pub fn config(chain: &Chain) -> Arc<ServerConfig> {
    Arc::new(
        ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain.certs.clone(), chain.key())
            .expect("server config"),
    )
}

fn listen(config: Arc<ServerConfig>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // A broken client must not stop the server for the next test run.
            let _ = serve(stream, config.clone());
        }
    });
    addr
}

/// Complete the handshake, then wait for the client's close_notify (or EOF) and answer it.
pub fn serve(mut sock: TcpStream, config: Arc<ServerConfig>) -> std::io::Result<()> {
    sock.set_read_timeout(Some(Duration::from_secs(10)))?;
    sock.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut conn = ServerConnection::new(config).map_err(std::io::Error::other)?;
    while conn.is_handshaking() {
        conn.complete_io(&mut sock)?;
    }
    while conn.wants_write() {
        conn.write_tls(&mut sock)?;
    }
    loop {
        if conn.read_tls(&mut sock)? == 0 {
            break;
        }
        let state = conn.process_new_packets().map_err(std::io::Error::other)?;
        let _ = std::io::copy(&mut conn.reader().take(1 << 20), &mut std::io::sink());
        if state.peer_has_closed() {
            conn.send_close_notify();
            while conn.wants_write() {
                conn.write_tls(&mut sock)?;
            }
            break;
        }
    }
    sock.flush()
}
