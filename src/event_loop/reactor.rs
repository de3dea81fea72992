//! The per-thread reactor: which sockets and timers the futures of this thread wait on, and
//! the wait that blocks until one of them is ready or another thread pokes it.
//!
//! Two ways to wait, by the thread's role:
//! - an event loop's thread ([`keep`]) waits in `epoll_wait` (mio), which costs an epoll
//!   instance and an eventfd for the pokes, once, however many sockets it watches;
//! - any other thread (a probe alone on its thread, a connection of a diagnosis) runs one
//!   future ([`super::block_on`]), whose wait blocks in `poll(2)` on its socket, in slices of
//!   [`SLICE`], or on a condition variable when it waits on no socket (a DNS answer from the
//!   resolver pool, a timer). Such a thread holds no descriptor of its own: the open-file
//!   budget of `crate::limits` counts sockets only.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Interest, Token};
use rustix::event::{PollFd, PollFlags, Timespec};

use crate::deadline::{Deadline, SLICE};

/// The token of the waker other threads use.
const POKE_TOKEN: Token = Token(usize::MAX);

/// How many readiness events one `epoll_wait` takes.
const EVENTS: usize = 256;

struct Reactor {
    /// The event loop's epoll instance; `None` on other threads.
    epoll: Option<(mio::Poll, Events)>,
    /// Sockets waited on, by token.
    slots: Vec<Option<Slot>>,
    free: Vec<usize>,
    /// Timers: (when, a number that makes the key unique) -> who to wake.
    timers: BTreeMap<(Instant, u64), Waker>,
    timer_number: u64,
}

struct Slot {
    waker: Waker,
    ready: bool,
}

thread_local! {
    static REACTOR: RefCell<Reactor> = const {
        RefCell::new(Reactor {
            epoll: None,
            slots: Vec::new(),
            free: Vec::new(),
            timers: BTreeMap::new(),
            timer_number: 0,
        })
    };
    static POKE: Poke = Poke(Arc::new(Pokes::default()));
    static KEPT: Cell<bool> = const { Cell::new(false) };
}

fn with<T>(f: impl FnOnce(&mut Reactor) -> io::Result<T>) -> io::Result<T> {
    REACTOR.with(|cell| f(&mut cell.borrow_mut()))
}

/// Make this thread an event loop's: it waits in `epoll_wait` from now on. Fails when the
/// epoll instance or its waker cannot be made (no file descriptor left).
pub fn keep() -> io::Result<()> {
    if KEPT.with(Cell::get) {
        return Ok(());
    }
    let poll = mio::Poll::new()?;
    let waker = Arc::new(mio::Waker::new(poll.registry(), POKE_TOKEN)?);
    POKE.with(|p| *lock(&p.0.waker) = Some(waker));
    with(|r| {
        r.epoll = Some((poll, Events::with_capacity(EVENTS)));
        Ok(())
    })?;
    KEPT.with(|k| k.set(true));
    Ok(())
}

#[derive(Default)]
struct Pokes {
    /// The event loop's waker, on an event loop's thread.
    waker: Mutex<Option<Arc<mio::Waker>>>,
    /// Poked since the thread last looked, for a thread that waits on a condition variable.
    poked: Mutex<bool>,
    arrived: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Wakes a thread waiting in its reactor, from another thread.
#[derive(Clone)]
pub struct Poke(Arc<Pokes>);

impl Poke {
    /// This thread's poke, for other threads to wake it with.
    pub fn here() -> Poke {
        POKE.with(Poke::clone)
    }

    pub fn wake(&self) {
        *lock(&self.0.poked) = true;
        self.0.arrived.notify_all();
        if let Some(waker) = lock(&self.0.waker).as_ref() {
            // A failed wake (the eventfd is full) means a wake is already pending.
            let _ = waker.wake();
        }
    }
}

/// Whether this thread is an event loop's ([`keep`]).
pub fn kept() -> bool {
    KEPT.with(Cell::get)
}

/// On an event loop's thread: block in `epoll_wait` until a socket waited on is ready, a timer
/// is due, or another thread pokes, then wake the futures concerned. Returns at once when a
/// timer is already due. On any other thread: wait until poked (its futures wait inside
/// their own polls).
pub fn turn() -> io::Result<()> {
    if !kept() {
        park(&Poke::here(), None);
        return Ok(());
    }
    with(|r| {
        let now = Instant::now();
        let timeout = r
            .timers
            .keys()
            .next()
            .map(|(at, _)| at.saturating_duration_since(now));
        if timeout != Some(Duration::ZERO) {
            // Rounded up: a timer never fires early.
            let timeout = timeout.map(|t| t + Duration::from_micros(999));
            if let Some((poll, events)) = &mut r.epoll {
                match poll.poll(events, timeout) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
                for event in events.iter() {
                    let Token(t) = event.token();
                    if let Some(Some(slot)) = r.slots.get_mut(t) {
                        slot.ready = true;
                        slot.waker.wake_by_ref();
                    }
                }
            }
        }
        let now = Instant::now();
        while let Some(entry) = r.timers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            entry.remove().wake();
        }
        Ok(())
    })
}

/// Wait on no socket: until poked, or `timeout`.
fn park(poke: &Poke, timeout: Option<Duration>) {
    let until = timeout.map(|t| Instant::now() + t);
    let mut poked = lock(&poke.0.poked);
    while !*poked {
        let left = match until {
            Some(u) => match u.checked_duration_since(Instant::now()) {
                Some(left) => left,
                None => break,
            },
            None => Duration::from_secs(3600),
        };
        poked = poke
            .0
            .arrived
            .wait_timeout(poked, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    *poked = false;
}

/// Wait until `fd` is readable, or the deadline passes (`TimedOut`).
pub fn readable<'a>(fd: &'a impl AsFd, deadline: Deadline) -> Wait<'a> {
    Wait::new(vec![fd.as_fd()], Interest::READABLE, deadline.at())
}

/// Wait until `fd` is writable, or the deadline passes (`TimedOut`).
pub fn writable<'a>(fd: &'a impl AsFd, deadline: Deadline) -> Wait<'a> {
    Wait::new(vec![fd.as_fd()], Interest::WRITABLE, deadline.at())
}

/// Wait until any of `fds` is writable (a connection attempt ended), or `until` (`TimedOut`).
pub fn any_writable(fds: Vec<BorrowedFd<'_>>, until: Instant) -> Wait<'_> {
    Wait::new(fds, Interest::WRITABLE, until)
}

/// Wait until `until`.
pub async fn sleep_until(until: Instant) {
    let _ = Wait::new(Vec::new(), Interest::READABLE, until).await;
}

/// A wait on sockets and a time. On an event loop's thread it is registered with the reactor
/// when first polled and taken out when it ends or is dropped; elsewhere each poll waits
/// itself, a slice at a time.
pub struct Wait<'a> {
    fds: Vec<BorrowedFd<'a>>,
    interest: Interest,
    until: Instant,
    /// The tokens of the registered sockets, and the timer's key, once registered.
    tokens: Vec<usize>,
    timer: Option<(Instant, u64)>,
}

impl<'a> Wait<'a> {
    fn new(fds: Vec<BorrowedFd<'a>>, interest: Interest, until: Instant) -> Wait<'a> {
        Wait {
            fds,
            interest,
            until,
            tokens: Vec::new(),
            timer: None,
        }
    }

    fn register(&mut self, r: &mut Reactor, waker: &Waker) -> io::Result<()> {
        let Some((poll, _)) = &r.epoll else {
            return Err(io::Error::other("not an event loop's thread"));
        };
        for fd in &self.fds {
            let token = r.free.pop().unwrap_or(r.slots.len());
            let slot = Slot {
                waker: waker.clone(),
                ready: false,
            };
            match r.slots.get_mut(token) {
                Some(s) => *s = Some(slot),
                None => r.slots.push(Some(slot)),
            }
            let registry = poll.registry();
            let raw = fd.as_raw_fd();
            let mut source = SourceFd(&raw);
            let added = match registry.register(&mut source, Token(token), self.interest) {
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    registry.reregister(&mut source, Token(token), self.interest)
                }
                other => other,
            };
            if let Err(e) = added {
                r.slots[token] = None;
                r.free.push(token);
                return Err(e);
            }
            self.tokens.push(token);
        }
        r.timer_number += 1;
        let key = (self.until, r.timer_number);
        r.timers.insert(key, waker.clone());
        self.timer = Some(key);
        Ok(())
    }

    fn unregister(&mut self, r: &mut Reactor) {
        for (fd, token) in self.fds.iter().zip(self.tokens.drain(..)) {
            if let Some((poll, _)) = &r.epoll {
                let _ = poll.registry().deregister(&mut SourceFd(&fd.as_raw_fd()));
            }
            if let Some(slot) = r.slots.get_mut(token) {
                *slot = None;
                r.free.push(token);
            }
        }
        if let Some(key) = self.timer.take() {
            r.timers.remove(&key);
        }
    }

    /// On a thread of its own: wait here, one slice at most, then say whether it is over.
    fn wait_here(&mut self) -> Option<io::Result<()>> {
        let now = Instant::now();
        let Some(left) = self
            .until
            .checked_duration_since(now)
            .filter(|l| !l.is_zero())
        else {
            return Some(Err(io::ErrorKind::TimedOut.into()));
        };
        if self.fds.is_empty() {
            park(&Poke::here(), Some(left));
            return (Instant::now() >= self.until).then(|| Err(io::ErrorKind::TimedOut.into()));
        }
        let flags = if self.interest.is_writable() {
            PollFlags::OUT
        } else {
            PollFlags::IN
        };
        let mut fds: Vec<PollFd<'_>> = self
            .fds
            .iter()
            .map(|fd| PollFd::from_borrowed_fd(*fd, flags))
            .collect();
        // Rounded up to the millisecond poll(2) counts in: a wait never ends early.
        let slice = (left + Duration::from_micros(999)).min(SLICE);
        let timeout = Timespec::try_from(slice).ok();
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Some(Err(e.into())),
        }
        if fds.iter().any(|f| !f.revents().is_empty()) {
            return Some(Ok(()));
        }
        (Instant::now() >= self.until).then(|| Err(io::ErrorKind::TimedOut.into()))
    }
}

impl Future for Wait<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !kept() {
            return match this.wait_here() {
                Some(done) => Poll::Ready(done),
                None => {
                    // Polled again at once, so that whatever else the future waits on is
                    // looked at between slices.
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            };
        }
        let result = with(|r| {
            if this.timer.is_none() {
                if Instant::now() >= this.until {
                    return Ok(Some(Err(io::ErrorKind::TimedOut.into())));
                }
                if let Err(e) = this.register(r, cx.waker()) {
                    this.unregister(r);
                    return Ok(Some(Err(e)));
                }
                return Ok(None);
            }
            let ready = this.tokens.iter().any(|t| {
                r.slots
                    .get(*t)
                    .and_then(Option::as_ref)
                    .is_some_and(|s| s.ready)
            });
            if ready {
                this.unregister(r);
                return Ok(Some(Ok(())));
            }
            if Instant::now() >= this.until {
                this.unregister(r);
                return Ok(Some(Err(io::ErrorKind::TimedOut.into())));
            }
            // Polled by another waker than the one registered: wake that one.
            for t in &this.tokens {
                if let Some(Some(slot)) = r.slots.get_mut(*t) {
                    if !slot.waker.will_wake(cx.waker()) {
                        slot.waker = cx.waker().clone();
                    }
                }
            }
            if let Some(key) = this.timer {
                if let Some(w) = r.timers.get_mut(&key) {
                    if !w.will_wake(cx.waker()) {
                        *w = cx.waker().clone();
                    }
                }
            }
            Ok(None)
        });
        match result {
            Ok(Some(done)) => Poll::Ready(done),
            Ok(None) => Poll::Pending,
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if self.timer.is_some() || !self.tokens.is_empty() {
            let _ = with(|r| {
                self.unregister(r);
                Ok(())
            });
        }
    }
}

/// `future`'s output, or `None` when `until` comes first.
pub async fn before<F: Future + Unpin>(until: Instant, future: F) -> Option<F::Output> {
    Before {
        future,
        timer: Wait::new(Vec::new(), Interest::READABLE, until),
    }
    .await
}

struct Before<'a, F> {
    future: F,
    timer: Wait<'a>,
}

impl<F: Future + Unpin> Future for Before<'_, F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        let this = self.get_mut();
        if let Poll::Ready(out) = Pin::new(&mut this.future).poll(cx) {
            return Poll::Ready(Some(out));
        }
        match Pin::new(&mut this.timer).poll(cx) {
            Poll::Ready(_) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}
