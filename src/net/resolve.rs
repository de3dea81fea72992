use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

use super::NetError;
use crate::deadline::Deadline;
use crate::event_loop::{self, oneshot};
use crate::report::ErrorKind;
use crate::shortage::Shortage;

/// A question for the resolver pool, and where to send the answer.
type Job = (
    (String, u16),
    event_loop::Sender<std::io::Result<Vec<SocketAddr>>>,
);

/// At most this many resolver threads, shared by every probe of the run. They are started
/// only as questions come that find every started one busy.
const RESOLVERS: usize = 8;

/// Resolve `host` to every address it has, bounded by `deadline`.
///
/// The system resolver (getaddrinfo) cannot be given a timeout, so it runs on a small pool of
/// threads and we stop waiting at the deadline; a late answer is dropped. A resolver stuck on
/// a dead DNS server holds one pool thread until getaddrinfo gives up, and later questions
/// wait their turn within their own deadlines. A name that getaddrinfo answers from
/// `/etc/hosts` ([`super::hosts_file`]) needs no network and no thread: it is resolved here.
pub async fn resolve(
    host: &str,
    port: u16,
    deadline: Deadline,
) -> Result<Vec<SocketAddr>, NetError> {
    if super::hosts_file::answers(host) {
        return answer(host, lookup(&(host.to_string(), port)));
    }
    let (tx, rx) = oneshot();
    let timeout = || {
        NetError {
        kind: ErrorKind::Timeout,
        message: format!("no DNS answer for {host} within the timeout"),
        hint: Some(format!(
            "{} did not answer in time: check this machine's network and its DNS settings, or raise --timeout",
            super::resolv_conf::resolvers()
        )),
    }
    };
    pool().ask(((host.to_string(), port), tx))?;
    deadline.remaining().ok_or_else(timeout)?;
    match event_loop::before(deadline.at(), rx).await {
        Some(Some(result)) => answer(host, result),
        // The resolver thread went away without an answer (it cannot: only if it panicked).
        Some(None) => Err(not_running()),
        None => Err(timeout()),
    }
}

/// getaddrinfo's answer for `host` as the probe reports it.
fn answer(
    host: &str,
    result: std::io::Result<Vec<SocketAddr>>,
) -> Result<Vec<SocketAddr>, NetError> {
    match result {
        Ok(addrs) if !addrs.is_empty() => Ok(addrs),
        Ok(_) => Err(not_found(host, "no addresses")),
        Err(e) => Err(match Shortage::of(&e) {
            // getaddrinfo could not open /etc/hosts or a socket to the DNS server.
            Some(shortage) => NetError::shortage(shortage),
            None => not_found(host, &e.to_string()),
        }),
    }
}

/// getaddrinfo, on this thread.
fn lookup(query: &(String, u16)) -> std::io::Result<Vec<SocketAddr>> {
    query
        .to_socket_addrs()
        .map(|a| a.collect::<Vec<_>>())
        .map_err(|e| short_of_files().unwrap_or(e))
}

/// The resolver threads: a queue of questions, and how many threads serve it.
struct Pool {
    queue: Mutex<Sender<Job>>,
    jobs: Arc<Mutex<Receiver<Job>>>,
    /// Threads started.
    threads: AtomicUsize,
    /// Questions asked and not yet answered (queued or being resolved).
    unanswered: Arc<AtomicUsize>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        Pool {
            queue: Mutex::new(tx),
            jobs: Arc::new(Mutex::new(rx)),
            threads: AtomicUsize::new(0),
            unanswered: Arc::new(AtomicUsize::new(0)),
        }
    })
}

impl Pool {
    /// Queue `job`, starting a thread for it when every started one is busy (up to
    /// [`RESOLVERS`]). Fails only when no thread could ever be started.
    fn ask(&self, job: Job) -> Result<(), NetError> {
        let waiting = self.unanswered.fetch_add(1, Ordering::SeqCst) + 1;
        let sent = self
            .queue
            .lock()
            .map_err(|_| not_running())?
            .send(job)
            .is_ok();
        if !sent {
            self.unanswered.fetch_sub(1, Ordering::SeqCst);
            return Err(not_running());
        }
        let threads = self.threads.load(Ordering::SeqCst);
        if waiting > threads && threads < RESOLVERS && self.start().is_err() && threads == 0 {
            // Nobody will ever answer: this machine cannot start a thread.
            return Err(NetError::shortage(Shortage::Threads));
        }
        Ok(())
    }

    fn start(&self) -> std::io::Result<()> {
        let n = self.threads.fetch_add(1, Ordering::SeqCst);
        let jobs = self.jobs.clone();
        let unanswered = self.unanswered.clone();
        crate::threads::builder(format!("resolve-{n}"))
            .spawn(move || serve(&jobs, &unanswered))
            .map(drop)
            .inspect_err(|_| {
                self.threads.fetch_sub(1, Ordering::SeqCst);
            })
    }
}

fn serve(jobs: &Mutex<Receiver<Job>>, unanswered: &AtomicUsize) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((query, reply)) = job else { return };
        let result = lookup(&query);
        unanswered.fetch_sub(1, Ordering::SeqCst);
        reply.send(result);
    }
}

/// getaddrinfo that cannot open /etc/hosts or a socket to the DNS server says only "Name or
/// service not known": when this process cannot open a socket right now either, that was the
/// cause (EMFILE, ENFILE...), not the name.
fn short_of_files() -> Option<std::io::Error> {
    let e = std::net::UdpSocket::bind((std::net::Ipv4Addr::LOCALHOST, 0)).err()?;
    Shortage::of(&e).is_some().then_some(e)
}

fn not_running() -> NetError {
    NetError {
        kind: ErrorKind::Other,
        message: "the resolver is not running".into(),
        hint: None,
    }
}

fn not_found(host: &str, why: &str) -> NetError {
    let resolvers = super::resolv_conf::resolvers();
    // getaddrinfo's EAI_AGAIN: the resolver could not be asked, or gave no answer.
    let unanswered = why.contains("Temporary failure") || why.contains("try again");
    let hint = if unanswered {
        format!(
            "{resolvers} could not be asked: check this machine's network connection and its DNS settings, then try again"
        )
    } else {
        format!(
            "{resolvers} knows no address for {host}: check the spelling of the name, or give an IP address; a name known only inside another network (a VPN, an intranet) needs that network's resolver"
        )
    };
    NetError {
        kind: ErrorKind::Dns,
        message: format!("cannot resolve {host}: {why}"),
        hint: Some(hint),
    }
}
