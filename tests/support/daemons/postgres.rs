//! PostgreSQL 15 (Debian's postgresql-15): `initdb` and `postgres` as the postgres user, in a
//! directory of its own, TLS on the TCP port.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use super::{free_port, must, wait_listening, Daemon};
use crate::support::fixtures::Chain;

const BIN: &str = "/usr/lib/postgresql/15/bin";

/// How the server is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// `ssl = off`: it answers 'N' to SSLRequest.
    SslOff,
    /// `ssl_min_protocol_version = 'TLSv1.3'`.
    Tls13Only,
}

/// Give `path` to the postgres user.
fn chown(path: &std::path::Path) {
    must(
        Command::new("chown")
            .arg("-R")
            .arg("postgres:postgres")
            .arg(path),
    );
}

pub fn start(chain: &Chain, variant: Variant) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::copy(&chain.chain_pem, root.join("server.pem")).expect("copy the chain");
    std::fs::copy(&chain.key_pem, root.join("server.key")).expect("copy the key");
    std::fs::set_permissions(
        root.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod the key");
    let data = root.join("data");
    chown(root);
    must(
        Command::new("setpriv")
            .args(["--reuid=postgres", "--regid=postgres", "--init-groups"])
            .arg(format!("{BIN}/initdb"))
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(&data),
    );
    let port = free_port();
    let ssl = match variant {
        Variant::SslOff => "off",
        _ => "on",
    };
    let mut conf = format!(
        "listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{dir}'\n\
         ssl = {ssl}\nssl_cert_file = '{dir}/server.pem'\nssl_key_file = '{dir}/server.key'\n",
        dir = root.display()
    );
    if variant == Variant::Tls13Only {
        conf.push_str("ssl_min_protocol_version = 'TLSv1.3'\n");
    }
    let conf_path = data.join("postgresql.conf");
    let mut all = std::fs::read_to_string(&conf_path).expect("read postgresql.conf");
    all.push_str(&conf);
    std::fs::write(&conf_path, all).expect("write postgresql.conf");
    chown(root);
    let log = root.join("postgres.log");
    let log_file = std::fs::File::create(&log).expect("log");
    let mut child = Command::new("setpriv")
        .args(["--reuid=postgres", "--regid=postgres", "--init-groups"])
        .arg(format!("{BIN}/postgres"))
        .arg("-D")
        .arg(&data)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log"))
        .stderr(log_file)
        .spawn()
        .expect("start postgres (is postgresql-15 installed?)");
    let logs = vec![log];
    wait_listening(&mut child, "postgres", port, &logs);
    let mut stop = Command::new("setpriv");
    stop.args(["--reuid=postgres", "--regid=postgres", "--init-groups"])
        .arg(format!("{BIN}/pg_ctl"))
        .args(["stop", "-m", "immediate", "-D"])
        .arg(&data);
    Daemon {
        name: "postgres",
        child,
        port,
        more_ports: Vec::new(),
        dir,
        logs,
        stop: Some(stop),
    }
}
