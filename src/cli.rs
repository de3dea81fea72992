//! Command-line definitions only. Turned into validated settings by `options.rs`; also the
//! source of `man/tlsprobe.1` and `completions/` (see `tests/generated.rs`).

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

/// Inspect a TLS handshake: every message, the negotiated parameters, the certificate chain
/// and whether it is trusted (and if not, why).
#[derive(Debug, Parser)]
#[command(
    name = "tlsprobe",
    version,
    about,
    after_help = "TARGET is host, host:port, [v6addr]:port, v4addr:port or https://host[:port]/...; \
the port defaults to 443.\n\n\
Exit status: 0 handshake done and chain verified; 1 verification or a requested check failed; \
2 usage or local configuration error; 3 could not reach the TLS layer (DNS, connect); \
4 the TLS handshake failed.\n\n\
Examples:\n  tlsprobe example.com\n  tlsprobe --json example.com:8443 | jq .verification\n  \
tlsprobe --ca-file root.pem localhost:4433\n  tlsprobe --ladder example.com\n  \
tlsprobe --format mermaid example.com > handshake.mmd\n  tlsprobe --targets-file hosts.txt\n  \
tlsprobe cert server.pem\n\n\
In CI: tlsprobe --min-days 21 example.com exits 1 (status checks_failed) when the leaf or an \
intermediate expires within 21 days.\n\n\
A host named \"cert\" is probed with its port or a trailing dot: tlsprobe cert:443, tlsprobe cert.",
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Servers to probe: host, host:port, [v6addr]:port, v4addr:port or https://host[:port]/path;
    /// `-` reads targets from standard input, one per line
    #[arg(value_name = "TARGET", required_unless_present = "targets_file")]
    pub targets: Vec<String>,

    /// Read targets from FILE, one per line (`#` starts a comment); `-` is standard input
    #[arg(long, value_name = "FILE")]
    pub targets_file: Option<PathBuf>,

    /// Probe only share K of N of the targets (1 <= K <= N), chosen by a hash of each target,
    /// so that N runs (machines, batch jobs) together probe each target exactly once
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    pub shard: Option<crate::shard::Shard>,

    /// How many targets to probe at once; reports still come in input order
    #[arg(
        long,
        value_name = "N",
        default_value_t = 16,
        allow_negative_numbers = true
    )]
    pub concurrency: usize,

    /// Speak this protocol's plaintext preamble first (default port: the protocol's)
    #[arg(long, value_enum, value_name = "PROTO")]
    pub starttls: Option<crate::net::starttls::Protocol>,

    /// The name the preamble gives: the EHLO/LHLO name, the XMPP `to` (default: the server name)
    #[arg(long, value_name = "NAME", requires = "starttls", value_parser = starttls_name)]
    pub starttls_name: Option<String>,

    /// Connect over IPv4 only (curl's -4)
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Connect over IPv6 only (curl's -6)
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,

    /// Probe every address the name resolves to (after -4/-6), one report each, in the order
    /// resolved: a backend behind the name that serves another certificate shows. A target
    /// reached through a proxy is probed once
    #[arg(long)]
    pub all_addresses: bool,

    /// Connect to ADDR[:PORT] instead, but send SNI and verify for TARGET
    #[arg(long, value_name = "ADDR[:PORT]")]
    pub connect_to: Option<String>,

    /// Tunnel through a proxy: host:port or http://host:port (HTTP CONNECT), socks5://host:port
    /// (the target resolved here) or socks5h://host:port (resolved by the proxy). Credentials in
    /// the URL work, but --proxy-user keeps them out of the process list. Without it,
    /// https_proxy, HTTPS_PROXY, all_proxy or ALL_PROXY (as curl); '' for none
    #[arg(long, value_name = "PROXY")]
    pub proxy: Option<String>,

    /// The proxy's user and password (HTTP Basic or SOCKS5 user/password); TLSPROBE_PROXY_USER
    /// is read when neither this nor the --proxy URL gives them. Never printed
    #[arg(long, value_name = "USER:PASSWORD", requires = "proxy")]
    pub proxy_user: Option<String>,

    /// Hosts to reach directly, not through the proxy: comma-separated names (each with its
    /// subdomains), IP addresses, CIDR ranges, or * for all; instead of no_proxy/NO_PROXY
    #[arg(long, value_name = "LIST")]
    pub noproxy: Option<String>,

    /// Print one JSON object per target (or file), one per line (JSON Lines): --format json
    #[arg(long, global = true)]
    pub json: bool,

    /// text: for a person (several targets: one line each, the full report with -v); json: as
    /// --json; mermaid: each handshake as a Mermaid sequenceDiagram, for a ticket or a wiki
    #[arg(long, value_enum, value_name = "FORMAT", global = true)]
    pub format: Option<Format>,

    /// Text mode: draw the handshake as a ladder between a client and a server column, an
    /// arrow a message (═ encrypted on the wire, ─ in the clear)
    #[arg(long)]
    pub ladder: bool,

    /// When to colour text output (NO_COLOR is honoured under auto)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN", global = true)]
    pub color: ColorWhen,

    /// Server name to send (SNI) and to verify the certificate for [default: the target host; none for an IP]
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,

    /// Send no server name (the certificate is still verified for the target host)
    #[arg(long)]
    pub no_sni: bool,

    /// Trust the roots in this PEM file instead of the built-in Mozilla roots
    #[arg(long, value_name = "PEM", conflicts_with = "system_roots")]
    pub ca_file: Option<PathBuf>,

    /// Trust the operating system's root store instead of the built-in Mozilla roots
    #[arg(long)]
    pub system_roots: bool,

    /// Check the chain against these certificate revocation lists (PEM or DER); repeatable
    #[arg(long, value_name = "FILE")]
    pub crl_file: Vec<PathBuf>,

    /// Client certificate chain to present when the server asks (PEM, leaf first)
    #[arg(long, value_name = "PEM", requires = "key")]
    pub cert: Option<PathBuf>,

    /// Private key of --cert (PEM: PKCS#8, PKCS#1 or SEC1)
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Fail (exit 1, status checks_failed) when the leaf or an intermediate expires in fewer
    /// than N days: the check for CI
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub min_days: Option<u32>,

    /// Warn (expires_soon) when a certificate expires in fewer than N days
    #[arg(
        long,
        value_name = "N",
        default_value_t = 30,
        allow_negative_numbers = true
    )]
    pub warn_days: u32,

    /// Also print the served chain as PEM (text mode; the JSON has it in certificates[].pem)
    #[arg(long)]
    pub pem: bool,

    /// Offer only TLS 1.2
    #[arg(long = "tls1.2", conflicts_with = "tls13")]
    pub tls12: bool,

    /// Offer only TLS 1.3
    #[arg(long = "tls1.3")]
    pub tls13: bool,

    /// Offer these ALPN protocols, comma separated (e.g. h2,http/1.1)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub alpn: Vec<String>,

    /// Offer only these cipher suites (IANA names, comma separated)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub cipher_suites: Vec<String>,

    /// Offer only these key-exchange groups, in this order (e.g. X25519MLKEM768,X25519,secp256r1)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub groups: Vec<String>,

    /// After the handshake, send DATA (escapes: \r \n \t \\ \xHH) and show the answer
    #[arg(long, value_name = "DATA", conflicts_with = "http")]
    pub send: Option<String>,

    /// After the handshake, send an HTTP GET and show the status line and security headers
    #[arg(long)]
    pub http: bool,

    /// Send --send / --http data even when the chain failed verification
    #[arg(long)]
    pub insecure: bool,

    /// Connect a second time and report whether the session was resumed, and what it cost
    #[arg(long)]
    pub reconnect: bool,

    /// Also find out what the server accepts: protocol versions from SSL 3.0 to TLS 1.3, the
    /// cipher suites of each in the server's order, key-exchange groups, and findings
    #[arg(long)]
    pub scan: bool,

    /// Fail (exit 1, status checks_failed) unless the server follows this policy:
    /// mozilla-modern, mozilla-intermediate or mozilla-old (Mozilla's Server Side TLS 5.7), or
    /// a policy FILE of your own (JSON, see the README). Each rule is a check; implies --scan
    #[arg(long, value_name = "NAME|FILE", value_hint = clap::ValueHint::FilePath)]
    pub policy: Option<String>,

    /// Bound on the whole probe of one target, in seconds; also how long a FIFO given as an input
    /// file (--ca-file, --cert, cert FILE, ...) may take to deliver
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 10.0,
        global = true,
        allow_negative_numbers = true
    )]
    pub timeout: f64,

    /// Pass only when a certificate on the verified path (or in the file, for cert) has one of
    /// these public-key pins, curl's --pinnedpubkey syntax: sha256//BASE64[;sha256//BASE64...]
    /// (the pin-sha256 that cert shows); repeatable. A miss is status checks_failed, exit 1
    #[arg(long, value_name = "sha256//BASE64", global = true)]
    pub pin: Vec<String>,

    /// Judge each SCT with the logs of FILE, the v3 log list CT log operators publish (Chrome's
    /// log_list.json, Apple's): the log's name and operator, and whether its signature holds
    #[arg(long, value_name = "FILE", global = true)]
    pub ct_log_list: Option<PathBuf>,

    /// Append the TLS secrets to FILE in NSS key log format, for Wireshark (created mode 0600;
    /// an existing FILE must be a regular file of ours that no one else may read);
    /// SSLKEYLOGFILE is honoured too
    #[arg(long, value_name = "FILE")]
    pub keylog: Option<PathBuf>,

    /// Write secrets (the key log, a --pcap capture) even to a file other users can read, one
    /// that is not ours, a symlink, a FIFO or a device
    #[arg(long)]
    pub keylog_unsafe: bool,

    /// Write each probe's connection to FILE as pcapng, with the TLS secrets inside: Wireshark
    /// opens it decrypted with no key log (created mode 0600; one section per target). PATH/
    /// or a directory: one file per target, named host_port.pcapng
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,

    /// Text mode: each message with its key fields and the full chain (several targets: the
    /// full report for each); -vv adds every field of every message and a hex dump of each record
    #[arg(short = 'v', long = "trace", action = ArgAction::Count)]
    pub verbose: u8,
}

/// Subcommands. A bare word is a target unless it is one of these.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect local certificate files (PEM or DER) through the same view as a probe, like
    /// `openssl x509 -text`
    Cert {
        /// Certificate files: PEM (one or more certificates) or DER; - reads standard input
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,

        /// More detail: each extension's OID, the SCT log IDs, policy statements, the PEM
        #[arg(short = 'v', long = "verbose", action = ArgAction::Count)]
        verbose: u8,
    },
    /// Verify certificate chain files offline with the probe's verifier, like `openssl verify`:
    /// the first certificate of the first CHAIN file is the leaf, the rest are as a server would
    /// send them
    Verify(VerifyArgs),
}

/// `tlsprobe verify` options.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Chain files (PEM with one or more certificates, or DER), leaf first
    #[arg(value_name = "CHAIN", required = true)]
    pub chain: Vec<PathBuf>,

    /// Trust the roots in this PEM file instead of the built-in Mozilla roots
    #[arg(long, value_name = "PEM", conflicts_with = "system_roots")]
    pub ca_file: Option<PathBuf>,

    /// Trust the operating system's root store instead of the built-in Mozilla roots
    #[arg(long)]
    pub system_roots: bool,

    /// More certificates that may be used to build the path (PEM), as if the server sent them
    #[arg(long, value_name = "PEM")]
    pub untrusted: Vec<PathBuf>,

    /// The name the leaf must be valid for: a DNS name, an IP address, or (with --purpose
    /// client) an email address; without it the name is not checked
    #[arg(long, value_name = "NAME_OR_IP")]
    pub host: Option<String>,

    /// Validate at this moment instead of now (RFC 3339, e.g. 2026-01-31T12:00:00Z)
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,

    /// What the leaf must be allowed to do: identify a TLS server, or a TLS client
    #[arg(long, value_enum, default_value_t = Purpose::Server, value_name = "PURPOSE")]
    pub purpose: Purpose,

    /// Certificate revocation lists (PEM or DER) to check the path against; repeatable
    #[arg(long, value_name = "FILE")]
    pub crl_file: Vec<PathBuf>,

    /// Warn (expires_soon) when a certificate expires in fewer than N days
    #[arg(
        long,
        value_name = "N",
        default_value_t = 30,
        allow_negative_numbers = true
    )]
    pub warn_days: u32,
}

/// `--purpose` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Purpose {
    Server,
    Client,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Mermaid,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// `--starttls-name`: a name to put in a command line, so nothing that could end or split it.
fn starttls_name(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > 255 {
        return Err("give a name of 1 to 255 characters".into());
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'\'' && b != b'<' && b != b'>')
    {
        return Err(
            "give a host name: letters, digits and punctuation, no spaces or quotes".into(),
        );
    }
    Ok(s.to_string())
}
