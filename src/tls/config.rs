use std::sync::{Arc, Mutex};

use rustls::client::Resumption;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, SupportedProtocolVersion};

use super::capture::{CaptureVerifier, Captured};
use super::client_auth::AskedResolver;
use crate::decrypt::SecretLog;
use crate::keylog::KeyLogFile;

/// What the client offers in its ClientHello.
#[derive(Debug, Clone)]
pub struct Offer {
    pub versions: Vec<&'static SupportedProtocolVersion>,
    pub alpn: Vec<Vec<u8>>,
    /// Send the server name (SNI) when the target is a name.
    pub sni: bool,
}

/// The options do not make a working client (e.g. no cipher suite for the versions offered).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the TLS configuration: {}", crate::diagnose::words::tls_error(.0))]
pub struct ConfigError(rustls::Error);

impl From<rustls::Error> for ConfigError {
    fn from(e: rustls::Error) -> Self {
        ConfigError(e)
    }
}

/// A client certificate and its key (`--cert`, `--key`).
#[derive(Debug)]
pub struct ClientCert {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// A client configuration for one probe, with the slots its verifier and key log fill.
pub struct ProbeConfig {
    pub config: Arc<ClientConfig>,
    pub captured: Arc<Mutex<Captured>>,
    /// The handshake's secrets, for decrypting TLS 1.3 (and the key-log file when asked).
    pub secrets: Arc<SecretLog>,
}

/// A client configuration for one probe.
///
/// Resumption is disabled unless `resumable`: on a resumed session the verifier is not called
/// and there would be no chain to report.
pub fn client_config(
    provider: &Arc<CryptoProvider>,
    offer: &Offer,
    keylog_file: Option<Arc<KeyLogFile>>,
    client_cert: Option<&ClientCert>,
    resumable: bool,
) -> Result<ProbeConfig, ConfigError> {
    let captured = Arc::new(Mutex::new(Captured::default()));
    let verifier = Arc::new(CaptureVerifier::new(provider.clone(), captured.clone()));
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&offer.versions)?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let key = match client_cert {
        Some(c) => Some(Arc::new(CertifiedKey::from_der(
            c.chain.clone(),
            c.key.clone_key(),
            provider,
        )?)),
        None => None,
    };
    let mut config = builder.with_client_cert_resolver(Arc::new(AskedResolver {
        key,
        captured: captured.clone(),
    }));
    config.alpn_protocols = offer.alpn.clone();
    // Off unless a second connection will use it (`--reconnect`): only a full handshake shows
    // the chain.
    config.resumption = if resumable {
        Resumption::in_memory_sessions(8)
    } else {
        Resumption::disabled()
    };
    config.enable_sni = offer.sni;
    let secrets = SecretLog::new(keylog_file);
    config.key_log = secrets.clone();
    Ok(ProbeConfig {
        config: Arc::new(config),
        captured,
        secrets,
    })
}
