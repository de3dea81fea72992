//! vsftpd 3.0 (Debian's vsftpd): one process in the foreground on one port, explicit FTPS
//! (AUTH TLS) for anonymous users. vsftpd asks every client for a certificate.

use std::process::{Command, Stdio};

use super::{free_port, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How vsftpd is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// `ssl_enable=NO`: AUTH TLS is refused.
    NoTls,
    /// `require_cert=YES`: a client without a certificate gets the alert certificate_required
    /// (TLS 1.3), then a plaintext `500 OOPS`.
    RequireCert,
}

pub fn start(chain: &Chain, ca_pem: &std::path::Path, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("empty")).expect("mkdir");
    let port = free_port();
    let ssl = if variant == Variant::NoTls {
        "NO"
    } else {
        "YES"
    };
    let mut conf = format!(
        "listen=YES\nlisten_address=127.0.0.1\nlisten_port={port}\nbackground=NO\n\
         seccomp_sandbox=NO\nanonymous_enable=YES\nlocal_enable=NO\n\
         secure_chroot_dir={d}/empty\nssl_enable={ssl}\nallow_anon_ssl=YES\n\
         require_ssl_reuse=NO\nrsa_cert_file={cert}\nrsa_private_key_file={key}\n\
         vsftpd_log_file={d}/vsftpd.log\nxferlog_enable=YES\nssl_tlsv1=YES\n",
        d = d.display(),
        cert = chain.chain_pem.display(),
        key = chain.key_pem.display(),
    );
    if variant == Variant::RequireCert {
        conf.push_str(&format!(
            "require_cert=YES\nvalidate_cert=YES\nca_certs_file={}\n",
            ca_pem.display()
        ));
    }
    let file = write(d, "vsftpd.conf", &conf);
    let out = std::fs::File::create(d.join("vsftpd.out")).expect("log");
    let mut child = Command::new("vsftpd")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start vsftpd (is vsftpd installed?)");
    let logs = vec![d.join("vsftpd.log"), d.join("vsftpd.out")];
    wait_listening(&mut child, "vsftpd", port, &logs);
    Daemon {
        name: "vsftpd",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: None,
    }
}
