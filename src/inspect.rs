//! `tlsprobe cert FILE...`: local certificates through the same view as a probe.

use std::path::Path;
use std::time::{Duration, SystemTime};

use rustls::pki_types::CertificateDer;

use crate::chain_files::Asked;
use crate::report::{CertFile, SCHEMA_VERSION};

/// What `tlsprobe cert` reads from standard input instead of a file.
pub const STDIN: &str = "-";

/// Read `path` (`-`: standard input; PEM with one or more certificates, or a single DER
/// certificate) and describe each certificate, with the weak-algorithm findings a probe
/// makes. A file that cannot be read, or a certificate that does not parse, sets `error`
/// (the certificates read are still listed); a FIFO or pipe must deliver within `wait`.
pub fn inspect(path: &Path, now: SystemTime, wait: Duration, asked: &Asked<'_>) -> CertFile {
    let pins = asked.pins;
    let mut report = CertFile {
        schema_version: SCHEMA_VERSION,
        file: path.display().to_string(),
        certificates: Vec::new(),
        findings: Vec::new(),
        checks: Vec::new(),
        error: None,
    };
    let certs = match read(path, wait) {
        Ok(certs) => certs,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    let mut unparseable = Vec::new();
    for (i, der) in certs.iter().enumerate() {
        let (described, facts) = crate::cert::examine(der, now);
        if !facts.parsed {
            unparseable.push((i, crate::cert::parse_failure(der).unwrap_or_default()));
        }
        report.certificates.push(described);
    }
    report.findings = crate::verify::weak_algorithms(&report.certificates);
    // The leaf's SCTs, when its issuer follows it in the file.
    let issued_by_next = matches!(
        &report.certificates[..],
        [leaf, next, ..] if leaf.issuer == next.subject
    );
    if let (true, Some(leaf)) = (issued_by_next, certs.first()) {
        crate::ct::apply(
            &mut report.certificates,
            Some(leaf.as_ref()),
            crate::ct::Delivered::default(),
            None,
            asked.logs,
        );
    } else if let (Some(leaf), Some(first)) = (report.certificates.first_mut(), certs.first()) {
        crate::ct::judge(
            leaf,
            first.as_ref(),
            crate::ct::Delivered::default(),
            None,
            asked.logs,
        );
    }
    if !pins.is_empty() {
        let candidates = crate::pins::served(&report.certificates);
        let check = crate::pins::check(pins, &candidates, "in the file");
        report.checks.push(check);
    }
    if let Some((i, why)) = unparseable.first() {
        let which = if certs.len() == 1 {
            "the certificate".to_string()
        } else {
            format!("certificate {i}")
        };
        let more = match unparseable.len() {
            1 => String::new(),
            n => format!(" ({} more do not either)", n - 1),
        };
        report.error = Some(format!(
            "{}: {which} does not parse: {why}{more}",
            shown(path)
        ));
    }
    report
}

/// How errors name `path`: standard input in words.
fn shown(path: &Path) -> String {
    if path == Path::new(STDIN) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// The certificates of one file (`-`: standard input): PEM (every block labelled
/// `CERTIFICATE`, `X509 CERTIFICATE` or `TRUSTED CERTIFICATE`) or a single DER certificate.
pub fn read(path: &Path, wait: Duration) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = if path == Path::new(STDIN) {
        crate::local_file::read_stdin(wait)
    } else {
        crate::local_file::read(path, wait)
    }
    .map_err(|e| format!("cannot read {}: {e}", shown(path)))?;
    let certs =
        crate::cert::pem_file::certificates(&bytes).map_err(|e| format!("{}: {e}", shown(path)))?;
    Ok(certs.into_iter().map(CertificateDer::from).collect())
}
