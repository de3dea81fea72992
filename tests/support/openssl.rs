//! `openssl s_server` on 127.0.0.1, as an independent TLS peer.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::fixtures::Chain;

/// A running `openssl s_server`, killed on drop.
pub struct SServer {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `openssl s_server` serving `chain` with extra arguments (e.g. `-tls1_2`), and return
/// once it listens: it prints `ACCEPT <addr>` with the port the kernel chose for `-accept 0`.
pub fn s_server(chain: &Chain, extra: &[&str]) -> SServer {
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept", "127.0.0.1:0"])
        .arg("-cert")
        .arg(&chain.leaf_pem);
    // s_server refuses an empty chain file.
    if std::fs::metadata(&chain.rest_pem).is_ok_and(|m| m.len() > 0) {
        cmd.arg("-cert_chain").arg(&chain.rest_pem);
    }
    let mut child = cmd
        .arg("-key")
        .arg(&chain.key_pem)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server (is openssl installed?)");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("ACCEPT ") {
                let _ = tx.send(addr.trim().to_string());
                break;
            }
        }
        // Keep draining so s_server never blocks on a full pipe.
        for _ in lines {}
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("openssl s_server did not start listening");
    let addr: SocketAddr = addr.parse().expect("ACCEPT line holds an address");
    SServer { child, addr }
}
