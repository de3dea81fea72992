//! Real servers from Debian's packages, started by the tests on 127.0.0.1 in temporary
//! directories (no init system: see `../shared/DAEMONS.md`), each serving certificates the
//! tests made. A [`Daemon`] stops its server when dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// How long a daemon may take to listen after it is started.
pub const START_LIMIT: Duration = Duration::from_secs(60);

/// A running server: its process, the port its TLS (or STARTTLS) service listens on, and the
/// temporary directory holding its configuration, data and log.
pub struct Daemon {
    pub name: &'static str,
    pub child: Child,
    pub port: u16,
    /// Further ports of the same server (e.g. dovecot's POP3 beside IMAP), by service name.
    pub more_ports: Vec<(&'static str, u16)>,
    pub dir: tempfile::TempDir,
    /// Files worth showing when a test fails (the server's own logs).
    pub logs: Vec<PathBuf>,
    /// Run on drop, before the process is killed (e.g. `pg_ctl stop`), if set.
    pub stop: Option<Command>,
}

impl Daemon {
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A further port by service name; panics if the daemon has none of that name.
    pub fn port_of(&self, service: &str) -> u16 {
        self.more_ports
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, p)| *p)
            .unwrap_or_else(|| panic!("{} has no {service} port", self.name))
    }

    /// The server's logs, for a failing test's message.
    pub fn log(&self) -> String {
        self.logs
            .iter()
            .map(|p| {
                format!(
                    "== {}\n{}",
                    p.display(),
                    std::fs::read_to_string(p).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.as_mut() {
            let _ = stop.stdout(Stdio::null()).stderr(Stdio::null()).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on 127.0.0.1 below the kernel's ephemeral range (32768-60999), so that no
/// outgoing connection of another test takes it between now and the daemon's bind. Ports are
/// handed out once per test process, starting from a point that differs between processes.
pub fn free_port() -> u16 {
    const FIRST: u16 = 20_000;
    const SPAN: u16 = 12_000;
    static NEXT: AtomicU16 = AtomicU16::new(u16::MAX);
    let _ = NEXT.compare_exchange(
        u16::MAX,
        (std::process::id() % 400) as u16 * 30,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    // The ports wrap round within [FIRST, FIRST + SPAN): a process that starts near the top
    // still has the whole range, and asks for each port at most once.
    for _ in 0..SPAN {
        let offset = NEXT
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| Some((n + 1) % SPAN))
            .expect("the closure always gives a value");
        let port = FIRST + offset;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port left in {FIRST}..{}", FIRST + SPAN);
}

/// Wait until `port` accepts connections, or fail with the daemon's logs when its process
/// exits first or [`START_LIMIT`] passes. A connection attempt to a port nobody listens on is
/// refused at once, so this is a bounded poll of the kernel's answer, not a guess of time.
pub fn wait_listening(child: &mut Child, name: &str, port: u16, logs: &[PathBuf]) {
    let started = Instant::now();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "{name} exited ({status}) before listening on {port}:\n{}",
                show(logs)
            );
        }
        if started.elapsed() > START_LIMIT {
            panic!(
                "{name} did not listen on {port} within {START_LIMIT:?}:\n{}",
                show(logs)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn show(logs: &[PathBuf]) -> String {
    logs.iter()
        .map(|p| {
            format!(
                "== {}\n{}",
                p.display(),
                std::fs::read_to_string(p).unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Write `text` to `dir/name` and return the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// Run a set-up command to completion; panic with its output if it fails.
pub fn must(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (is its package installed?)"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{text}",
        out.status
    );
    text
}

pub mod dovecot;
pub mod mariadb;
pub mod postfix;
pub mod postgres;
pub mod prosody;
pub mod slapd;
pub mod vsftpd;
