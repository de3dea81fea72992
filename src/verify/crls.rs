//! Certificate revocation lists given with `--crl-file` (PEM `X509 CRL` blocks, or DER).

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateRevocationListDer;
use webpki::{CertRevocationList, OwnedCertRevocationList};

/// Why a CRL file could not be used (a local configuration error: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum CrlError {
    #[error("cannot read --crl-file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("--crl-file {path} holds no certificate revocation list")]
    Empty { path: String },
    #[error("--crl-file {path}: a revocation list cannot be used: {reason}")]
    Invalid { path: String, reason: String },
}

/// Every CRL of every file, in order (a FIFO must deliver within `wait`).
pub fn load(
    paths: &[impl AsRef<Path>],
    wait: std::time::Duration,
) -> Result<Vec<CertRevocationList<'static>>, CrlError> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let bytes = crate::local_file::read(path, wait).map_err(|e| CrlError::Unreadable {
            path: shown.clone(),
            reason: e,
        })?;
        let ders: Vec<Vec<u8>> = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            CertificateRevocationListDer::pem_slice_iter(&bytes)
                .map(|r| r.map(|d| d.as_ref().to_vec()))
                .collect::<Result<_, _>>()
                .map_err(|e| CrlError::Unreadable {
                    path: shown.clone(),
                    reason: crate::pem_error::describe(&e, &bytes),
                })?
        } else {
            vec![bytes]
        };
        if ders.is_empty() {
            return Err(CrlError::Empty { path: shown });
        }
        for der in ders {
            let crl = OwnedCertRevocationList::from_der(&der).map_err(|e| CrlError::Invalid {
                path: shown.clone(),
                // webpki's Display of its error: the variant's name.
                reason: e.to_string(),
            })?;
            out.push(CertRevocationList::Owned(crl));
        }
    }
    Ok(out)
}
