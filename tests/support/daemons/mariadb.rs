//! MariaDB 10.11 (Debian's mariadb-server): `mariadb-install-db` into a data directory of its
//! own, then `mariadbd --no-defaults` in the foreground on 127.0.0.1.

use std::process::{Command, Stdio};

use super::{free_port, must, wait_listening, Daemon};
use crate::support::fixtures::Chain;

/// How the server is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// No certificate: the handshake packet lacks the CLIENT_SSL capability.
    NoTls,
}

pub fn start(chain: &Chain, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    must(
        Command::new("mariadb-install-db")
            .args(["--no-defaults", "--user=root", "--skip-test-db"])
            .arg(format!("--datadir={}/data", d.display())),
    );
    let port = free_port();
    let mut cmd = Command::new("mariadbd");
    cmd.arg("--no-defaults")
        .arg(format!("--datadir={}/data", d.display()))
        .arg(format!("--socket={}/mysqld.sock", d.display()))
        .arg(format!("--pid-file={}/mysqld.pid", d.display()))
        .arg(format!("--log-error={}/error.log", d.display()))
        .arg(format!("--port={port}"))
        .args(["--bind-address=127.0.0.1", "--user=root", "--skip-log-bin"]);
    if variant == Variant::Normal {
        cmd.arg(format!("--ssl-cert={}", chain.chain_pem.display()))
            .arg(format!("--ssl-key={}", chain.key_pem.display()));
    }
    let out = std::fs::File::create(d.join("mariadbd.out")).expect("log");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start mariadbd (is mariadb-server installed?)");
    let logs = vec![d.join("error.log"), d.join("mariadbd.out")];
    wait_listening(&mut child, "mariadbd", port, &logs);
    Daemon {
        name: "mariadb",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: None,
    }
}
