//! `openssl s_server` on the loopback interface, as an independent TLS peer.
//!
//! Synchronisation without sleeps: with `-accept 127.0.0.1:0` the kernel picks a free port and
//! s_server prints `ACCEPT 127.0.0.1:<port>` once it listens (OpenSSL 3.0 does), so there is no
//! window in which another process could take the port. A thread reads stdout; the test waits
//! for that line with a deadline, or for s_server to exit, and then reports what it said.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::fixtures::Chain;

/// How long s_server may take to start listening.
const START_LIMIT: Duration = Duration::from_secs(20);

/// A running `openssl s_server`, killed on drop.
pub struct SServer {
    child: Child,
    pub addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl SServer {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What s_server printed so far (stdout and stderr), for failure messages.
    pub fn log(&self) -> String {
        self.log.lock().expect("lock").clone()
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `openssl s_server` on 127.0.0.1 serving `chain` with extra arguments (e.g. `-tls1_2`),
/// and return once it listens.
pub fn s_server(chain: &Chain, extra: &[&str]) -> SServer {
    s_server_at("127.0.0.1:0", chain, extra)
}

/// Like [`s_server`], listening on `accept` (`127.0.0.1:0`, `[::1]:0`).
pub fn s_server_at(accept: &str, chain: &Chain, extra: &[&str]) -> SServer {
    let mut cmd = Command::new("openssl");
    // No -naccept: a scan makes many connections, and Drop ends the server anyway.
    cmd.args(["s_server", "-accept", accept])
        .arg("-cert")
        .arg(&chain.leaf_pem);
    // s_server refuses an empty chain file.
    if std::fs::metadata(&chain.rest_pem).is_ok_and(|m| m.len() > 0) {
        cmd.arg("-cert_chain").arg(&chain.rest_pem);
    }
    // stdin stays open (piped, never written): with stdin at EOF, s_server drops every
    // connection as soon as it is accepted, before the handshake ends.
    let mut child = cmd
        .arg("-key")
        .arg(&chain.key_pem)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl s_server (is openssl installed?)");
    let log = Arc::new(Mutex::new(String::new()));

    let stderr = child.stderr.take().expect("stderr");
    let err_log = log.clone();
    let stderr_done = thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut log = err_log.lock().expect("lock");
            log.push_str(&line);
            log.push('\n');
        }
    });

    let stdout = child.stdout.take().expect("stdout");
    let out_log = log.clone();
    let (tx, rx) = mpsc::channel::<Option<String>>();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut sent = false;
        let mut line = String::new();
        // Keep draining after ACCEPT so that s_server never blocks on a full pipe.
        while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
            out_log.lock().expect("lock").push_str(&line);
            if !sent {
                if let Some(addr) = line.trim().strip_prefix("ACCEPT ") {
                    let _ = tx.send(Some(addr.to_string()));
                    sent = true;
                }
            }
            line.clear();
        }
        let _ = reader.read_to_end(&mut Vec::new());
        // EOF before ACCEPT: s_server exited.
        let _ = tx.send(None);
    });

    let addr = match rx.recv_timeout(START_LIMIT) {
        Ok(Some(addr)) => addr,
        Ok(None) => {
            let status = child.wait().ok();
            let _ = stderr_done.join();
            panic!(
                "openssl s_server {extra:?} exited ({status:?}) before listening:\n{}",
                log.lock().expect("lock")
            );
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "openssl s_server {extra:?} did not listen within {START_LIMIT:?}:\n{}",
                log.lock().expect("lock")
            );
        }
    };
    let addr: SocketAddr = addr
        .parse()
        .unwrap_or_else(|e| panic!("ACCEPT line {addr:?} holds no address: {e}"));
    SServer { child, addr, log }
}

/// `openssl s_client -connect 127.0.0.1:PORT ARGS` run to its end, its stdin at EOF (so it
/// ends once the handshake is over): its exit status and output.
pub fn s_client_run(port: u16, args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("openssl s_client")
}
