//! Postfix 3.7 (Debian's postfix): a configuration directory of its own, the queue's directories
//! made as `postfix check` would make them, then `master -s` in the foreground; one smtpd on
//! 127.0.0.1 with STARTTLS (`smtpd_tls_security_level = may`, as on a submission port).
//! Everything (configuration, queue, data, `maillog`, `master.out`) is in the [`Daemon`]'s
//! directory, so instances run side by side. Starting takes about 0.03 s. (`postfix check`
//! itself runs over a hundred commands, 0.5 to 2 s, and a main.cf written just now costs
//! another 2 s: see `start`.)
//!
//! What each [`Variant`] does on the wire, seen with `openssl s_client -starttls smtp`, is
//! written at the variant.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use super::{free_port, must, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How smtpd is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// STARTTLS offered; TLS 1.2 and 1.3.
    Normal,
    /// `smtpd_tls_protocols` and `smtpd_tls_mandatory_protocols` `>=TLSv1.3`: a ClientHello
    /// without TLS 1.3 gets the fatal alert protocol_version.
    Tls13Only,
    /// TLS 1.0 only (`smtpd_tls_ciphers = low`, `tls_low_cipherlist = ALL:@SECLEVEL=0`: TLS
    /// 1.0's SHA-1 signatures need level 0). A ClientHello whose `legacy_version` allows 1.0
    /// (openssl's `-tls1_2`, or any that also lists 1.3 in supported_versions) gets a TLS 1.0
    /// ServerHello, which such a client then refuses; one that lists only TLS 1.3 gets the
    /// fatal alert protocol_version. `openssl s_client -tls1 -cipher DEFAULT@SECLEVEL=0`
    /// connects.
    Tls10Only,
    /// `smtpd_tls_security_level = none`: EHLO lists no STARTTLS, and `STARTTLS` is answered
    /// `502 5.5.1 Error: command not implemented` (in plaintext, the session goes on).
    NoTls,
    /// `smtpd_tls_req_ccert = yes` (with `smtpd_tls_ask_ccert`, and level `encrypt`, which it
    /// needs): a CertificateRequest naming `CN=tlsprobe test root`. Without a client
    /// certificate the handshake completes, in TLS 1.3 and in 1.2 alike (no alert); the first
    /// command after it (e.g. the new EHLO) is answered in TLS `421 4.7.1 mail.test Error: No
    /// client certificate presented`, then a close_notify and a hang-up.
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

/// The queue's directories, owned and protected as Debian's `postfix-files` has them (what
/// `postfix check` would make, in a fraction of its time), and the data directory.
fn make_queue(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let queue = root.join("queue");
    let mut owned = vec![root.join("data")];
    for (sub, mode) in [
        ("active", 0o700),
        ("bounce", 0o700),
        ("corrupt", 0o700),
        ("defer", 0o700),
        ("deferred", 0o700),
        ("flush", 0o700),
        ("hold", 0o700),
        ("incoming", 0o700),
        ("private", 0o700),
        ("saved", 0o700),
        ("trace", 0o700),
        ("maildrop", 0o730),
        ("public", 0o710),
        ("pid", 0o755),
    ] {
        let path = queue.join(sub);
        std::fs::create_dir(&path).expect("mkdir");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        if sub != "pid" {
            owned.push(path);
        }
    }
    // The group matters for maildrop and public only, and is harmless on the others.
    must(Command::new("chown").arg("postfix:postdrop").args(&owned));
}

/// Start postfix serving `chain` on a port of its own (`Daemon::port`); `ca_pem` is the CA
/// that client certificates must chain to (only [`Variant::ClientCertRequired`] uses it).
/// Panics, with postfix's logs, when it does not listen within [`super::START_LIMIT`].
pub fn start(chain: &Chain, ca_pem: &Path, variant: Variant) -> Daemon {
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
    let main = write(&conf, "main.cf", &main);
    // Postfix reads a main.cf changed in the last second or two again and again, 0.3 s apart,
    // until it "cools down" (dict_load_file): dated a minute back, it is read once.
    std::fs::File::options()
        .write(true)
        .open(&main)
        .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(60)))
        .expect("date main.cf back");
    write(
        &conf,
        "master.cf",
        &format!("127.0.0.1:{port} inet n - n - - smtpd\n{SERVICES}"),
    );
    make_queue(root);
    let out = std::fs::File::create(root.join("master.out")).expect("log");
    let child = Command::new("/usr/lib/postfix/sbin/master")
        .arg("-c")
        .arg(&conf)
        .arg("-s")
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start postfix's master (is postfix installed?)");
    let logs = vec![root.join("maillog"), root.join("master.out")];
    // master makes itself a process group leader (setsid), and its children (smtpd, qmgr,
    // tlsmgr, ...) stay in its group: one SIGKILL to the group ends them all at once. (`postfix
    // stop` does not wait, and the guard's SIGKILL to master right after it could beat master's
    // own SIGTERM to its children.)
    let mut stop = Command::new("kill");
    stop.args(["-KILL", "--", &format!("-{}", child.id())]);
    // The guard first, so that a daemon that never listens is stopped too.
    let mut daemon = Daemon {
        name: "postfix",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: Some(stop),
    };
    wait_listening(&mut daemon.child, "postfix", port, &daemon.logs);
    daemon
}
