//! The client certificate, offered only when the server asks, and a note that it asked: a
//! server that asks and then turns the client away after the handshake (TLS 1.3, where the
//! client's Finished comes first) is told apart from one that took us without a certificate.

use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::ResolvesClientCert;
use rustls::sign::CertifiedKey;
use rustls::SignatureScheme;

use super::capture::Captured;

/// Answers a CertificateRequest with `key` (or with no certificate), and records in
/// `captured` that one came.
#[derive(Debug)]
pub(super) struct AskedResolver {
    pub key: Option<Arc<CertifiedKey>>,
    pub captured: Arc<Mutex<Captured>>,
}

impl ResolvesClientCert for AskedResolver {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.captured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .client_certificate_requested = true;
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        self.key.is_some()
    }
}
