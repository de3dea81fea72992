//! Prosody 0.12 (Debian's prosody): client-to-server and server-to-server ports with STARTTLS
//! for the host `localhost`, run as the prosody user (it refuses root), in the foreground.

use std::process::{Command, Stdio};

use super::{free_port, must, wait_listening, write, Daemon};
use crate::support::fixtures::Chain;

/// Start prosody serving `chain` for `localhost`; `more_ports` has `s2s`.
pub fn start(chain: &Chain) -> Daemon {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for sub in ["data", "certs"] {
        std::fs::create_dir(d.join(sub)).expect("mkdir");
    }
    // `certificates = DIR` finds HOST.crt and HOST.key there.
    std::fs::copy(&chain.chain_pem, d.join("certs/localhost.crt")).expect("copy the chain");
    std::fs::copy(&chain.key_pem, d.join("certs/localhost.key")).expect("copy the key");
    let (c2s, s2s) = (free_port(), free_port());
    let conf = format!(
        r#"pidfile = "{d}/prosody.pid"
data_path = "{d}/data"
log = {{ info = "{d}/prosody.log" }}
modules_enabled = {{ "tls"; "saslauth"; "dialback"; "disco" }}
c2s_ports = {{ {c2s} }}
c2s_interfaces = {{ "127.0.0.1" }}
s2s_ports = {{ {s2s} }}
s2s_interfaces = {{ "127.0.0.1" }}
c2s_direct_tls_ports = {{ }}
s2s_direct_tls_ports = {{ }}
certificates = "{d}/certs"
VirtualHost "localhost"
"#,
        d = d.display()
    );
    let file = write(d, "prosody.cfg.lua", &conf);
    must(Command::new("chown").arg("-R").arg("prosody").arg(d));
    let out = std::fs::File::create(d.join("prosody.out")).expect("log");
    let mut child = Command::new("setpriv")
        .args([
            "--reuid=prosody",
            "--regid=prosody",
            "--init-groups",
            "prosody",
            "-F",
        ])
        .arg("--config")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start prosody (is prosody installed?)");
    let logs = vec![d.join("prosody.log"), d.join("prosody.out")];
    wait_listening(&mut child, "prosody", c2s, &logs);
    wait_listening(&mut child, "prosody", s2s, &logs);
    Daemon {
        name: "prosody",
        child,
        port: c2s,
        more_ports: vec![("s2s", s2s)],
        dir,
        logs,
        stop: None,
    }
}
