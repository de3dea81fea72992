//! vsftpd 3.0 (Debian's vsftpd): one process in the foreground on one port, explicit FTPS
//! (AUTH TLS) for anonymous users. vsftpd asks every client for a certificate (a
//! CertificateRequest), and goes on without one unless [`Variant::RequireCert`]. Its
//! configuration and logs are in the [`Daemon`]'s directory, so instances run side by side.
//! Starting takes about 0.02 to 0.05 s.
//!
//! What each [`Variant`] does on the wire, seen with `openssl s_client -starttls ftp`, is written
//! at the variant.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{free_port, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How vsftpd is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// AUTH TLS (`234 Proceed with negotiation.`), then TLS 1.2 or 1.3 with a
    /// CertificateRequest naming no CA; a client without a certificate goes on.
    Normal,
    /// `ssl_enable=NO`: FEAT lists no AUTH, and `AUTH TLS` is answered in plaintext `530
    /// Please login with USER and PASS.`, the session going on.
    NoTls,
    /// `require_cert=YES`, `validate_cert=YES`, `ca_certs_file`: a CertificateRequest naming
    /// `CN=tlsprobe test root`. A client without a certificate gets, in TLS 1.3, a handshake
    /// that completes on its side, then the alert certificate_required; in TLS 1.2 the fatal
    /// alert handshake_failure in place of the server's Finished. Either way the alert is
    /// followed by a plaintext `500 OOPS: error:0A0000C7:SSL routines::peer did not return a
    /// certificate` and a reset (RST).
    RequireCert,
    /// `implicit_ssl=YES`: TLS from the first byte (FTPS on 990-style ports), no AUTH TLS.
    Implicit,
}

/// Start vsftpd serving `chain` on a port of its own; `ca_pem` is the CA that client
/// certificates must chain to (only [`Variant::RequireCert`] uses it). Panics, with vsftpd's
/// output, when it does not listen within [`super::START_LIMIT`].
pub fn start(chain: &Chain, ca_pem: &Path, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("empty")).expect("mkdir");
    let port = free_port();
    let ssl = if variant == Variant::NoTls {
        "NO"
    } else {
        "YES"
    };
    // Debian's default `ssl_ciphers` is ECDHE-RSA-AES256-GCM-SHA384 alone: with an ECDSA key
    // nothing but TLS 1.3 could be negotiated (a TLS 1.2 ClientHello got handshake_failure).
    let mut conf = format!(
        "listen=YES\nlisten_address=127.0.0.1\nlisten_port={port}\nbackground=NO\n\
         seccomp_sandbox=NO\nanonymous_enable=YES\nlocal_enable=NO\n\
         secure_chroot_dir={d}/empty\nssl_enable={ssl}\nallow_anon_ssl=YES\n\
         require_ssl_reuse=NO\nrsa_cert_file={cert}\nrsa_private_key_file={key}\n\
         vsftpd_log_file={d}/vsftpd.log\nxferlog_enable=YES\nssl_tlsv1=YES\n\
         ssl_ciphers=HIGH\n",
        d = d.display(),
        cert = chain.chain_pem.display(),
        key = chain.key_pem.display(),
    );
    match variant {
        Variant::RequireCert => conf.push_str(&format!(
            "require_cert=YES\nvalidate_cert=YES\nca_certs_file={}\n",
            ca_pem.display()
        )),
        Variant::Implicit => conf.push_str("implicit_ssl=YES\n"),
        Variant::Normal | Variant::NoTls => {}
    }
    let file = write(d, "vsftpd.conf", &conf);
    let out = std::fs::File::create(d.join("vsftpd.out")).expect("log");
    let child = Command::new("vsftpd")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        // Its own process group, with the two processes of each session it forks: the guard
        // ends them all with one SIGKILL to the group.
        .process_group(0)
        .spawn()
        .expect("start vsftpd (is vsftpd installed?)");
    let logs = vec![d.join("vsftpd.log"), d.join("vsftpd.out")];
    let mut stop = Command::new("kill");
    stop.args(["-KILL", "--", &format!("-{}", child.id())]);
    // The guard first, so that a daemon that never listens is stopped too.
    let mut daemon = Daemon {
        name: "vsftpd",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: Some(stop),
    };
    wait_listening(&mut daemon.child, "vsftpd", port, &daemon.logs);
    daemon
}
