//! `gnutls-serv` (Debian package gnutls-bin) as a third, independent TLS peer.
//!
//! gnutls-serv has no option for the address it listens on, so it listens on every interface;
//! the tests only ever connect to 127.0.0.1. Synchronisation without sleeps or a guessed free
//! port: it is started on port 0, prints "...listening on IPv4 ... done" once it listens, and
//! the port the kernel gave it is read from its listening socket in /proc (Linux), so no other
//! process can take the port in between.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::fixtures::Chain;

/// How long gnutls-serv may take to start listening.
const START_LIMIT: Duration = Duration::from_secs(20);

/// A running `gnutls-serv`, killed on drop.
pub struct GnutlsServ {
    child: Child,
    pub addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl GnutlsServ {
    /// What gnutls-serv printed so far, for failure messages.
    pub fn log(&self) -> String {
        self.log.lock().expect("lock").clone()
    }
}

impl Drop for GnutlsServ {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `gnutls-serv --echo` serving `chain` (leaf and rest in one file) with extra
/// arguments (`--priority ...`), and return once it listens on IPv4.
pub fn gnutls_serv(chain: &Chain, extra: &[&str]) -> GnutlsServ {
    let mut cmd = Command::new("gnutls-serv");
    cmd.args(["--port", "0", "--echo"]);
    // No certificate request unless the test asks for one (the two options conflict).
    if !extra.contains(&"--require-client-cert") {
        cmd.arg("--disable-client-cert");
    }
    let mut child = cmd
        .arg("--x509certfile")
        .arg(&chain.chain_pem)
        .arg("--x509keyfile")
        .arg(&chain.key_pem)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gnutls-serv (install the Debian package gnutls-bin)");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel::<bool>();
    // gnutls-serv 3.7 says it listens on stderr; read both streams alike.
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    watch(stdout, log.clone(), tx.clone());
    watch(stderr, log.clone(), tx);

    let listening = rx.recv_timeout(START_LIMIT);
    let port = match listening {
        Ok(true) => listening_port(child.id()),
        _ => None,
    };
    let Some(port) = port else {
        let _ = child.kill();
        let status = child.wait().ok();
        panic!(
            "gnutls-serv {extra:?} did not listen within {START_LIMIT:?} ({listening:?}, {status:?}):\n{}",
            log.lock().expect("lock")
        );
    };
    GnutlsServ {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        log,
    }
}

/// Copy `stream` into `log` line by line, and send `true` once it says it listens on IPv4,
/// `false` at its end. It keeps draining after that, so gnutls-serv never blocks on a full
/// pipe.
fn watch(stream: impl Read + Send + 'static, log: Arc<Mutex<String>>, tx: mpsc::Sender<bool>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut sent = false;
        let mut line = String::new();
        while matches!(reader.read_line(&mut line), Ok(n) if n > 0) {
            log.lock().expect("lock").push_str(&line);
            if !sent && line.contains("listening on IPv4") && line.contains("done") {
                let _ = tx.send(true);
                sent = true;
            }
            line.clear();
        }
        let _ = reader.read_to_end(&mut Vec::new());
        let _ = tx.send(false);
    });
}

/// The port of the IPv4 socket that process `pid` listens on: its socket inodes, looked up in
/// /proc/net/tcp (state 0A is LISTEN; the local address is hex `ADDR:PORT`).
fn listening_port(pid: u32) -> Option<u16> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()?
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_str()?;
            Some(
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .to_string(),
            )
        })
        .collect();
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|row| {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let (local, state, inode) = (cols.get(1)?, cols.get(3)?, cols.get(9)?);
        if *state != "0A" || !inodes.iter().any(|i| i == inode) {
            return None;
        }
        u16::from_str_radix(local.rsplit(':').next()?, 16).ok()
    })
}
