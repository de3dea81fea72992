//! `tlsprobe verify CHAIN...`: local chain files through the probe's verifier, like `openssl
//! verify` and `certigo verify`, into the same `certificates[]` / `verification` model.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::cli::{self, VerifyArgs};
use crate::ct::LogList;
use crate::pins::Pins;

/// What a run of `verify` or `cert` was asked to check beyond the chain: `--pin`,
/// `--ct-log-list`.
#[derive(Debug)]
pub struct Asked<'a> {
    pub pins: &'a Pins,
    pub logs: Option<&'a LogList>,
}
use crate::report::{ChainReport, SCHEMA_VERSION};
use crate::verify::{self, ChainInput, Identity, Purpose, Roots};

/// Check the chain `args` names. Never fails: input that cannot be used gives a report whose
/// `error` says why (exit 2). A FIFO among the files must deliver within `wait`.
pub fn run(args: &VerifyArgs, asked: &Asked<'_>, wait: Duration) -> ChainReport {
    let pins = asked.pins;
    let purpose = match args.purpose {
        cli::Purpose::Server => Purpose::Server,
        cli::Purpose::Client => Purpose::Client,
    };
    let mut report = ChainReport {
        schema_version: SCHEMA_VERSION,
        files: args
            .chain
            .iter()
            .chain(&args.untrusted)
            .map(|p| p.display().to_string())
            .collect(),
        host: args.host.clone(),
        purpose: match purpose {
            Purpose::Server => "server",
            Purpose::Client => "client",
        },
        at: String::new(),
        certificates: Vec::new(),
        verification: None,
        checks: Vec::new(),
        error: None,
    };
    match judge(args, purpose, asked.logs, wait, &mut report) {
        Ok(()) if !pins.is_empty() => {
            let (candidates, where_) =
                crate::pins::on_path(&report.certificates, report.verification.as_ref());
            report
                .checks
                .push(crate::pins::check(pins, &candidates, where_));
        }
        Ok(()) => {}
        Err(e) => report.error = Some(e),
    }
    report
}

fn judge(
    args: &VerifyArgs,
    purpose: Purpose,
    logs: Option<&LogList>,
    wait: Duration,
    report: &mut ChainReport,
) -> Result<(), String> {
    let at = match &args.at {
        Some(s) => parse_time(s)?,
        None => SystemTime::now(),
    };
    report.at = crate::cert::rfc3339(crate::cert::unix_seconds(at));
    let identity = match &args.host {
        Some(h) => Identity::parse(h)?,
        None => Identity::None,
    };
    if matches!(identity, Identity::Email(_)) && purpose == Purpose::Server {
        return Err("an email address (--host) names a client: add --purpose client".into());
    }
    let roots = match (&args.ca_file, args.system_roots) {
        (Some(path), _) => Roots::from_pem_file(path, wait).map_err(|e| e.to_string())?,
        (None, true) => Roots::system().map_err(|e| e.to_string())?,
        (None, false) => Roots::mozilla(),
    };
    let crls = verify::crls::load(&args.crl_file, wait).map_err(|e| e.to_string())?;
    let mut chain: Vec<CertificateDer<'static>> = Vec::new();
    for path in &args.chain {
        chain.extend(crate::inspect::read(path, wait)?);
    }
    for path in &args.untrusted {
        chain.extend(untrusted(path, wait)?);
    }
    let (described, facts): (Vec<_>, Vec<_>) = chain
        .iter()
        .map(|der| crate::cert::examine(der, at))
        .unzip();
    report.certificates = described;
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    report.verification = Some(verify::verify_chain(
        &ChainInput {
            chain: &chain,
            described: &report.certificates,
            facts: &facts,
            identity: &identity,
            sni_sent: true,
            purpose,
            from_server: false,
            signature: None,
            ocsp: None,
            ocsp_der: &[],
            crls: &crls,
            warn_days: i64::from(args.warn_days),
            now: at,
        },
        &roots,
        &verify::pss::signature_algorithms(&provider),
    ));
    crate::ct::apply(
        &mut report.certificates,
        chain.first().map(|d| d.as_ref()),
        crate::ct::Delivered::default(),
        report.verification.as_mut(),
        logs,
    );
    Ok(())
}

/// `--untrusted`: PEM only (as `openssl verify -untrusted`), any number of certificates.
fn untrusted(
    path: &std::path::Path,
    wait: Duration,
) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let bytes = crate::local_file::read(path, wait)
        .map_err(|e| format!("cannot read --untrusted {shown}: {e}"))?;
    CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            let why = crate::pem_error::describe(&e, &bytes);
            format!("cannot read --untrusted {shown}: {why}")
        })
}

/// RFC 3339, fractions of a second dropped (validity is to the second).
fn parse_time(s: &str) -> Result<SystemTime, String> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            format!("invalid --at '{s}': give an RFC 3339 time such as 2026-01-31T12:00:00Z")
        })?;
    let secs = t.unix_timestamp();
    Ok(if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let t = parse_time("2024-03-01T00:00:00.999+00:00").unwrap();
        assert_eq!(crate::cert::unix_seconds(t), 1_709_251_200);
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("1960-01-01T00:00:00Z").is_ok());
    }
}
