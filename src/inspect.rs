//! `tlsprobe cert FILE...`: local certificates through the same view as a probe.

use std::path::Path;
use std::time::{Duration, SystemTime};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::report::{CertFile, SCHEMA_VERSION};

/// Read `path` (PEM with one or more certificates, or a single DER certificate) and describe
/// each certificate. A file that cannot be read yields a report with its error; a FIFO must
/// deliver within `wait`.
pub fn inspect(path: &Path, now: SystemTime, wait: Duration) -> CertFile {
    let mut report = CertFile {
        schema_version: SCHEMA_VERSION,
        file: path.display().to_string(),
        certificates: Vec::new(),
        error: None,
    };
    match read(path, wait) {
        Ok(certs) => {
            report.certificates = certs
                .iter()
                .map(|der| crate::cert::describe(der, now))
                .collect();
        }
        Err(e) => report.error = Some(e),
    }
    report
}

/// The certificates of one file: PEM (every CERTIFICATE block) or a single DER certificate.
pub fn read(path: &Path, wait: Duration) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = crate::local_file::read(path, wait)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let certs = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{}: invalid PEM: {e}", path.display()))?;
        if certs.is_empty() {
            return Err(format!("{} holds no CERTIFICATE block", path.display()));
        }
        return Ok(certs);
    }
    // DER: one certificate, a SEQUENCE.
    if bytes.first() != Some(&0x30) {
        return Err(format!(
            "{} is neither PEM nor a DER certificate",
            path.display()
        ));
    }
    Ok(vec![CertificateDer::from(bytes)])
}
