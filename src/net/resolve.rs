use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, OnceLock};
use std::thread;

use super::NetError;
use crate::deadline::Deadline;
use crate::report::ErrorKind;

/// A question for the resolver pool, and where to send the answer.
type Job = ((String, u16), Sender<std::io::Result<Vec<SocketAddr>>>);

/// Resolver threads, started on first use and shared by every probe of the run.
const RESOLVERS: usize = 8;

/// Resolve `host` to every address it has, bounded by `deadline`.
///
/// The system resolver (getaddrinfo) cannot be given a timeout, so it runs on a small pool of
/// threads and we stop waiting at the deadline; a late answer is dropped. A resolver stuck on
/// a dead DNS server holds one pool thread until getaddrinfo gives up, and later questions
/// wait their turn within their own deadlines.
pub fn resolve(host: &str, port: u16, deadline: Deadline) -> Result<Vec<SocketAddr>, NetError> {
    let (tx, rx) = mpsc::channel();
    let timeout = || NetError {
        kind: ErrorKind::Timeout,
        message: format!("no DNS answer for {host} within the timeout"),
        hint: Some("check the resolver (/etc/resolv.conf) or raise --timeout".into()),
    };
    let queued = pool()
        .lock()
        .map_err(|_| timeout())?
        .send(((host.to_string(), port), tx));
    if queued.is_err() {
        return Err(NetError {
            kind: ErrorKind::Other,
            message: "the resolver is not running".into(),
            hint: None,
        });
    }
    let left = deadline.remaining().ok_or_else(timeout)?;
    match rx.recv_timeout(left) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(not_found(host, "no addresses")),
        Ok(Err(e)) => Err(not_found(host, &e.to_string())),
        Err(_) => Err(timeout()),
    }
}

fn pool() -> &'static Mutex<Sender<Job>> {
    static POOL: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        for i in 0..RESOLVERS {
            let rx = rx.clone();
            // A thread that cannot start leaves the others to serve.
            let _ = thread::Builder::new()
                .name(format!("resolve-{i}"))
                .spawn(move || serve(&rx));
        }
        Mutex::new(tx)
    })
}

fn serve(jobs: &Mutex<Receiver<Job>>) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((query, reply)) = job else { return };
        let result = query.to_socket_addrs().map(|a| a.collect::<Vec<_>>());
        let _ = reply.send(result);
    }
}

fn not_found(host: &str, why: &str) -> NetError {
    NetError {
        kind: ErrorKind::Dns,
        message: format!("cannot resolve {host}: {why}"),
        hint: Some("check the spelling of the host name, or give an IP address".into()),
    }
}
