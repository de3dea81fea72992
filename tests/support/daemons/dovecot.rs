//! Dovecot 2.3 (Debian's dovecot-imapd, -pop3d, -managesieved, -lmtpd): one instance with its
//! own base and state directories, IMAP, POP3, ManageSieve and LMTP on 127.0.0.1, each with
//! STARTTLS. Its base, state and log are in the [`Daemon`]'s directory and its instance name is
//! its own, so instances run side by side. Starting (all four ports listening) takes about
//! 0.05 to 0.1 s.
//!
//! `Daemon::port` is IMAP; `more_ports` are `pop3`, `sieve` and `lmtp`. What each [`Variant`]
//! does on the wire, seen with `openssl s_client -starttls imap|pop3|sieve|lmtp`, is written at
//! the variant.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{free_port, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How the instance is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// STARTTLS on all four; TLS 1.2 and 1.3 (Dovecot's `ssl_min_protocol = TLSv1.2`).
    /// A ClientHello without TLS 1.2 or 1.3 is answered with no alert: dovecot hangs up.
    Normal,
    /// `ssl = no`: no STARTTLS (STLS) in the greeting's or CAPABILITY's, CAPA's, ManageSieve's
    /// or LHLO's list, and the command is answered in plaintext, the session going on:
    /// IMAP `a BAD TLS support isn't enabled.`, POP3 `-ERR TLS support isn't enabled.`,
    /// ManageSieve `NO "TLS support isn't enabled."`, LMTP `502 5.5.1 TLS support is not
    /// enabled.`
    NoTls,
    /// `ssl_verify_client_cert`, `ssl_ca` and `auth_ssl_require_client_cert`: a
    /// CertificateRequest naming `CN=tlsprobe test root`. Without a client certificate the
    /// handshake completes, in TLS 1.3 and 1.2 alike, and nothing is said until a login: IMAP
    /// `LOGIN` gets `NO [ALERT] Client didn't present valid SSL certificate`, POP3 `PASS`
    /// (after `USER`'s `+OK`) `-ERR [AUTH] Client didn't present valid SSL certificate`,
    /// ManageSieve `AUTHENTICATE` `NO "Client didn't present valid SSL certificate"`, and the
    /// connection stays open; LMTP, which has no login, goes on as if nothing was asked. (The
    /// `ClientCertRequired` of the other daemons: Dovecot cannot refuse the handshake itself.)
    ClientCertRequested,
    /// TLS 1.0 only, on all four. Dovecot 2.3 has `ssl_min_protocol` but no maximum: the
    /// maximum comes from an OpenSSL configuration file of the instance's own (`MaxProtocol =
    /// TLSv1`, security level 0), which the login processes read through `import_environment
    /// = OPENSSL_CONF=...`. A ClientHello whose `legacy_version` allows 1.0 gets a TLS 1.0
    /// ServerHello (refused by a client that wants 1.2); one that lists only TLS 1.3 is
    /// answered with no alert: dovecot hangs up.
    Tls10Only,
}

/// Start dovecot serving `chain` on four ports of its own; `ca_pem` is the CA that client
/// certificates must chain to (only [`Variant::ClientCertRequested`] uses it). Panics, with
/// dovecot's logs, when a port does not listen within [`super::START_LIMIT`].
pub fn start(chain: &Chain, ca_pem: &Path, variant: Variant) -> Daemon {
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
    match variant {
        Variant::ClientCertRequested => conf.push_str(&format!(
            "ssl_ca = <{}\nssl_verify_client_cert = yes\nauth_ssl_require_client_cert = yes\n",
            ca_pem.display()
        )),
        Variant::Tls10Only => {
            let openssl = write(d, "openssl.cnf", TLS10_ONLY_OPENSSL_CNF);
            conf.push_str(&format!(
                "ssl_min_protocol = TLSv1\n\
                 ssl_cipher_list = ALL:@SECLEVEL=0\n\
                 import_environment = $import_environment OPENSSL_CONF={}\n",
                openssl.display()
            ));
        }
        Variant::Normal | Variant::NoTls => {}
    }
    let file = write(d, "dovecot.conf", &conf);
    let out = std::fs::File::create(d.join("dovecot.out")).expect("log");
    let child = Command::new("dovecot")
        .arg("-F")
        .arg("-c")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        // Its own process group, with every process it starts (auth, config, log, the login
        // and protocol processes): the guard ends them all with one SIGKILL to the group.
        .process_group(0)
        .spawn()
        .expect("start dovecot (is dovecot-core installed?)");
    let logs = vec![d.join("dovecot.log"), d.join("dovecot.out")];
    let mut stop = Command::new("kill");
    stop.args(["-KILL", "--", &format!("-{}", child.id())]);
    // The guard first, so that a daemon that never listens is stopped too.
    let mut daemon = Daemon {
        name: "dovecot",
        child,
        port: imap,
        more_ports: vec![("pop3", pop3), ("sieve", sieve), ("lmtp", lmtp)],
        dir,
        logs,
        stop: Some(stop),
    };
    for port in [imap, pop3, sieve, lmtp] {
        wait_listening(&mut daemon.child, "dovecot", port, &daemon.logs);
    }
    daemon
}

/// OpenSSL's configuration for [`Variant::Tls10Only`]: every SSL_CTX of the process (libssl
/// reads `OPENSSL_CONF` when it initialises) allows TLS 1.0 and nothing newer.
const TLS10_ONLY_OPENSSL_CNF: &str = "\
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
MaxProtocol = TLSv1
CipherString = ALL:@SECLEVEL=0
";
