use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use super::pss_schemes;

/// What the server presented during the handshake.
#[derive(Debug, Default, Clone)]
pub struct Captured {
    /// The certificates as served, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// A stapled OCSP response, if any (empty when none).
    pub ocsp: Vec<u8>,
    /// The server's handshake signature (TLS 1.3 CertificateVerify, TLS 1.2 ServerKeyExchange).
    pub signature: Option<SignatureCheck>,
    /// The server sent a CertificateRequest (rustls asked for a client certificate).
    pub client_certificate_requested: bool,
}

/// The result of checking the server's handshake signature with the leaf's key.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    /// The scheme the server named; `None` in TLS 1.0 and 1.1, where the key implies it.
    pub scheme: Option<SignatureScheme>,
    /// `None` when the signature verified; the reason otherwise.
    pub error: Option<String>,
}

/// A verifier that records the chain and lets the handshake go on, so that a bad chain is
/// reported (by `verify::verify_chain`, after the handshake) rather than refused.
///
/// The handshake signature is still checked for real; a bad one is recorded too, and becomes a
/// `bad_signature` verification error. Nothing is ever sent over a connection whose
/// verification failed, so letting the handshake finish does not expose the user.
///
/// Besides the provider's schemes it offers and checks the `rsa_pss_pss_*` ones itself
/// (`pss_schemes`): without them a server whose key is an RSA-PSS key has nothing to sign with.
#[derive(Debug)]
pub(super) struct CaptureVerifier {
    provider: Arc<CryptoProvider>,
    captured: Arc<Mutex<Captured>>,
}

impl CaptureVerifier {
    pub(super) fn new(provider: Arc<CryptoProvider>, captured: Arc<Mutex<Captured>>) -> Self {
        CaptureVerifier { provider, captured }
    }

    /// Record the outcome of checking the handshake signature: rustls's own check, or ours
    /// for the `rsa_pss_pss_*` schemes.
    fn record_signature(
        &self,
        dss: &DigitallySignedStruct,
        cert: &CertificateDer<'_>,
        message: &[u8],
        rustls_check: impl FnOnce() -> Result<HandshakeSignatureValid, rustls::Error>,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let scheme = dss.scheme;
        let error = match pss_schemes::verify(scheme, message, cert, dss.signature()) {
            Some(ours) => ours.err(),
            None => rustls_check().err().map(|e| e.to_string()),
        };
        self.captured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .signature = Some(SignatureCheck {
            scheme: Some(scheme),
            error,
        });
        Ok(HandshakeSignatureValid::assertion())
    }
}

impl ServerCertVerifier for CaptureVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut c = self.captured.lock().unwrap_or_else(PoisonError::into_inner);
        c.chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        c.ocsp = ocsp_response.to_vec();
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        // Not reached with an rsa_pss_pss scheme under rustls 0.23: it refuses the
        // ServerKeyExchange before asking (see `pss_schemes`). Checked here all the same, so
        // that a rustls that lets it through meets a real check.
        self.record_signature(dss, cert, message, || {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        })
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.record_signature(dss, cert, message, || {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        })
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        let mut schemes = self
            .provider
            .signature_verification_algorithms
            .supported_schemes();
        schemes.extend(pss_schemes::SCHEMES);
        schemes
    }
}
