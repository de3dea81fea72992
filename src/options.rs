//! Turn the parsed command line into validated settings. Every local mistake (a bad target, an
//! unreadable --ca-file, a nonsensical timeout) is found here, before any probe starts.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::time::Duration;

use anyhow::{bail, Result};

use crate::cli::{Cli, ColorWhen, Format};
use crate::keylog::KeyLogFile;
use crate::net::{Credentials, NoProxy, Proxy};
use crate::probe::{ConnectTo, Exchange, ProbeSettings, Sni};
use crate::target::{Target, DEFAULT_PORT};
use crate::tls::{ClientCert, Offer};
use crate::verify::Roots;
use crate::wire::names::{cipher_suite_name, group_name};
use clap::ValueEnum;
use rustls::crypto::CryptoProvider;

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    /// Append the served chain as PEM to the text view (`--pem`).
    pub pem: bool,
    pub color: ColorWhen,
    pub verbose: u8,
    /// What is drawn of each report when not `json`.
    pub view: View,
    /// Columns the text view wraps at ([`crate::terminal_width::detect`]).
    pub width: usize,
}

/// The picture of each report that the text output draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The report: summary, chain, timeline (more of each with `-v`).
    Full,
    /// One line a target: several targets without `-v`.
    OneLine,
    /// The report with the handshake as a ladder (`--ladder`).
    Ladder,
    /// A Mermaid sequenceDiagram (`--format mermaid`).
    Mermaid,
}

/// Everything a run needs, validated.
pub struct Options {
    /// The targets given as arguments, in order.
    pub targets: Vec<Target>,
    /// Then the targets read from this file (`-`: standard input), one per line, streamed.
    pub targets_file: Option<std::path::PathBuf>,
    /// The port of a target that names none.
    pub default_port: u16,
    /// `--shard K/N`: only this share of the targets (arguments and lines alike).
    pub shard: Option<crate::shard::Shard>,
    pub concurrency: usize,
    pub output: Output,
    pub probe: ProbeSettings,
}

/// The longest `--timeout` accepted: a day. Longer is almost surely a typo (milliseconds?).
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

impl Options {
    /// Validate the parsed command line and build the settings, in two stages as ripgrep's
    /// `lowargs` -> `hiargs`: each option is checked on its own first (in the order a user
    /// would read them, so the first error named is the first one given), then the pieces are
    /// put together.
    pub fn from_cli(cli: Cli) -> Result<Options> {
        let default_port = cli.starttls.map_or(DEFAULT_PORT, |p| p.default_port());
        let (targets, targets_file) = targets(&cli, default_port)?;
        let format = format(&cli)?;
        // A list of targets (more than one, or a file of them) is a table unless -v asks for
        // each report in full.
        // (Counted before --shard takes its share: a share of a list is a list.)
        let several = cli.targets.len() > 1 || targets_file.is_some();
        let view = match format {
            Format::Mermaid => View::Mermaid,
            _ if cli.ladder => View::Ladder,
            _ if several && cli.verbose == 0 => View::OneLine,
            _ => View::Full,
        };
        if !(1..=4096).contains(&cli.concurrency) {
            bail!("invalid --concurrency {}: give 1 to 4096", cli.concurrency);
        }
        let timeout = timeout(cli.timeout)?;
        let roots = match (&cli.ca_file, cli.system_roots) {
            (Some(path), _) => Roots::from_pem_file(path, timeout)?,
            (None, true) => Roots::system()?,
            (None, false) => Roots::mozilla(),
        };
        let crls = Arc::new(crate::verify::crls::load(&cli.crl_file, timeout)?);
        let versions = match (cli.tls12, cli.tls13) {
            (true, false) => vec![&rustls::version::TLS12],
            (false, true) => vec![&rustls::version::TLS13],
            _ => vec![&rustls::version::TLS13, &rustls::version::TLS12],
        };
        let alpn = alpn(&cli.alpn)?;
        let sni = sni(&cli)?;
        let keylog = keylog(&cli)?;
        let pcap = match &cli.pcap {
            Some(path) => Some(Arc::new(
                crate::capture::PcapSink::open(path, cli.keylog_unsafe)
                    .map_err(|e| anyhow::anyhow!(e))?,
            )),
            None => None,
        };
        let client_cert = match (&cli.cert, &cli.key) {
            (Some(cert), Some(key)) => Some(Arc::new(load_client_cert(cert, key, timeout)?)),
            _ => None,
        };
        let policy = match &cli.policy {
            Some(given) => Some(Arc::new(
                crate::policy::Policy::load(given, timeout).map_err(|e| anyhow::anyhow!(e))?,
            )),
            None => None,
        };
        let provider = Arc::new(provider_for(&cli.cipher_suites, &cli.groups)?);
        let connect_to = cli.connect_to.as_deref().map(connect_to).transpose()?;
        let (proxy, proxy_source) = proxy_choice(&cli)?;
        let no_proxy = no_proxy(&cli);
        let exchange = match (&cli.send, cli.http) {
            (Some(data), _) => Some(Exchange::Send(unescape(data)?)),
            (None, true) => Some(Exchange::Http),
            (None, false) => None,
        };
        let offer = Offer {
            versions,
            alpn,
            sni: !matches!(sni, Sni::Off),
        };
        // Every probe builds this configuration: find a mismatch (e.g. --tls1.3 with only TLS 1.2
        // suites) now, as a usage error, rather than in every report.
        if !provider.cipher_suites.iter().any(|s| {
            offer
                .versions
                .iter()
                .any(|v| v.version == s.version().version)
        }) {
            bail!(
                "no cipher suite of --cipher-suites is one of {}: give a suite of that version, or offer both versions",
                if cli.tls13 { "TLS 1.3's (--tls1.3)" } else { "TLS 1.2's (--tls1.2)" }
            );
        }
        crate::tls::client_config(&provider, &offer, None, client_cert.as_deref(), false)
            .map_err(|e| anyhow::anyhow!("these options cannot make a TLS client: {e}"))?;

        Ok(Options {
            targets,
            targets_file,
            default_port,
            shard: cli.shard.clone(),
            concurrency: cli.concurrency,
            output: Output {
                json: format == Format::Json,
                pem: cli.pem,
                color: cli.color,
                verbose: cli.verbose,
                view,
                width: crate::terminal_width::detect(),
            },
            probe: ProbeSettings {
                signature_algorithms: crate::verify::signature_cache::remembering(
                    crate::verify::pss::signature_algorithms(&provider),
                )
                .into(),
                provider,
                roots,
                crls,
                offer,
                sni,
                timeout,
                keylog,
                pcap,
                keep_records: cli.verbose >= 2 && format == Format::Text,
                client_cert,
                pins: crate::pins::Pins::parse(&cli.pin).map_err(|e| anyhow::anyhow!(e))?,
                ct_logs: match &cli.ct_log_list {
                    Some(path) => Some(Arc::new(
                        crate::ct::LogList::load(path, timeout).map_err(|e| anyhow::anyhow!(e))?,
                    )),
                    None => None,
                },
                min_days: cli.min_days,
                warn_days: cli.warn_days,
                starttls: cli.starttls,
                starttls_name: cli.starttls_name.clone(),
                connect_to,
                proxy,
                family: match (cli.ipv4, cli.ipv6) {
                    (true, _) => Some(crate::net::Family::V4),
                    (_, true) => Some(crate::net::Family::V6),
                    _ => None,
                },
                all_addresses: cli.all_addresses,
                proxy_source,
                no_proxy,
                exchange,
                insecure: cli.insecure,
                reconnect: cli.reconnect,
                // A policy judges what the scan finds.
                scan: (cli.scan || policy.is_some()).then_some(cli.concurrency),
                policy,
            },
        })
    }
}

/// The targets named on the command line, and where more come from: `--targets-file`, or
/// standard input when one of the targets is `-`.
fn targets(cli: &Cli, default_port: u16) -> Result<(Vec<Target>, Option<std::path::PathBuf>)> {
    let stdin_args = cli.targets.iter().filter(|t| *t == "-").count();
    let targets_file = match (&cli.targets_file, stdin_args) {
        (Some(_), 1..) => {
            bail!("give targets on standard input ('-') or with --targets-file, not both")
        }
        (None, 2..) => bail!("'-' (standard input) can be given once"),
        (Some(f), _) => Some(f.clone()),
        (None, 1) => Some(std::path::PathBuf::from("-")),
        (None, _) => None,
    };
    let targets = cli
        .targets
        .iter()
        .filter(|t| *t != "-")
        .map(|t| Target::parse(t, default_port))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|t| cli.shard.as_ref().is_none_or(|s| s.keeps(&t.to_string())))
        .collect();
    Ok((targets, targets_file))
}

/// `--format`, or `--json` (the same as `--format json`); `--ladder` only where text is drawn.
pub fn format(cli: &Cli) -> Result<Format> {
    let name = |f: Format| {
        f.to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_string())
    };
    let format = match (cli.json, cli.format) {
        (true, Some(f)) if f != Format::Json => {
            bail!(
                "--json is --format json: give --json or --format {}, not both",
                name(f)
            )
        }
        (true, _) => Format::Json,
        (false, f) => f.unwrap_or(Format::Text),
    };
    if cli.ladder && format != Format::Text {
        bail!(
            "--ladder draws the text view: it does not go with --format {}",
            name(format)
        );
    }
    Ok(format)
}

/// `--timeout`: also how long a FIFO given as a local file may take to deliver.
pub fn timeout(secs: f64) -> Result<Duration> {
    if !(secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
        bail!("invalid --timeout {secs}: give seconds, more than 0 and at most {MAX_TIMEOUT_SECS}");
    }
    Ok(Duration::from_secs_f64(secs))
}

fn alpn(protocols: &[String]) -> Result<Vec<Vec<u8>>> {
    protocols
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 255 {
                bail!("invalid --alpn protocol '{p}': each must be 1 to 255 bytes");
            }
            Ok(p.as_bytes().to_vec())
        })
        .collect()
}

fn sni(cli: &Cli) -> Result<Sni> {
    Ok(match (&cli.sni, cli.no_sni) {
        (Some(name), _) => {
            let invalid = || anyhow::anyhow!("invalid --sni '{name}': give a DNS name");
            let name = crate::target::a_label_form(name).map_err(|_| invalid())?;
            rustls::pki_types::ServerName::try_from(name.as_str()).map_err(|_| invalid())?;
            Sni::Name(name)
        }
        (None, true) => Sni::Off,
        (None, false) => Sni::FromTarget,
    })
}

/// `--keylog FILE`, or else `SSLKEYLOGFILE` when it is set and not empty (curl's and the
/// browsers' convention); held to the same checks (see `keylog.rs`) either way.
fn keylog(cli: &Cli) -> Result<Option<Arc<KeyLogFile>>> {
    let path = cli.keylog.clone().or_else(|| {
        std::env::var_os("SSLKEYLOGFILE")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    });
    let Some(path) = path else {
        return Ok(None);
    };
    let from_env = cli.keylog.is_none();
    let file = KeyLogFile::open(&path, cli.keylog_unsafe).map_err(|e| {
        anyhow::anyhow!(
            "{e}{}",
            if from_env {
                " (from SSLKEYLOGFILE)"
            } else {
                ""
            }
        )
    })?;
    Ok(Some(Arc::new(file)))
}

/// The environment variables that name a proxy when `--proxy` does not, in curl's order for
/// an https:// URL.
pub const PROXY_VARIABLES: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];

/// The proxy to use and where it was named: `--proxy` ("option"; `--proxy ''` is none, and
/// the environment is not read), else the first of [`PROXY_VARIABLES`] set and not empty.
fn proxy_choice(cli: &Cli) -> Result<(Option<Proxy>, &'static str)> {
    if let Some(given) = cli.proxy.as_deref() {
        if given.is_empty() {
            return Ok((None, "option"));
        }
        return Ok((Some(proxy(given, cli.proxy_user.as_deref())?), "option"));
    }
    for name in PROXY_VARIABLES {
        let Some(value) = std::env::var(name).ok().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let p = proxy(value.trim(), None).map_err(|e| anyhow::anyhow!("{e} (from {name})"))?;
        return Ok((Some(p), name));
    }
    Ok((None, "option"))
}

/// `--noproxy`, else `no_proxy`, else `NO_PROXY`.
fn no_proxy(cli: &Cli) -> NoProxy {
    let list = cli.noproxy.clone().or_else(|| {
        ["no_proxy", "NO_PROXY"]
            .into_iter()
            .find_map(|name| std::env::var(name).ok())
    });
    list.as_deref().map(NoProxy::parse).unwrap_or_default()
}

/// `--proxy`, with its credentials from `--proxy-user`, else the URL's, else
/// `TLSPROBE_PROXY_USER` (so that they need not be in the process list).
fn proxy(s: &str, user: Option<&str>) -> Result<Proxy> {
    let mut proxy = Proxy::parse(s)?;
    let from_env = || {
        std::env::var("TLSPROBE_PROXY_USER")
            .ok()
            .filter(|v| !v.is_empty())
    };
    match user {
        Some(u) => proxy.credentials = Some(Credentials::parse(u)),
        None if proxy.credentials.is_none() => {
            proxy.credentials = from_env().as_deref().map(Credentials::parse);
        }
        None => {}
    }
    Ok(proxy)
}

fn connect_to(s: &str) -> Result<ConnectTo> {
    Target::parse(s, 0)
        .map(|t| ConnectTo {
            host: t.host,
            port: (t.port != 0).then_some(t.port),
        })
        .map_err(|e| anyhow::anyhow!("invalid --connect-to '{s}': {}", e.reason))
}

/// Read `--cert` and `--key` (each within the local file budget, a FIFO within `wait`), and
/// check that they belong together.
fn load_client_cert(cert: &Path, key: &Path, wait: Duration) -> Result<ClientCert> {
    let cert_pem = crate::local_file::read(cert, wait)
        .map_err(|e| anyhow::anyhow!("cannot read --cert {}: {e}", cert.display()))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            let why = crate::pem_error::describe(&e, &cert_pem);
            anyhow::anyhow!("cannot read --cert {}: {why}", cert.display())
        })?;
    if chain.is_empty() {
        bail!("--cert {} holds no certificate", cert.display());
    }
    let key_pem = crate::local_file::read(key, wait)
        .map_err(|e| anyhow::anyhow!("cannot read --key {}: {e}", key.display()))?;
    let key_der = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        let why = crate::pem_error::describe_key(&e, &key_pem);
        anyhow::anyhow!("cannot use --key {}: {why}", key.display())
    })?;
    let signer = rustls::crypto::aws_lc_rs::sign::any_supported_type(&key_der)
        .map_err(|_| {
            anyhow::anyhow!(
                "cannot use --key {}: not a key tlsprobe can sign with (RSA, ECDSA P-256/P-384/P-521, Ed25519)",
                key.display()
            )
        })?;
    let certified = rustls::sign::CertifiedKey::new(chain.clone(), signer);
    match certified.keys_match() {
        Ok(()) => {}
        Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => bail!(
            "--key {} does not belong to --cert {}: the key is not the one the certificate was issued for",
            key.display(),
            cert.display()
        ),
        // The key's type cannot tell (rustls knows no public key for it): it may still work.
        Err(_) => {}
    }
    Ok(ClientCert {
        chain,
        key: key_der,
    })
}

/// aws-lc-rs's provider, cut down to `--cipher-suites` and `--groups` (IANA names, any case).
fn provider_for(suites: &[String], groups: &[String]) -> Result<CryptoProvider> {
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    if !suites.is_empty() {
        let all = provider.cipher_suites.clone();
        provider.cipher_suites = pick(
            suites,
            &all,
            |s| cipher_suite_name(u16::from(s.suite())),
            "--cipher-suites",
        )?;
    }
    if !groups.is_empty() {
        let all = provider.kx_groups.clone();
        provider.kx_groups = pick(
            groups,
            &all,
            |g| group_name(u16::from(g.name())),
            "--groups",
        )?;
    }
    Ok(provider)
}

/// The items of `all` named by `wanted`, in the order wanted.
fn pick<T: Clone>(
    wanted: &[String],
    all: &[T],
    name: impl Fn(&T) -> std::borrow::Cow<'static, str>,
    option: &str,
) -> Result<Vec<T>> {
    wanted
        .iter()
        .map(|w| {
            all.iter()
                .find(|x| name(x).eq_ignore_ascii_case(w.trim()))
                .cloned()
                .ok_or_else(|| {
                    let known: Vec<String> = all.iter().map(|x| name(x).into_owned()).collect();
                    anyhow::anyhow!(
                        "{option}: unknown or unsupported '{w}'; supported: {}",
                        known.join(", ")
                    )
                })
        })
        .collect()
}

/// `--send` data with its escapes: \r \n \t \0 \\ \xHH. A bad escape is named with its place
/// (the character it starts at, counted from 1).
fn unescape(s: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let at = i + 1;
        match chars.next().map(|(_, c)| c) {
            Some('r') => out.push(b'\r'),
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let mut hex = String::new();
                while hex.len() < 2 {
                    match chars.next_if(|(_, c)| c.is_ascii_hexdigit()) {
                        Some((_, c)) => hex.push(c),
                        None => break,
                    }
                }
                if hex.len() < 2 {
                    let seen: String = chars.clone().take(2 - hex.len()).map(|(_, c)| c).collect();
                    bail!(
                        "invalid --send escape '\\x{hex}{seen}' at character {at}: \\x takes two hex digits, e.g. \\x0a"
                    );
                }
                // Two ASCII hex digits: always a byte.
                out.push(u8::from_str_radix(&hex, 16).unwrap_or_default());
            }
            Some(other) => bail!(
                "invalid --send escape '\\{other}' at character {at}: use \\r \\n \\t \\0 \\\\ or \\xHH"
            ),
            None => bail!(
                "--send ends in a lone '\\' (character {at}): write \\\\ for a backslash"
            ),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_escapes() {
        assert_eq!(
            unescape("GET / HTTP/1.0\\r\\n\\r\\n").unwrap(),
            b"GET / HTTP/1.0\r\n\r\n"
        );
        assert_eq!(unescape("a\\x41\\\\\\t").unwrap(), b"aA\\\t");
        assert!(unescape("bad\\q").is_err());
        assert_eq!(
            unescape("hello\\xZZ").unwrap_err().to_string(),
            "invalid --send escape '\\xZZ' at character 6: \\x takes two hex digits, e.g. \\x0a"
        );
        assert_eq!(
            unescape("a\\x4").unwrap_err().to_string(),
            "invalid --send escape '\\x4' at character 2: \\x takes two hex digits, e.g. \\x0a"
        );
        assert!(unescape("end\\").is_err());
    }
}
