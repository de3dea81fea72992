//! OpenLDAP slapd 2.5 (Debian's slapd, built on GnuTLS): `slapd.conf` with the core schema and
//! an empty mdb database, in the foreground, StartTLS on the plain LDAP port.

use std::process::{Command, Stdio};

use super::{free_port, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// How slapd is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// No TLS lines: StartTLS is answered with protocolError, "unsupported extended operation".
    NoTls,
    /// `TLSVerifyClient demand`: GnuTLS hangs up on a client without a certificate, without an
    /// alert (TLS 1.3 after our Finished).
    ClientCertRequired,
}

pub fn start(chain: &Chain, ca_pem: &std::path::Path, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("db")).expect("mkdir");
    let port = free_port();
    let mut conf = format!(
        "include /etc/ldap/schema/core.schema\npidfile {d}/slapd.pid\n\
         modulepath /usr/lib/ldap\nmoduleload back_mdb\n",
        d = d.display()
    );
    if variant != Variant::NoTls {
        conf.push_str(&format!(
            "TLSCertificateFile {}\nTLSCertificateKeyFile {}\nTLSCACertificateFile {}\n",
            chain.chain_pem.display(),
            chain.key_pem.display(),
            ca_pem.display()
        ));
    }
    if variant == Variant::ClientCertRequired {
        conf.push_str("TLSVerifyClient demand\n");
    }
    conf.push_str(&format!(
        "database mdb\nsuffix \"dc=test\"\nrootdn \"cn=admin,dc=test\"\ndirectory {}/db\n",
        d.display()
    ));
    let file = write(d, "slapd.conf", &conf);
    let log = d.join("slapd.log");
    let out = std::fs::File::create(&log).expect("log");
    let mut child = Command::new("slapd")
        .arg("-f")
        .arg(&file)
        .arg("-h")
        .arg(format!("ldap://127.0.0.1:{port}/"))
        .args(["-d", "stats"])
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start slapd (is slapd installed?)");
    let logs = vec![log];
    wait_listening(&mut child, "slapd", port, &logs);
    Daemon {
        name: "slapd",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: None,
    }
}
