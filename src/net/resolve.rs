use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;

use super::NetError;
use crate::deadline::Deadline;
use crate::report::ErrorKind;

/// Resolve `host` to every address it has, bounded by `deadline`.
///
/// The system resolver (getaddrinfo) cannot be given a timeout, so it runs on its own thread and
/// we stop waiting at the deadline; a late answer is dropped with the thread.
pub fn resolve(host: &str, port: u16, deadline: Deadline) -> Result<Vec<SocketAddr>, NetError> {
    let (tx, rx) = mpsc::channel();
    let query = (host.to_string(), port);
    thread::Builder::new()
        .name("resolve".into())
        .spawn(move || {
            let result = query.to_socket_addrs().map(|a| a.collect::<Vec<_>>());
            let _ = tx.send(result);
        })
        .map_err(|e| NetError {
            kind: ErrorKind::Other,
            message: format!("cannot start the resolver: {e}"),
            hint: None,
        })?;
    let timeout = || NetError {
        kind: ErrorKind::Timeout,
        message: format!("no DNS answer for {host} within the timeout"),
        hint: Some("check the resolver (/etc/resolv.conf) or raise --timeout".into()),
    };
    let left = deadline.remaining().ok_or_else(timeout)?;
    match rx.recv_timeout(left) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(not_found(host, "no addresses")),
        Ok(Err(e)) => Err(not_found(host, &e.to_string())),
        Err(_) => Err(timeout()),
    }
}

fn not_found(host: &str, why: &str) -> NetError {
    NetError {
        kind: ErrorKind::Dns,
        message: format!("cannot resolve {host}: {why}"),
        hint: Some("check the spelling of the host name, or give an IP address".into()),
    }
}
