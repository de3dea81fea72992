//! Postfix 3.7 (Debian's postfix): a configuration directory of its own, `postfix check` to
//! make the queue, then `master -s` in the foreground; one smtpd on 127.0.0.1 with STARTTLS.

use std::process::{Command, Stdio};

use super::{free_port, must, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How smtpd is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// `smtpd_tls_protocols = >=TLSv1.3`.
    Tls13Only,
    /// TLS 1.0 only, with OpenSSL's security level 0 (which TLS 1.0 needs).
    Tls10Only,
    /// `smtpd_tls_security_level = none`: STARTTLS is not offered.
    NoTls,
    /// `smtpd_tls_req_ccert = yes`: the handshake completes, and the next command is refused
    /// with 421 when no client certificate came.
    ClientCertRequired,
}

/// The services master needs besides smtpd (from Debian's master.cf, without chroot).
const SERVICES: &str = "\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
";

pub fn start(chain: &Chain, ca_pem: &std::path::Path, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let conf = root.join("conf");
    for sub in ["conf", "queue", "data"] {
        std::fs::create_dir(root.join(sub)).expect("mkdir");
    }
    let port = free_port();
    let level = match variant {
        Variant::NoTls => "none",
        Variant::ClientCertRequired => "encrypt",
        _ => "may",
    };
    let mut main = format!(
        "compatibility_level = 3.6\n\
         queue_directory = {d}/queue\n\
         data_directory = {d}/data\n\
         mail_owner = postfix\n\
         setgid_group = postdrop\n\
         inet_interfaces = 127.0.0.1\n\
         inet_protocols = ipv4\n\
         myhostname = mail.test\n\
         mydestination =\n\
         alias_maps =\n\
         alias_database =\n\
         maillog_file = {d}/maillog\n\
         maillog_file_prefixes = {d}\n\
         smtpd_tls_security_level = {level}\n\
         smtpd_tls_cert_file = {cert}\n\
         smtpd_tls_key_file = {key}\n\
         smtpd_tls_loglevel = 1\n",
        d = root.display(),
        cert = chain.chain_pem.display(),
        key = chain.key_pem.display(),
    );
    match variant {
        Variant::Tls13Only => main.push_str(
            "smtpd_tls_protocols = >=TLSv1.3\nsmtpd_tls_mandatory_protocols = >=TLSv1.3\n",
        ),
        Variant::Tls10Only => main.push_str(
            "smtpd_tls_protocols = TLSv1, !TLSv1.1, !TLSv1.2, !TLSv1.3\n\
             smtpd_tls_mandatory_protocols = TLSv1, !TLSv1.1, !TLSv1.2, !TLSv1.3\n\
             smtpd_tls_ciphers = low\ntls_low_cipherlist = ALL:@SECLEVEL=0\n",
        ),
        Variant::ClientCertRequired => main.push_str(&format!(
            "smtpd_tls_ask_ccert = yes\nsmtpd_tls_req_ccert = yes\nsmtpd_tls_CAfile = {}\n",
            ca_pem.display()
        )),
        _ => {}
    }
    write(&conf, "main.cf", &main);
    write(
        &conf,
        "master.cf",
        &format!("127.0.0.1:{port} inet n - n - - smtpd\n{SERVICES}"),
    );
    must(Command::new("postfix").arg("-c").arg(&conf).arg("check"));
    must(
        Command::new("chown")
            .arg("-R")
            .arg("postfix")
            .arg(root.join("data")),
    );
    let out = std::fs::File::create(root.join("master.out")).expect("log");
    let mut child = Command::new("/usr/lib/postfix/sbin/master")
        .arg("-c")
        .arg(&conf)
        .arg("-s")
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start postfix's master (is postfix installed?)");
    let logs = vec![root.join("maillog"), root.join("master.out")];
    wait_listening(&mut child, "postfix", port, &logs);
    // master's children (smtpd, qmgr, ...) go with it: `postfix stop` ends them all.
    let mut stop = Command::new("postfix");
    stop.arg("-c").arg(&conf).arg("stop");
    Daemon {
        name: "postfix",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: Some(stop),
    }
}
