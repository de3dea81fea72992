use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

/// What the server presented during the handshake.
#[derive(Debug, Default, Clone)]
pub struct Captured {
    /// The certificates as served, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// A stapled OCSP response, if any (empty when none).
    pub ocsp: Vec<u8>,
    /// The server's handshake signature (TLS 1.3 CertificateVerify, TLS 1.2 ServerKeyExchange).
    pub signature: Option<SignatureCheck>,
}

/// The result of checking the server's handshake signature with the leaf's key.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    pub scheme: SignatureScheme,
    /// `None` when the signature verified; the reason otherwise.
    pub error: Option<String>,
}

/// A verifier that records the chain and lets the handshake go on, so that a bad chain is
/// reported (by `verify::verify_chain`, after the handshake) rather than refused.
///
/// The handshake signature is still checked for real; a bad one is recorded too, and becomes a
/// `bad_signature` verification error. Nothing is ever sent over a connection whose
/// verification failed, so letting the handshake finish does not expose the user.
#[derive(Debug)]
pub(super) struct CaptureVerifier {
    provider: Arc<CryptoProvider>,
    captured: Arc<Mutex<Captured>>,
}

impl CaptureVerifier {
    pub(super) fn new(provider: Arc<CryptoProvider>, captured: Arc<Mutex<Captured>>) -> Self {
        CaptureVerifier { provider, captured }
    }

    fn record_signature(
        &self,
        scheme: SignatureScheme,
        result: Result<HandshakeSignatureValid, rustls::Error>,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let error = result.err().map(|e| e.to_string());
        self.captured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .signature = Some(SignatureCheck { scheme, error });
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
        let result = verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        );
        self.record_signature(dss.scheme, result)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let result = verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        );
        self.record_signature(dss.scheme, result)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
