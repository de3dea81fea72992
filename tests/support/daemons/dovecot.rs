//! Dovecot 2.3 (Debian's dovecot-imapd, -pop3d, -managesieved, -lmtpd): one instance with its
//! own base and state directories, IMAP, POP3, ManageSieve and LMTP on 127.0.0.1, each with
//! STARTTLS.

use std::process::{Command, Stdio};

use super::{free_port, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How the instance is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// `ssl = no`: STARTTLS is refused or not offered.
    NoTls,
    /// `ssl_verify_client_cert` and `auth_ssl_require_client_cert`: a CertificateRequest in the
    /// handshake, which completes without a certificate (Dovecot refuses only at login).
    ClientCertRequested,
}

pub fn start(chain: &Chain, ca_pem: &std::path::Path, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (imap, pop3, sieve, lmtp) = (free_port(), free_port(), free_port(), free_port());
    let ssl = if variant == Variant::NoTls {
        "no"
    } else {
        "yes"
    };
    let mut conf = format!(
        r#"base_dir = {d}/run
state_dir = {d}/state
instance_name = tlsprobe-{imap}
log_path = {d}/dovecot.log
protocols = imap pop3 sieve lmtp
listen = 127.0.0.1
ssl = {ssl}
ssl_cert = <{cert}
ssl_key = <{key}
mail_location = mbox:{d}/mail:INBOX={d}/inbox
passdb {{
  driver = static
  args = password=test
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/home
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service managesieve-login {{
  inet_listener sieve {{
    address = 127.0.0.1
    port = {sieve}
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp}
  }}
}}
"#,
        d = d.display(),
        cert = chain.chain_pem.display(),
        key = chain.key_pem.display(),
    );
    if variant == Variant::ClientCertRequested {
        conf.push_str(&format!(
            "ssl_ca = <{}\nssl_verify_client_cert = yes\nauth_ssl_require_client_cert = yes\n",
            ca_pem.display()
        ));
    }
    let file = write(d, "dovecot.conf", &conf);
    let out = std::fs::File::create(d.join("dovecot.out")).expect("log");
    let mut child = Command::new("dovecot")
        .arg("-F")
        .arg("-c")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start dovecot (is dovecot-imapd installed?)");
    let logs = vec![d.join("dovecot.log"), d.join("dovecot.out")];
    for port in [imap, pop3, sieve, lmtp] {
        wait_listening(&mut child, "dovecot", port, &logs);
    }
    Daemon {
        name: "dovecot",
        child,
        port: imap,
        more_ports: vec![("pop3", pop3), ("sieve", sieve), ("lmtp", lmtp)],
        dir,
        logs,
        stop: None,
    }
}
