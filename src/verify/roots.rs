//! The trust anchors a chain is judged against: Mozilla's (built in), the system's, or a file.

use std::borrow::Cow;
use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, TrustAnchor};

use crate::report::TrustStore;

/// A loaded trust store.
#[derive(Debug, Clone)]
pub struct Roots {
    pub store: TrustStore,
    pub anchors: Cow<'static, [TrustAnchor<'static>]>,
    /// The anchors' certificates when we have them (system store, file): a leaf that is itself
    /// one of these is trusted directly, as OpenSSL does.
    pub certs: Vec<CertificateDer<'static>>,
}

/// Why a trust store could not be loaded (a local configuration error: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum RootsError {
    #[error("cannot read --ca-file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("--ca-file {path} holds no usable CA certificate")]
    Empty { path: String },
    #[error("no usable certificates in the system trust store: {0}")]
    System(String),
}

impl Roots {
    /// Mozilla's roots as compiled into webpki-roots: no parsing, no file needed.
    pub fn mozilla() -> Roots {
        Roots {
            store: TrustStore::Mozilla,
            anchors: Cow::Borrowed(webpki_roots::TLS_SERVER_ROOTS),
            certs: Vec::new(),
        }
    }

    /// How messages name this store.
    pub fn store_name(&self) -> &'static str {
        self.store.name()
    }

    /// Every CERTIFICATE block of a PEM file (a FIFO must deliver within `wait`).
    pub fn from_pem_file(path: &Path, wait: std::time::Duration) -> Result<Roots, RootsError> {
        let shown = path.display().to_string();
        let unreadable = |reason: String| RootsError::Unreadable {
            path: shown.clone(),
            reason,
        };
        let bytes = crate::local_file::read(path, wait).map_err(unreadable)?;
        let certs = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unreadable(crate::pem_error::describe(&e, &bytes)))?;
        let roots = Self::from_certs(TrustStore::File, certs);
        if roots.anchors.is_empty() {
            return Err(RootsError::Empty { path: shown });
        }
        Ok(roots)
    }

    /// The operating system's store (via rustls-native-certs).
    pub fn system() -> Result<Roots, RootsError> {
        let found = rustls_native_certs::load_native_certs();
        let roots = Self::from_certs(TrustStore::System, found.certs);
        if roots.anchors.is_empty() {
            let why = found
                .errors
                .first()
                .map_or_else(|| "none found".to_string(), |e| e.to_string());
            return Err(RootsError::System(why));
        }
        Ok(roots)
    }

    fn from_certs(store: TrustStore, certs: Vec<CertificateDer<'static>>) -> Roots {
        // A certificate webpki cannot use as an anchor is skipped, as OpenSSL skips it.
        let (anchors, certs): (Vec<_>, Vec<_>) = certs
            .into_iter()
            .filter_map(|c| {
                let anchor = webpki::anchor_from_trusted_cert(&c).ok()?.to_owned();
                Some((anchor, c))
            })
            .unzip();
        Roots {
            store,
            anchors: Cow::Owned(anchors),
            certs,
        }
    }
}
