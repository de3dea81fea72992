//! Turn the parsed command line into validated settings. Every local mistake (a bad target, an
//! unreadable --ca-file, a nonsensical timeout) is found here, before any probe starts.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::cli::{Cli, ColorWhen};
use crate::keylog::KeyLogFile;
use crate::probe::{ProbeSettings, Sni};
use crate::target::{Target, DEFAULT_PORT};
use crate::tls::{ClientCert, Offer};
use crate::verify::Roots;

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    /// Append the served chain as PEM to the text view (`--pem`).
    pub pem: bool,
    pub color: ColorWhen,
    pub verbose: u8,
}

/// Everything a run needs, validated.
pub struct Options {
    pub targets: Vec<Target>,
    pub output: Output,
    pub probe: ProbeSettings,
}

/// The longest `--timeout` accepted: a day. Longer is almost surely a typo (milliseconds?).
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

impl Options {
    pub fn from_cli(cli: Cli) -> Result<Options> {
        let targets = cli
            .targets
            .iter()
            .map(|t| Target::parse(t, DEFAULT_PORT))
            .collect::<Result<Vec<_>, _>>()?;

        if !(cli.timeout.is_finite() && cli.timeout > 0.0 && cli.timeout <= MAX_TIMEOUT_SECS) {
            bail!(
                "invalid --timeout {}: give seconds, more than 0 and at most {MAX_TIMEOUT_SECS}",
                cli.timeout
            );
        }
        let timeout = Duration::from_secs_f64(cli.timeout);

        let roots = match (&cli.ca_file, cli.system_roots) {
            (Some(path), _) => Roots::from_pem_file(path)?,
            (None, true) => Roots::system()?,
            (None, false) => Roots::mozilla(),
        };

        let versions = match (cli.tls12, cli.tls13) {
            (true, false) => vec![&rustls::version::TLS12],
            (false, true) => vec![&rustls::version::TLS13],
            _ => vec![&rustls::version::TLS13, &rustls::version::TLS12],
        };
        let mut alpn = Vec::with_capacity(cli.alpn.len());
        for p in &cli.alpn {
            if p.is_empty() || p.len() > 255 {
                bail!("invalid --alpn protocol '{p}': each must be 1 to 255 bytes");
            }
            alpn.push(p.as_bytes().to_vec());
        }

        let sni = match (&cli.sni, cli.no_sni) {
            (Some(name), _) => {
                rustls::pki_types::ServerName::try_from(name.as_str())
                    .with_context(|| format!("invalid --sni '{name}'"))?;
                Sni::Name(name.to_ascii_lowercase())
            }
            (None, true) => Sni::Off,
            (None, false) => Sni::FromTarget,
        };

        let keylog_path = cli.keylog.clone().or_else(|| {
            std::env::var_os("SSLKEYLOGFILE")
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from)
        });
        let keylog = match keylog_path {
            Some(path) => {
                Some(Arc::new(KeyLogFile::open(&path).with_context(|| {
                    format!("cannot open the key log {}", path.display())
                })?))
            }
            None => None,
        };

        let client_cert = match (&cli.cert, &cli.key) {
            (Some(cert), Some(key)) => Some(Arc::new(load_client_cert(cert, key)?)),
            _ => None,
        };

        Ok(Options {
            targets,
            output: Output {
                json: cli.json,
                pem: cli.pem,
                color: cli.color,
                verbose: cli.verbose,
            },
            probe: ProbeSettings {
                provider: Arc::new(rustls::crypto::aws_lc_rs::default_provider()),
                roots,
                offer: Offer {
                    versions,
                    alpn,
                    sni: !matches!(sni, Sni::Off),
                },
                sni,
                timeout,
                keylog,
                keep_records: cli.verbose >= 2 && !cli.json,
                client_cert,
                min_days: cli.min_days,
                warn_days: cli.warn_days,
            },
        })
    }
}

/// Read `--cert` and `--key`, and check that they belong together.
fn load_client_cert(cert: &Path, key: &Path) -> Result<ClientCert> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot read --cert {}", cert.display()))?;
    if chain.is_empty() {
        bail!("--cert {} holds no certificate", cert.display());
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("cannot read --key {}", key.display()))?;
    let signer = rustls::crypto::aws_lc_rs::sign::any_supported_type(&key_der)
        .with_context(|| format!("unsupported key in --key {}", key.display()))?;
    let certified = rustls::sign::CertifiedKey::new(chain.clone(), signer);
    certified.keys_match().with_context(|| {
        format!(
            "--key {} does not match --cert {}",
            key.display(),
            cert.display()
        )
    })?;
    Ok(ClientCert {
        chain,
        key: key_der,
    })
}
